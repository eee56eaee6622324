/**
 * Runtime code never imports from scripts/: scripts are development tools that are not shipped
 * (package.json "files"), and a relative import of one breaks once the CLI is bundled into dist/
 * (issue 11: conformance extracted Helm into dist/.tools/). Scripts may import runtime code.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO } from '../helpers/cli.js';
import { specifiers } from '../helpers/imports.js';

const RUNTIME_DIRS = ['cli', 'matrix', 'stacks'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

const intoScripts = (file: string, specifier: string) => specifier.startsWith('.') && relative(REPO, resolve(dirname(file), specifier)).split(/[\\/]/)[0] === 'scripts';

describe('runtime imports', () => {
  it.each([
    ["import { x } from '../../scripts/fetch-helm.mjs';", 'cli/helm/binaries.ts', true],
    ["const { fetchHelm } = await import('../../scripts/fetch-helm.mjs');", 'cli/helm/binaries.ts', true],
    ["export * from '../scripts/build.mjs';", 'cli/commands.ts', true],
    ["const m = require('../../scripts/yaml-loader.mjs');", 'cli/lib/x.ts', true],
    ["import type { T } from '../scripts/vendor-images.mjs';", 'matrix/engine.ts', true],
    ["import { packageRoot } from '../lib/package-root.js';", 'cli/helm/binaries.ts', false],
    ["import yauzl from 'yauzl';", 'cli/helm/helm-tools.ts', false],
    ["// import { x } from '../../scripts/fetch-helm.mjs'; (commented out)", 'cli/helm/binaries.ts', false],
    ['const text = "import { x } from \'../../scripts/fetch-helm.mjs\'";', 'cli/helm/binaries.ts', false],
  ])('the check sees %s', (line, file, bad) => {
    expect(specifiers(line, file).some((specifier) => intoScripts(join(REPO, file), specifier))).toBe(bad);
  });

  it('no file under cli/, matrix/ or stacks/ imports from scripts/', () => {
    const offenders = RUNTIME_DIRS.flatMap((dir) => sourceFiles(join(REPO, dir))).flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'), file)
        .filter((specifier) => intoScripts(file, specifier))
        .map((specifier) => `${relative(REPO, file)} -> ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
