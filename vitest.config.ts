import { defineConfig } from 'vitest/config';
// @ts-expect-error -- plain ESM build helper without type declarations
import { viteYamlPlugin } from './scripts/yaml-loader.mjs';
import { INTEGRATION_FILES, TEST_FILES, UNIT_TEST_TIMEOUT_MS } from './test/tiers.js';

// Two projects, chosen by file name (test/tiers.ts): `integration` runs the `*.int.test.ts` files,
// `unit` every other `*.test.ts`. `vitest run` (npm test) runs both; `vitest run --project unit`
// (npm run test:unit) runs the in-process tier alone, under a guard that refuses Helm, registries,
// browsers and node processes, with a 15 s per-test timeout.

export default defineConfig({
  plugins: [viteYamlPlugin],
  test: {
    // Every project: no test reads the developer's Docker config or credential variables (test/helpers/test-environment.ts).
    testTimeout: 60_000,
    // beforeAll hooks spawn the built CLI over dozens of specs: on a loaded 2-core machine 10 s is not enough.
    hookTimeout: 60_000,
    pool: 'forks',
    // Before any test file: rebuild dist/ when a source is newer (tests spawn the built CLI), or refuse.
    globalSetup: ['test/helpers/fresh-build.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [TEST_FILES],
          exclude: [INTEGRATION_FILES],
          testTimeout: UNIT_TEST_TIMEOUT_MS,
          setupFiles: ['test/helpers/setup.ts', 'test/helpers/unit-tier-guard.ts'],
        },
      },
      { extends: true, test: { name: 'integration', include: [INTEGRATION_FILES], setupFiles: ['test/helpers/setup.ts'] } },
    ],
  },
});
