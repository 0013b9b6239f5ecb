import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { LAYERS, packageBoundaries, readPackages } from '../scripts/eslint/package-boundaries.mjs';

/**
 * The lint rule that keeps the libraries' boundaries (`npm run lint` runs it over the repository). Cases
 * are judged against this repository's real packages and their exports maps; file names need not exist.
 */
const root = path.resolve(import.meta.dirname, '..');
const at = (file: string) => path.join(root, file);
const options = [{ root }];
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
});

tester.run('pruefpfad/package-boundaries', packageBoundaries, {
  valid: [
    { filename: at('apps/api/src/reviews/x.ts'), code: "import { reviewDecider } from '@pruefpfad/domain';", options },
    { filename: at('apps/api/src/reviews/x.ts'), code: "import { x } from '../commands/y.js';", options },
    {
      filename: at('libs/domain/src/review/x.ts'),
      code: "import type { Role } from '../authorization/roles.js';",
      options,
    },
    {
      filename: at('libs/projections/src/x.ts'),
      code: "import type { RecordedEvent } from '@pruefpfad/event-store';",
      options,
    },
    {
      filename: at('libs/composition/src/x.ts'),
      code: "export { ProjectionRunner } from '@pruefpfad/projections';",
      options,
    },
    { filename: at('test/x.e2e.spec.ts'), code: "import { until } from '@pruefpfad/projections/testing';", options },
    {
      filename: at('libs/composition/src/x.int.spec.ts'),
      code: "import { until } from '@pruefpfad/projections/testing';",
      options,
    },
    { filename: at('bench/src/x.ts'), code: "const m = await import('@pruefpfad/composition');", options },
    { filename: at('apps/api/src/x.ts'), code: "import { Injectable } from '@nestjs/common';", options },
  ],
  invalid: [
    {
      name: 'a relative path from an app into a library',
      filename: at('apps/api/src/reviews/x.ts'),
      code: "import { reviewDecider } from '../../../../libs/domain/src/review/review.decider.js';",
      options,
      errors: [
        {
          messageId: 'relativeIntoLibrary',
          data: { package: '@pruefpfad/domain', specifier: '../../../../libs/domain/src/review/review.decider.js' },
        },
      ],
    },
    {
      name: 'a relative path from one library into another',
      filename: at('libs/projections/src/x.ts'),
      code: "import type { RecordedEvent } from '../../event-store/src/event-store.port.js';",
      options,
      errors: [{ messageId: 'relativeIntoLibrary' }],
    },
    {
      name: 'a relative re-export and a dynamic import into a library',
      filename: at('test/x.e2e.spec.ts'),
      code: "export { x } from '../libs/privacy/src/envelope.js';\nawait import('../libs/privacy/src/envelope.js');",
      options,
      errors: [{ messageId: 'relativeIntoLibrary' }, { messageId: 'relativeIntoLibrary' }],
    },
    {
      name: 'a deep import through the package name',
      filename: at('apps/api/src/x.ts'),
      code: "import { foldAsOf } from '@pruefpfad/domain/src/audit/as-of.js';",
      options,
      errors: [{ messageId: 'notExported' }],
    },
    {
      name: 'a package that does not exist',
      filename: at('apps/api/src/x.ts'),
      code: "import { x } from '@pruefpfad/reviews';",
      options,
      errors: [{ messageId: 'unknownPackage' }],
    },
    {
      name: 'the testing entry in production code',
      filename: at('apps/api/src/x.ts'),
      code: "import { until } from '@pruefpfad/projections/testing';",
      options,
      errors: [{ messageId: 'testingInProduction' }],
    },
    {
      name: 'a library importing itself by name',
      filename: at('libs/privacy/src/x.ts'),
      code: "import { Envelope } from '@pruefpfad/privacy';",
      options,
      errors: [{ messageId: 'selfByName' }],
    },
    {
      name: 'the domain importing another library',
      filename: at('libs/domain/src/review/x.ts'),
      code: "import { berlinDate } from '@pruefpfad/application';\nimport { x } from '@pruefpfad/runtime';",
      options,
      errors: [{ messageId: 'againstLayering' }, { messageId: 'againstLayering' }],
    },
    {
      name: 'a store importing the projections',
      filename: at('libs/read-store/src/x.ts'),
      code: "import { ProjectionRunner } from '@pruefpfad/projections';",
      options,
      errors: [{ messageId: 'againstLayering' }],
    },
    {
      name: 'a lower layer that the package does not declare',
      filename: at('libs/read-store/src/x.ts'),
      code: "import { ROLES } from '@pruefpfad/domain';",
      options,
      errors: [{ messageId: 'undeclared' }],
    },
    {
      name: 'a library importing application code',
      filename: at('libs/composition/src/x.ts'),
      code: "import { x } from '../../../apps/api/src/main.js';\nimport { y } from '../../../bench/src/main.js';",
      options,
      errors: [{ messageId: 'libraryIntoApp' }, { messageId: 'libraryIntoApp' }],
    },
  ],
});

describe('the layering', () => {
  it('places every workspace package in exactly one layer', () => {
    const placed = LAYERS.flat();
    expect(new Set(placed).size).toBe(placed.length);
    expect([...placed].sort()).toEqual([...readPackages(root).keys()].sort());
  });
});
