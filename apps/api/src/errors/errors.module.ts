import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { PROBLEM_TABLE, ProblemDetailsFilter } from './problem-details.filter.js';
import { PROBLEM_CODES, type ProblemTable } from './problem-details.js';
import { createValidationPipe } from './validation.js';

export interface ErrorsModuleOptions {
  /** Further stable codes → HTTP, merged over the built-in table. */
  readonly codes?: ProblemTable;
}

/**
 * Registers the problem-details filter and the DTO validation pipe globally (APP_FILTER, APP_PIPE), so
 * every controller of the application gets both without further wiring.
 */
@Module({})
export class ErrorsModule {
  static forRoot(options: ErrorsModuleOptions = {}): DynamicModule {
    const table: ProblemTable = { ...PROBLEM_CODES, ...options.codes };
    return {
      module: ErrorsModule,
      providers: [
        { provide: PROBLEM_TABLE, useValue: table },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: () => createValidationPipe() },
      ],
      exports: [PROBLEM_TABLE],
    };
  }
}
