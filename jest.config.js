/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  // Unit specs sit beside the code in src/; integration and e2e specs live in test/.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // NestJS 12 ships as ES modules. Node runs them from our CommonJS build through require(esm),
  // but Jest's module runtime cannot (before Node 24.9), so Jest compiles them to CommonJS too.
  transform: { '^.+\\.ts$': swc, '^.+\\.m?js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|marked)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A limit, not a wait: generous, because CI runs on a loaded 2-core machine beside other work.
  testTimeout: 120000,
  // Two cores here: two workers keep FerretDB busy without starving it.
  maxWorkers: 2,
};
