/**
 * Recovery from a render killed mid-write: each state a kill can leave beside DIR (built here the
 * way writeDirectoryAtomic builds it, with the pid of a process that has exited), and what the next
 * render finds: DIR restored with every operator file, leftovers removed unless they may hold the
 * only copy of operator state, leftovers of a running render never touched.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { linkEntries, operatorEntries, previousRender } from '../../cli/emit/carry-over.js';
import { recoverInterruptedRender } from '../../cli/emit/interrupted.js';
import { leftoverPath } from '../../cli/emit/output-dir.js';
import { UserError } from '../../cli/lib/errors.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DEAD = spawnSync('true').pid!;
const ALSO_DEAD = spawnSync('true').pid!;
const OPERATOR = { password: 's3cr3t', 'pulumi/node_modules/x/i.js': 'module.exports = 1;' };

/** Writes a render of `files` into dir (manifest included) and, with `from`, carries over what a re-render keeps. */
function renderInto(dir: string, files: Record<string, string>, from?: string, carry: 'link' | 'copy' = 'link'): void {
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const manifest = { kind: 'RenderManifest', files: Object.entries(files).map(([path, content]) => ({ path, sha256: sha256(content), bytes: Buffer.byteLength(content) })) };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  if (!from) return;
  const kept = operatorEntries(previousRender(from)!, new Set([...Object.keys(files), 'manifest.json']));
  if (carry === 'link') linkEntries(from, dir, kept);
  else for (const path of kept) cpSync(join(from, path), join(dir, path), { recursive: true });
}

