import { defineConfig } from 'vitest/config';
// @ts-expect-error -- plain ESM build helper without type declarations
import { viteYamlPlugin } from './scripts/yaml-loader.mjs';

export default defineConfig({
  plugins: [viteYamlPlugin],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
