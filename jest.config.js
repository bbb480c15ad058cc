/** Jest runs the TypeScript sources directly; type errors are caught by `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  transform: {
    // agenda 6, its backend and the adaptivecards SDK and jose ship ESM only: transpile them to CommonJS for Jest.
    '^.+\\.m?[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  // d3-force and its parts ship ESM only; their UMD bundles are the same code as CommonJS.
  moduleNameMapper: { '^d3-(force|quadtree|dispatch|timer)$': '<rootDir>/node_modules/d3-$1/dist/d3-$1.js' },
  transformIgnorePatterns: ['/node_modules/(?!(agenda|@agendajs|adaptivecards|swiper|ssr-window|dom7|jose)/)'],
  testTimeout: 30000,
  // Two test files at a time on the 2-core CI machine: the tests wait on the database (FerretDB and
  // PostgreSQL, separate processes) more than they compute; with one (Jest's default here) a core idles.
  maxWorkers: 2,
};