/** An earlier render at parent/out with operator state in it. */
function earlier(): { parent: string; out: string } {
  const parent = mkdtempSync(join(tmpdir(), 'installctl-interrupted-'));
  const out = join(parent, 'out');
  renderInto(out, { 'RUNBOOK.md': 'v1', 'pulumi/Pulumi.acme.yaml': 'config: {}\n' });
  for (const [path, content] of Object.entries(OPERATOR)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
  return { parent, out };
}

const NEW_FILES = { 'RUNBOOK.md': 'v2', 'pulumi/Pulumi.acme.yaml': 'config: {}\n' };
const expectOperatorState = (out: string) => {
  for (const [path, content] of Object.entries(OPERATOR)) expect(readFileSync(join(out, path), 'utf8'), path).toBe(content);
};
const siblings = (parent: string) => readdirSync(parent).sort();

describe('recoverInterruptedRender', () => {
  it('does nothing when there is nothing left over', () => {
    const { out } = earlier();
    expect(recoverInterruptedRender(out)).toEqual({ restored: null, removed: [], remaining: [] });
  });

  it('killed while writing the first render: removes the partial staging directory', () => {
    const parent = mkdtempSync(join(tmpdir(), 'installctl-interrupted-'));
    const out = join(parent, 'out');
    mkdirSync(leftoverPath(out, 'staging', DEAD));
    writeFileSync(join(leftoverPath(out, 'staging', DEAD), 'RUNBOOK.md'), 'v1');
    expect(recoverInterruptedRender(out)).toEqual({ restored: null, removed: [leftoverPath(out, 'staging', DEAD)], remaining: [] });
    expect(siblings(parent)).toEqual([]);
  });

  it('killed before the swap: DIR is intact, the staging directory (hard links into DIR) goes', () => {
    const { parent, out } = earlier();
    renderInto(leftoverPath(out, 'staging', DEAD), NEW_FILES, out);
    const recovery = recoverInterruptedRender(out);
    expect(recovery.removed).toEqual([leftoverPath(out, 'staging', DEAD)]);
    expect(siblings(parent)).toEqual(['out']);
    expectOperatorState(out);
    expect(readFileSync(join(out, 'RUNBOOK.md'), 'utf8')).toBe('v1');
  });

  it('killed between the renames: DIR is missing; restored from the previous directory with every operator file', () => {
    const { parent, out } = earlier();
    renderInto(leftoverPath(out, 'staging', DEAD), NEW_FILES, out);
    renameSync(out, leftoverPath(out, 'previous', DEAD));
    const recovery = recoverInterruptedRender(out);
    expect(recovery).toEqual({ restored: leftoverPath(out, 'previous', DEAD), removed: [leftoverPath(out, 'staging', DEAD)], remaining: [] });
    expect(siblings(parent)).toEqual(['out']);
    expectOperatorState(out);
    expect(readFileSync(join(out, 'RUNBOOK.md'), 'utf8')).toBe('v1');
  });

  it('killed between the renames, and the operator has since made DIR again, empty: restored into it', () => {
    const { parent, out } = earlier();
    renameSync(out, leftoverPath(out, 'previous', DEAD));
    mkdirSync(out);
    expect(recoverInterruptedRender(out).restored).toBe(leftoverPath(out, 'previous', DEAD));
    expect(siblings(parent)).toEqual(['out']);
    expectOperatorState(out);
  });

  it.each(['link', 'copy'] as const)('killed after the swap (operator files carried by %s): the previous directory goes', (carry) => {
    const { parent, out } = earlier();
    const staging = leftoverPath(out, 'staging', DEAD);
    renderInto(staging, NEW_FILES, out, carry);
    renameSync(out, leftoverPath(out, 'previous', DEAD));
    renameSync(staging, out);
    expect(recoverInterruptedRender(out)).toEqual({ restored: null, removed: [leftoverPath(out, 'previous', DEAD)], remaining: [] });
    expect(siblings(parent)).toEqual(['out']);
    expectOperatorState(out);
    expect(readFileSync(join(out, 'RUNBOOK.md'), 'utf8')).toBe('v2');
  });

  it('keeps a previous directory holding operator files DIR lacks (DIR made again by hand), and says so', () => {
    const { parent, out } = earlier();
    renameSync(out, leftoverPath(out, 'previous', DEAD));
    renderInto(out, NEW_FILES);
    expect(recoverInterruptedRender(out)).toEqual({ restored: null, removed: [], remaining: [leftoverPath(out, 'previous', DEAD)] });
    expect(readFileSync(join(leftoverPath(out, 'previous', DEAD), 'password'), 'utf8')).toBe('s3cr3t');
    expect(siblings(parent)).toEqual([`.out.installctl-previous-${DEAD}`, 'out']);
  });

  it("keeps a previous directory whose operator file differs from DIR's copy", () => {
    const { out } = earlier();
    const staging = leftoverPath(out, 'staging', DEAD);
    renderInto(staging, NEW_FILES, out, 'copy');
    writeFileSync(join(staging, 'password'), 'changed');
    renameSync(out, leftoverPath(out, 'previous', DEAD));
    renameSync(staging, out);
    expect(recoverInterruptedRender(out).remaining).toEqual([leftoverPath(out, 'previous', DEAD)]);
  });

  it('a --force replacement killed between the renames: the replaced directory comes back; once DIR exists it goes', () => {
    const parent = mkdtempSync(join(tmpdir(), 'installctl-interrupted-'));
    const out = join(parent, 'out');
    mkdirSync(leftoverPath(out, 'replaced', DEAD));
    writeFileSync(join(leftoverPath(out, 'replaced', DEAD), 'notes.txt'), 'mine');
    expect(recoverInterruptedRender(out).restored).toBe(leftoverPath(out, 'replaced', DEAD));
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');

    mkdirSync(leftoverPath(out, 'replaced', DEAD));
    expect(recoverInterruptedRender(out).removed).toEqual([leftoverPath(out, 'replaced', DEAD)]);
    expect(siblings(parent)).toEqual(['out']);
  });

  it('with several previous directories and DIR missing, restores one and keeps the rest that hold other files', () => {
    const { parent, out } = earlier();
    const older = leftoverPath(out, 'previous', DEAD);
    const newer = leftoverPath(out, 'previous', ALSO_DEAD);
    cpSync(out, older, { recursive: true });
    writeFileSync(join(older, 'only-here'), 'x');
    // The newest is told by the rename's ctime: let the clock (coarse on some file systems) move on.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    renameSync(out, newer);
    const recovery = recoverInterruptedRender(out);
    expect(recovery.restored).toBe(newer);
    expect(recovery.remaining).toEqual([older]);
    expectOperatorState(out);
    expect(existsSync(join(older, 'only-here'))).toBe(true);
    expect(siblings(parent)).toEqual([`.out.installctl-previous-${DEAD}`, 'out']);
  });

  it('ignores names that only look like leftovers of DIR', () => {
    const { parent, out } = earlier();
    const lookalikes = ['.out.installctl-previous-abc', '.out.installctl-previous-0', '.outer.installctl-previous-1', '.out.installctl-staging-1-x', 'out.installctl-staging-1'];
    for (const name of lookalikes) mkdirSync(join(parent, name));
    expect(recoverInterruptedRender(out)).toEqual({ restored: null, removed: [], remaining: [] });
    expect(siblings(parent)).toEqual([...lookalikes, 'out'].sort());
  });

  describe('a render still running', () => {
    const child = spawn('sleep', ['60']);
    afterAll(() => child.kill());
    it('is never interfered with: RENDER_OUT_BUSY, nothing touched', () => {
      const { parent, out } = earlier();
      renameSync(out, leftoverPath(out, 'previous', child.pid!));
      const before = siblings(parent);
      let error: unknown;
      try {
        recoverInterruptedRender(out);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('RENDER_OUT_BUSY');
      expect((error as UserError).exitCode).toBe(2);
      expect(siblings(parent)).toEqual(before);
    });
  });
});
