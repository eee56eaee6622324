import { defineConfig } from 'vitest/config';
// @ts-expect-error -- plain ESM build helper without type declarations
import { viteYamlPlugin } from './scripts/yaml-loader.mjs';

export default defineConfig({
  plugins: [viteYamlPlugin],
  test: {
    include: ['test/**/*.test.ts'],
    // No test reads the developer's Docker config or credential variables (test/helpers/test-environment.ts).
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
