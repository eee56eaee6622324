/** The global setup rebuilds a missing, unfinished or stale dist/ before any test, and refuses when it cannot. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './cli.js';
import { BUILD_INPUTS, ensureFreshBuild, staleBuildReason, type BuildRun } from './fresh-build.js';

const HOUR = 3600;

const SOURCES = [
  join('cli', 'deep', 'commands.ts'),
  join('stacks', 'decisions', 'network.ts'),
  join('stacks', 'settings.ts'),
  join('schemas', 'install.schema.json'),
  join('matrix', 'support-matrix.yaml'),
  join('charts', 'model-server', 'values.yaml'),
  'package.json',
  'tsconfig.json',
  join('scripts', 'build.mjs'),
  join('scripts', 'yaml-loader.mjs'),
  // Read by the bundle but in no folder of BUILD_INPUTS: only the stamp names it.
  join('data', 'extra.json'),
];

function writeAged(repo: string, path: string, ago: number, text = 'x'): void {
  const now = Date.now() / 1000;
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
  utimesSync(join(repo, path), now - ago, now - ago);
}

/** A repository with one file per build input and, unless builtAgo is null, a finished build that long ago. */
function fakeRepo(builtAgo: number | null, sourcesAgo = 2 * HOUR): string {
  const repo = mkdtempSync(join(tmpdir(), 'installctl-fresh-build-'));
  for (const path of SOURCES) writeAged(repo, path, sourcesAgo);
  if (builtAgo !== null) finishBuild(repo, builtAgo);
  return repo;
}

/** What scripts/build.mjs leaves: the bundle first, the stamp (listing what it read) last. */
function finishBuild(repo: string, ago: number): void {
  writeAged(repo, join('dist', 'installctl.js'), ago, 'built');
  writeAged(repo, join('dist', '.build-stamp'), ago, JSON.stringify({ inputs: [join('cli', 'deep', 'commands.ts'), join('data', 'extra.json')] }));
}

function touch(repo: string, path: string): void {
  writeFileSync(join(repo, path), 'edited');
}

describe('staleBuildReason', () => {
  it('is null when the stamp is newer than every input', () => {
    expect(staleBuildReason(fakeRepo(HOUR))).toBeNull();
  });

  it('names a missing build', () => {
    expect(staleBuildReason(fakeRepo(null))).toBe('dist/.build-stamp is missing (no build, or one that did not finish)');
  });

  it('takes a build that stopped after writing dist/installctl.js for an unfinished one', () => {
    const repo = fakeRepo(null);
    writeAged(repo, join('dist', 'installctl.js'), 0, 'half a build');
    expect(staleBuildReason(repo)).toBe('dist/.build-stamp is missing (no build, or one that did not finish)');
  });

  it('takes an unreadable stamp for an unfinished build', () => {
    const repo = fakeRepo(HOUR);
    writeAged(repo, join('dist', '.build-stamp'), 0, '{"inpu');
    expect(staleBuildReason(repo)).toBe("dist/.build-stamp does not list the build's inputs");
  });

  it.each(SOURCES)('names %s when it is newer (nested files too)', (path) => {
    const repo = fakeRepo(HOUR);
    touch(repo, path);
    expect(staleBuildReason(repo)).toBe(`${path} is newer than dist/.build-stamp`);
  });

  it('covers the source folders the bundle is built from, stacks/ and tsconfig.json included', () => {
    expect(BUILD_INPUTS).toEqual(expect.arrayContaining(['cli', 'stacks', 'schemas', 'matrix', 'charts', 'tsconfig.json']));
  });

  it("scripts/build.mjs stamps the repository's dist/ with what esbuild bundled and what it read itself", () => {
    // The global setup has just built (or found fresh) this worktree's dist/.
    const { inputs } = JSON.parse(readFileSync(join(REPO, 'dist', '.build-stamp'), 'utf8')) as { inputs: string[] };
    expect(inputs).toEqual(
      expect.arrayContaining(['cli/commands.ts', 'stacks/settings.ts', 'matrix/support-matrix.yaml', 'tsconfig.json', 'scripts/build.mjs', 'charts/model-server/values.yaml']),
    );
    expect(inputs.filter((input) => input.includes('node_modules') || input.includes(':'))).toEqual([]);
  });
});

describe('ensureFreshBuild', () => {
  it('does not build a fresh dist/', () => {
    const builds: string[] = [];
    expect(ensureFreshBuild(fakeRepo(HOUR), (repo) => (builds.push(repo), { ok: true, output: '' }))).toBeNull();
    expect(builds).toEqual([]);
  });

  it('builds a stale one and says why', () => {
    const repo = fakeRepo(3 * HOUR);
    const build = (root: string): BuildRun => (finishBuild(root, 0), { ok: true, output: 'built' });
    expect(ensureFreshBuild(repo, build)).toMatch(/is newer than dist\/.build-stamp$/);
    expect(staleBuildReason(repo)).toBeNull();
  });

  it('refuses with the build output when the build fails', () => {
    const repo = fakeRepo(null);
    expect(() => ensureFreshBuild(repo, () => ({ ok: false, output: 'esbuild: Could not resolve "x"' }))).toThrow(
      /dist\/.build-stamp is missing.*failed; fix the build \(npm run build\)[\s\S]*Could not resolve "x"/,
    );
  });

  it('refuses when the build claims success but leaves dist/ stale', () => {
    expect(() => ensureFreshBuild(fakeRepo(null), () => ({ ok: true, output: '' }))).toThrow(/still stale \(dist\/.build-stamp is missing/);
  });
});
