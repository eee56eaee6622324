/**
 * The one golden-file mechanism. A golden is a reviewed, committed output; a test compares what the
 * code produces today with it, byte for byte. Updating is deliberate: `UPDATE_GOLDEN=1` writes the
 * file and still fails the test, so an update run never passes (in CI or anywhere): review the
 * `git diff` of the goldens, then run again without it. A missing golden fails the same way.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { expect } from 'vitest';
import { REPO } from './cli.js';

/** True when this run was asked to (re)write goldens. */
export function updatingGoldens(): boolean {
  return process.env.UPDATE_GOLDEN === '1';
}

function shown(path: string): string {
  return path.startsWith(REPO) ? relative(REPO, path) : path;
}

/**
 * Compares `actual` with the golden file at `path` (a diff on mismatch). With UPDATE_GOLDEN=1 writes
 * `actual` to it and fails, so the update is reviewed before a run can pass.
 */
export function expectGolden(path: string, actual: string): void {
  if (updatingGoldens()) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    throw new Error(`UPDATE_GOLDEN=1 wrote ${shown(path)}: review its git diff, then run again without UPDATE_GOLDEN (an update run always fails)`);
  }
  expectSameAsGolden(path, actual);
}

/**
 * Compares `actual` with a golden some other test case writes (never writes it, even with
 * UPDATE_GOLDEN=1): for outputs that must equal another case's golden, e.g. a stack every SCM shares.
 */
export function expectSameAsGolden(path: string, actual: string, what = ''): void {
  if (!existsSync(path)) {
    throw new Error(`no golden file ${shown(path)}: run UPDATE_GOLDEN=1 npx vitest run <this test file>, review the new file, then run again without it`);
  }
  const expected = readFileSync(path);
  if (Buffer.from(actual, 'utf8').equals(expected)) return;
  const message = `${what ? `${what}: ` : ''}differs from the golden ${shown(path)}; if the change is intended, UPDATE_GOLDEN=1 and review the diff`;
  expect(actual, message).toBe(expected.toString('utf8'));
  // Same text, different bytes (the golden is not valid UTF-8): still a mismatch.
  throw new Error(`${message} (its bytes are not the UTF-8 of the output)`);
}
