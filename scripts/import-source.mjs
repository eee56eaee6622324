// Imports a TypeScript module of the CLI straight from its source, for the generators: esbuild bundles
// it (YAML data included, as the CLI build does) into a temporary file under .cache/ (git-ignored;
// inside the repository so that the packages left external resolve from node_modules), imports it and
// removes it. Reading the source rather than dist/ means a generator never writes from a stale build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildYamlPlugin } from './yaml-loader.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The exports of a module under the repository root (e.g. 'cli/services/matrix.ts'). */
export async function importSource(path) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __generatorRequire } from 'node:module'; const require = __generatorRequire(import.meta.url);" },
    external: ['typescript', 'esbuild', '@pulumi/*', 'kubernetes-models', 'kubernetes-models/*'],
    plugins: [esbuildYamlPlugin],
    logLevel: 'warning',
  });
  mkdirSync(join(root, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, '.cache', 'generate-'));
  try {
    const file = join(dir, 'module.mjs');
    writeFileSync(file, result.outputFiles[0].text);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
