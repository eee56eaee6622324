/**
 * The report's run.commit: the full commit of the checkout, whatever the clone (shallow CI checkouts,
 * a configured core.abbrev), so shards of one run always merge; dirty says whether tracked files
 * differed from it. Real git repositories.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutState } from '../../cli/conformance/run-info.js';
import { buildReport, mergeReports, runLine } from '../../cli/conformance/reports.js';
import type { CellResult } from '../../cli/conformance/types.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'protocol.file.allow=always', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** A repository with a few commits (a shallow clone then has fewer objects than a full one). */
function origin(): string {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-run-info-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (let n = 0; n < 5; n++) {
    writeFileSync(join(dir, `file-${n}.txt`), `${n}\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `commit ${n}`);
  }
  return dir;
}

describe('run.commit', () => {
  const source = origin();
  const head = git(source, 'rev-parse', 'HEAD');
  // [clone, make it] : each the way a CI job or a person may have checked the same commit out.
  const CLONES: Array<[string, (target: string) => void]> = [
    ['a full clone', (target) => git(tmpdir(), 'clone', '-q', source, target)],
    ['a shallow clone (actions/checkout: fetch-depth 1)', (target) => git(tmpdir(), 'clone', '-q', '--depth', '1', `file://${source}`, target)],
    [
      'a clone with core.abbrev 12 (git rev-parse --short would print 12 digits)',
      (target) => {
        git(tmpdir(), 'clone', '-q', source, target);
        git(target, 'config', 'core.abbrev', '12');
      },
    ],
  ];

  it.each(CLONES)('is the full commit in %s', (_, make) => {
    const target = join(mkdtempSync(join(tmpdir(), 'installctl-clone-')), 'installctl');
    make(target);
    expect(checkoutState(target)).toEqual({ commit: head, dirty: false });
  });

  it('shards run from differently made clones of one commit merge', () => {
    const cell: CellResult = {
      id: 'aws/github/saas-api/connected',
      platform: 'aws',
      scm: 'github',
      models: 'saas-api',
      network: 'connected',
      status: 'supported',
      result: 'pass',
      reasons: [],
      durationMs: 1,
      stages: [],
      upgrades: [],
    };
    const reports = CLONES.slice(0, 2).map(([, make], index) => {
      const target = join(mkdtempSync(join(tmpdir(), 'installctl-clone-')), 'installctl');
      make(target);
      const state = checkoutState(target)!;
      return buildReport(
        [{ ...cell, id: index === 0 ? cell.id : 'gcp/github/saas-api/connected', platform: index === 0 ? 'aws' : 'gcp' }],
        { helm: ['4'], shard: { index: index + 1, count: 2 }, only: [], affected: null },
        '0.1.0',
        { run: { ...state, startedAt: '2026-12-02T10:00:00.000Z', durationMs: 1 } },
      );
    });
    expect(mergeReports(reports, '0.1.0').run.commit).toBe(head);
  });

  it('is dirty when a tracked file differs (staged or not), not for untracked files; shown short with the mark', () => {
    const target = join(mkdtempSync(join(tmpdir(), 'installctl-clone-')), 'installctl');
    git(tmpdir(), 'clone', '-q', source, target);
    mkdirSync(join(target, 'out'));
    writeFileSync(join(target, 'out', 'untracked.yaml'), 'x\n');
    expect(checkoutState(target)?.dirty).toBe(false);
    appendFileSync(join(target, 'file-1.txt'), 'changed\n');
    expect(checkoutState(target)).toEqual({ commit: head, dirty: true });
    git(target, 'add', 'file-1.txt');
    expect(checkoutState(target)?.dirty).toBe(true);
    expect(runLine({ commit: head, dirty: true, startedAt: '2026-12-02T10:20:07.123Z', durationMs: 1000 })).toBe(
      `commit ${head.slice(0, 12)} (with uncommitted changes), 2026-12-02 10:20 UTC, 1.0 s`,
    );
  });

  it('is null outside a checkout of its own', () => {
    expect(checkoutState(mkdtempSync(join(tmpdir(), 'installctl-no-git-')))).toBeNull();
    const nested = join(source, 'node_modules', 'installctl');
    mkdirSync(nested, { recursive: true });
    expect(checkoutState(nested)).toBeNull();
  });
});
