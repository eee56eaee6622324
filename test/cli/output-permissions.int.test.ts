/**
 * File-system user errors of render, init and bundle keygen, end to end: read-only parents,
 * hard links the kernel refuses (fs.protected_hardlinks), unreadable and read-only operator files.
 * Each is a user error with a code and exit 2, or handled; never "this is a bug" (70), and nothing
 * is left beside DIR. These run as an unprivileged user (root ignores permission bits).
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.js';
import { NOBODY, runCliUnprivileged, unprivileged, unprivilegedDir } from '../helpers/unprivileged.js';

const EXAMPLE = join(REPO, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml');
const isRoot = process.getuid?.() === 0;
const LEFTOVER = /\.installctl-(staging|previous|replaced)-/;

/** A directory of the unprivileged user's, with `ro/` it cannot write into (owned by root as root, else 0555). */
function workspace(): { dir: string; home: string; ro: string } {
  const dir = unprivilegedDir('installctl-perm-');
  const home = join(dir, 'home');
  const ro = join(dir, 'ro');
  mkdirSync(home);
  mkdirSync(ro);
  if (isRoot) {
    chownSync(home, NOBODY, NOBODY);
    chownSync(ro, 0, 0);
  }
  chmodSync(ro, 0o555);
  return { dir, home, ro };
}

const INIT = ['init', '--platform', 'aws', '--scm', 'github', '--models', 'saas-api', '--network', 'connected'];

describe.skipIf(!unprivileged.available)(`as an unprivileged user${unprivileged.reason ? ` (skipped: ${unprivileged.reason})` : ''}`, () => {
  it.each([
    ['render into a missing directory under a read-only one', (ro: string) => ['render', EXAMPLE, '--out', join(ro, 'out'), '--json']],
    ['render into a missing directory two levels under a read-only one', (ro: string) => ['render', EXAMPLE, '--out', join(ro, 'a', 'out'), '--json']],
    ['init --out in a read-only directory', (ro: string) => [...INIT, '--out', join(ro, 'spec.yaml'), '--json']],
    ['bundle keygen --out in a read-only directory', (ro: string) => ['bundle', 'keygen', '--out', join(ro, 'release'), '--json']],
    ['bundle keygen --out under a missing directory of a read-only one', (ro: string) => ['bundle', 'keygen', '--out', join(ro, 'keys', 'release'), '--json']],
  ])('%s: OUTPUT_NOT_WRITABLE naming the directory, exit 2, nothing written', (_name, args) => {
    const { dir, home, ro } = workspace();
    const run = runCliUnprivileged(args(ro), { cwd: dir, home });
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(run.json().error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(run.json().error.message).toContain(ro);
    expect(readdirSync(ro)).toEqual([]);
  });

  it('render over an earlier render whose parent became read-only: OUTPUT_NOT_WRITABLE, the render intact', () => {
    const { dir, home } = workspace();
    const parent = join(dir, 'deploy');
    mkdirSync(parent);
    if (isRoot) chownSync(parent, NOBODY, NOBODY);
    expect(runCliUnprivileged(['render', EXAMPLE, '--out', join(parent, 'out')], { cwd: dir, home }).status).toBe(0);
    const runbook = readFileSync(join(parent, 'out', 'RUNBOOK.md'), 'utf8');
    chmodSync(parent, 0o555);
    const run = runCliUnprivileged(['render', EXAMPLE, '--out', join(parent, 'out'), '--json'], { cwd: dir, home });
    expect(run.status).toBe(2);
    expect(run.json().error.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(readdirSync(parent)).toEqual(['out']);
    expect(readFileSync(join(parent, 'out', 'RUNBOOK.md'), 'utf8')).toBe(runbook);
  });

  it('carries over a file it may not hard-link (another owner, fs.protected_hardlinks) by copying it, mode kept', () => {
    const { dir, home } = workspace();
    const out = join(dir, 'out');
    expect(runCliUnprivileged(['render', EXAMPLE, '--out', out], { cwd: dir, home }).status).toBe(0);
    // Written by someone else (root, as the test runs as root in CI): readable, not the user's.
    writeFileSync(join(out, 'ca-bundle.pem'), 'CERT', { mode: 0o644 });
    chmodSync(join(out, 'ca-bundle.pem'), 0o644);
    const run = runCliUnprivileged(['render', EXAMPLE, '--out', out, '--json'], { cwd: dir, home });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.json().kept).toContain('ca-bundle.pem');
    expect(readFileSync(join(out, 'ca-bundle.pem'), 'utf8')).toBe('CERT');
    expect(statSync(join(out, 'ca-bundle.pem')).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).filter((name) => LEFTOVER.test(name))).toEqual([]);
  });

  it('refuses to drop a file it cannot read: RENDER_CARRY_OVER_FAILED, exit 2, DIR untouched, no staging left', () => {
    const { dir, home } = workspace();
    const out = join(dir, 'out');
    expect(runCliUnprivileged(['render', EXAMPLE, '--out', out], { cwd: dir, home }).status).toBe(0);
    writeFileSync(join(out, 'root-only'), 'secret', { mode: 0o600 });
    if (!isRoot) chmodSync(join(out, 'root-only'), 0o000);
    const run = runCliUnprivileged(['render', EXAMPLE, '--out', out, '--json'], { cwd: dir, home });
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(run.json().error.code).toBe('RENDER_CARRY_OVER_FAILED');
    expect(existsSync(join(out, 'root-only'))).toBe(true);
    expect(readdirSync(dir).filter((name) => LEFTOVER.test(name))).toEqual([]);
  });

  it('carries read-only directories (a module cache) across re-renders and removes the old copy', () => {
    const { dir, home } = workspace();
    const out = join(dir, 'out');
    expect(runCliUnprivileged(['render', EXAMPLE, '--out', out], { cwd: dir, home }).status).toBe(0);
    const cache = join(out, 'pulumi', 'go-cache', 'mod');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'x.go'), 'package x');
    if (isRoot) for (const path of [join(out, 'pulumi', 'go-cache'), cache, join(cache, 'x.go')]) chownSync(path, NOBODY, NOBODY);
    chmodSync(cache, 0o555);
    chmodSync(join(out, 'pulumi', 'go-cache'), 0o555);
    for (const round of [1, 2]) {
      const run = runCliUnprivileged(['render', EXAMPLE, '--out', out, '--json'], { cwd: dir, home });
      expect(run.status, `round ${round}: ${run.stdout}${run.stderr}`).toBe(0);
      expect(run.json().recovery.remaining).toEqual([]);
      expect(readFileSync(join(cache, 'x.go'), 'utf8')).toBe('package x');
      expect(statSync(cache).mode & 0o777).toBe(0o555);
      expect(readdirSync(dir).filter((name) => LEFTOVER.test(name))).toEqual([]);
    }
  });
});

describe("bundle keygen --out keys/release (the README's command) with no keys/ yet", () => {
  it('creates keys/ owner-only (0700) and the pair in it', () => {
    const { dir, home } = workspace();
    const run = unprivileged.available
      ? runCliUnprivileged(['bundle', 'keygen', '--out', 'keys/release', '--json'], { cwd: dir, home })
      : runCli(['bundle', 'keygen', '--out', 'keys/release', '--json'], { cwd: dir });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'keys')).sort()).toEqual(['release.key', 'release.pub']);
    expect(statSync(join(dir, 'keys', 'release.key')).mode & 0o777).toBe(0o600);
  });
});
