import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { OperatorProjectionView, RebuildStarted } from '@pruefpfad/composition';
import { Action } from '../security/security.decorators.js';
import type { ProjectionsPort } from '../runtime/projections.port.js';
import { PROJECTIONS } from '../runtime/tokens.js';
import { RebuildProjectionDto } from './rebuild.dto.js';

/**
 * Operators' view of the read models and their rebuilds (technical scope: no tenant, no case data —
 * names, versions, positions and counts only). A rebuild runs in the background on the platform's
 * rebuild mechanism; its progress is read with GET.
 */
@ApiTags('Betrieb / operations')
@ApiBearerAuth()
@Controller('api/v1/operations/projections')
export class OperationsController {
  constructor(@Inject(PROJECTIONS) private readonly projections: ProjectionsPort) {}

  @Get()
  @Action('operator.projections.read')
  async list(): Promise<{ readonly projections: readonly OperatorProjectionView[] }> {
    return { projections: await this.projections.operations.list() };
  }

  @Get(':name')
  @Action('operator.projections.read')
  async get(@Param('name') name: string): Promise<OperatorProjectionView> {
    return translate(() => this.projections.operations.get(name));
  }

  @Post(':name/rebuild')
  @Action('operator.projections.rebuild')
  @HttpCode(202)
  async rebuild(
    @Param('name') name: string,
    @Body() body: RebuildProjectionDto,
  ): Promise<RebuildStarted & { readonly status: OperatorProjectionView }> {
    const operations = this.projections.operations;
    const started = await translate(() =>
      operations.startRebuild(name, { fresh: body.fresh === true, dropOld: body.dropOld === true }),
    );
    return { ...started, status: await operations.get(name) };
  }

  @Post(':name/rebuild/confirm')
  @Action('operator.projections.rebuild')
  @HttpCode(200)
  async confirm(@Param('name') name: string): Promise<{ readonly projection: string; readonly dropped: string[] }> {
    const { dropped } = await translate(() => this.projections.operations.confirm(name));
    return { projection: name, dropped: [...dropped] };
  }
}

/** The projection machinery's stable codes (also across the worker boundary) → HTTP. */
async function translate<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'UNKNOWN_PROJECTION')
      throw new NotFoundException('Unbekannte Projektion / unknown projection', { errorCode: 'NOT_FOUND' });
    if (code === 'REBUILD_IN_PROGRESS' || code === 'LEASE_LOST')
      throw new ConflictException(
        `Für diese Projektion läuft bereits ein Neuaufbau. / A rebuild of this projection is already running. (${(error as Error).message})`,
        { errorCode: 'REBUILD_IN_PROGRESS' },
      );
    throw error;
  }
}
