/**
 * Jest 30 in ESM mode (ts-jest `useESM`), run under the project's own Node 24 by `npm test`
 * (`node --experimental-vm-modules`). Tiers by file suffix: `.unit.spec.ts`, `.int.spec.ts`,
 * `.contract.spec.ts`, `.e2e.spec.ts`. Type checking is `npm run typecheck`'s job, so ts-jest only
 * transpiles here (isolatedModules), which keeps the suite fast on two cores.
 */
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // The workspace packages (`@pruefpfad/*`) resolve to their TypeScript sources under this condition.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'pruefpfad-source'] },
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // The compiled tree holds copies of the packages' manifests (see scripts/link-built-packages.mjs).
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
