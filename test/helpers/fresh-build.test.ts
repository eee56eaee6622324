/** The global setup rebuilds a missing or stale dist/ before any test, and refuses when it cannot. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_INPUTS, ensureFreshBuild, staleBuildReason, type BuildRun } from './fresh-build.js';

const HOUR = 3600;

/** A repository with one file per build input and a dist/installctl.js, at the given ages (seconds ago). */
function fakeRepo(builtAgo: number | null, sourcesAgo = 2 * HOUR): string {
  const repo = mkdtempSync(join(tmpdir(), 'installctl-fresh-build-'));
  const now = Date.now() / 1000;
  for (const path of [
    join('cli', 'deep', 'commands.ts'),
    join('schemas', 'install.schema.json'),
    join('matrix', 'support-matrix.yaml'),
    join('charts', 'model-server', 'values.yaml'),
    'package.json',
    join('scripts', 'build.mjs'),
    join('scripts', 'yaml-loader.mjs'),
  ]) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), 'x');
    utimesSync(join(repo, path), now - sourcesAgo, now - sourcesAgo);
  }
  if (builtAgo !== null) touchBuilt(repo, builtAgo);
  return repo;
}

function touchBuilt(repo: string, ago: number): void {
  const now = Date.now() / 1000;
  mkdirSync(join(repo, 'dist'), { recursive: true });
  writeFileSync(join(repo, 'dist', 'installctl.js'), 'built');
  utimesSync(join(repo, 'dist', 'installctl.js'), now - ago, now - ago);
}

function touch(repo: string, path: string): void {
  writeFileSync(join(repo, path), 'edited');
}

describe('staleBuildReason', () => {
  it('is null when dist/installctl.js is newer than every input', () => {
    expect(staleBuildReason(fakeRepo(HOUR))).toBeNull();
  });

  it('names a missing build', () => {
    expect(staleBuildReason(fakeRepo(null))).toBe('dist/installctl.js is missing');
  });

  it.each([
    join('cli', 'deep', 'commands.ts'),
    join('schemas', 'install.schema.json'),
    join('matrix', 'support-matrix.yaml'),
    join('charts', 'model-server', 'values.yaml'),
    join('scripts', 'build.mjs'),
  ])('names %s when it is newer (nested files too)', (path) => {
    const repo = fakeRepo(HOUR);
    touch(repo, path);
    expect(staleBuildReason(repo)).toBe(`${path} is newer than dist/installctl.js`);
  });

  it('covers the source folders the brief names', () => {
    expect(BUILD_INPUTS).toEqual(expect.arrayContaining(['cli', 'schemas', 'matrix', 'charts']));
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
    const build = (root: string): BuildRun => (touchBuilt(root, 0), { ok: true, output: 'built' });
    expect(ensureFreshBuild(repo, build)).toMatch(/is newer than dist\/installctl.js$/);
    expect(staleBuildReason(repo)).toBeNull();
  });

  it('refuses with the build output when the build fails', () => {
    const repo = fakeRepo(null);
    expect(() => ensureFreshBuild(repo, () => ({ ok: false, output: 'esbuild: Could not resolve "x"' }))).toThrow(
      /dist\/installctl.js is missing.*failed; fix the build \(npm run build\)[\s\S]*Could not resolve "x"/,
    );
  });

  it('refuses when the build claims success but leaves dist/ stale', () => {
    expect(() => ensureFreshBuild(fakeRepo(null), () => ({ ok: true, output: '' }))).toThrow(/still stale \(dist\/installctl.js is missing\)/);
  });
});
