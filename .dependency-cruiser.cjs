// @ts-check
// The architecture rules of README › Architecture, checked by `npm run lint` (and so by CI).
// The core (hipchat, store, shared, ops, http) knows no module; the modules (Tasks, the gateway) do not
// import each other; the store knows no protocol; the emulator and the add-on side share no code; nothing
// imports in a circle. The composition roots (services.ts, runtime.ts, app.ts, server.ts, dev.ts,
// config.ts) may import anything but the emulator, which only dev.ts and the test kit (src/testing) start.
// Tests of example add-ons see the package as its users do: through its entry points only.
const core = '^src/(hipchat|store|shared|ops|http)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-module',
      comment: 'The core does not know the modules built on it (Tasks, the gateway) nor the composition roots.',
      severity: 'error',
      from: { path: core },
      to: { path: ['^src/(addon|gateway|examples)/', '^src/[^/]+\\.ts$'] },
    },
    {
      name: 'modules-share-no-code',
      comment: 'Tasks and the gateway are modules on the core: what both need (e.g. CommandHandler) lives in the core.',
      severity: 'error',
      from: { path: '^src/(addon|gateway)/' },
      to: { path: '^src/(addon|gateway|examples)/', pathNot: '^src/$1/' },
    },
    {
      name: 'examples-use-the-public-api',
      comment: 'The example add-ons are built on what the core exports (src/index.ts) and nothing else.',
      severity: 'error',
      from: { path: '^src/examples/([^/]+)/' },
      to: { path: '^src/', pathNot: ['^src/index\\.ts$', '^src/examples/$1/'] },
    },
    {
      name: 'example-tests-use-the-public-api',
      comment: "The examples' tests import only the public entry points (core, emulator, testing) and the example itself.",
      severity: 'error',
      from: { path: '^test/examples/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^src/(index|emulator/index|testing/index)\\.ts$', '^src/examples/', '^test/examples/', 'node_modules'],
      },
    },
    {
      name: 'store-knows-no-protocol',
      comment: 'The store is storage only: it does not import the HipChat protocol core.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/hipchat/' },
    },
    {
      name: 'emulator-imports-only-itself',
      comment: 'The emulator shares no code with the add-on side, so a bug in one cannot hide the same bug in the other.',
      severity: 'error',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/emulator/' },
    },
    {
      name: 'only-dev-imports-the-emulator',
      comment: 'Outside the emulator, only the dev entry point (npm run dev) and the test kit start it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/emulator/', '^src/testing/', '^src/dev\\.ts$'] },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'package-fixture-uses-public-entry-points',
      comment:
        'The packed-package test\'s add-on imports the package only through its entry points (package.json exports: ' +
        'src/index.ts, src/emulator/index.ts, src/testing/index.ts); everything else is private to the package.',
      severity: 'error',
      from: { path: '^test/package/fixture/' },
      to: { path: '^src/', pathNot: '^src/(index|emulator/index|testing/index)\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist', '^node_modules', '/static/'] },
    // Type-only imports count: a cycle of types is still a cycle between modules.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
