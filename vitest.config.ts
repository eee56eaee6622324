import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// @ts-expect-error -- plain ESM build helper without type declarations
import { viteYamlPlugin } from './scripts/yaml-loader.mjs';
import { integrationTests, UNIT_TEST_TIMEOUT_MS } from './test/tiers.js';

// Two projects: `vitest run` (npm test) runs both; `vitest run --project unit` (npm run test:unit)
// runs the in-process tier alone, under a guard that refuses Helm, registries, browsers and node
// processes, with a 15 s per-test timeout (test/tiers.ts says which files need more).
const INTEGRATION_TESTS = integrationTests(dirname(fileURLToPath(import.meta.url)));

export default defineConfig({
  plugins: [viteYamlPlugin],
  test: {
    // Every project: no test reads the developer's Docker config or credential variables (test/helpers/test-environment.ts).
    testTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: INTEGRATION_TESTS, testTimeout: UNIT_TEST_TIMEOUT_MS, setupFiles: ['test/helpers/setup.ts', 'test/helpers/unit-tier-guard.ts'] } },
      { extends: true, test: { name: 'integration', include: INTEGRATION_TESTS, setupFiles: ['test/helpers/setup.ts'] } },
    ],
  },
});
