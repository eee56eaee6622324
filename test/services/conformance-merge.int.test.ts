/**
 * `conformance merge` reads shard reports a CI job downloaded: untrusted files. Each is read with a
 * cap and checked against schemas/conformance-report.schema.json before the merge touches it; a file
 * that is not a report is CONFORMANCE_BAD_REPORT (exit 2), never a crash or a hang.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, mergeReports } from '../../cli/conformance/reports.js';
import type { CellResult, ConformanceReport } from '../../cli/conformance/types.js';
import { mergeReportFiles } from '../../cli/services/conformance-merge.js';
import { UserError } from '../../cli/lib/errors.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'installctl-merge-'));
const cell: CellResult = {
  id: 'aws/github/saas-api/connected',
  platform: 'aws',
  scm: 'github',
  models: 'saas-api',
  network: 'connected',
  status: 'supported',
  result: 'pass',
  reasons: [],
  durationMs: 10,
  stages: [{ name: 'validate', status: 'pass', durationMs: 1, message: null }],
  upgrades: [{ from: '2026.10.2', to: '2026.11.0', status: 'pass', durationMs: 1, message: null, violations: [] }],
};
const report = (): ConformanceReport => buildReport([cell], { helm: ['3'], shard: null, only: ['aws/github/saas-api/connected'], affected: null }, '0.1.0');

const file = (name: string, content: string | ((path: string) => void)) => {
  const path = join(dir, name);
  if (typeof content === 'string') writeFileSync(path, content);
  else content(path);
  return path;
};

const BAD: Array<[string, () => string]> = [
  ['not JSON', () => file('not-json.json', '{"kind": "ConformanceReport",')],
  ['another kind', () => file('kind.json', JSON.stringify({ ...report(), kind: 'RelocationMap' }))],
  ['null', () => file('null.json', 'null')],
  ['cells not a list', () => file('cells.json', JSON.stringify({ ...report(), cells: 'x' }))],
  ['a cell status the heatmap does not know', () => file('status.json', JSON.stringify({ ...report(), cells: [{ ...cell, status: '"><script>alert(1)</script>' }] }))],
  ['a stage without its fields', () => file('stage.json', JSON.stringify({ ...report(), cells: [{ ...cell, stages: [{}] }] }))],
  ['summary counts as strings', () => file('summary.json', JSON.stringify({ ...report(), summary: { ...report().summary, cells: '1' } }))],
  ['an unknown key', () => file('extra.json', JSON.stringify({ ...report(), injected: true }))],
  ['a commit that is not one', () => file('commit.json', JSON.stringify({ ...report(), run: { ...report().run, commit: '$(reboot)' } }))],
  ['a start that is not a UTC time', () => file('started.json', JSON.stringify({ ...report(), run: { ...report().run, startedAt: 'yesterday <b>' } }))],
  ['an --affected rule without its cells', () => file('affected.json', JSON.stringify({ ...report(), affected: { rules: [{ rule: 'shared', files: ['x'] }], ignored: [] } }))],
  ['an unknown ignore reason', () => file('ignored.json', JSON.stringify({ ...report(), affected: { rules: [], ignored: [{ reason: 'trust me', count: 1, examples: ['x'] }] } }))],
  [
    'ignored files listed one by one',
    () => file('ignored-all.json', JSON.stringify({ ...report(), affected: { rules: [], ignored: [{ reason: 'docs-or-tests', count: 4, examples: ['a', 'b', 'c', 'd'] }] } })),
  ],
  ['a short commit (its length depends on the clone)', () => file('short.json', JSON.stringify({ ...report(), run: { ...report().run, commit: 'abc1234' } }))],
  ['dirty that is not a boolean', () => file('dirty.json', JSON.stringify({ ...report(), run: { ...report().run, dirty: 'no' } }))],
  ['over the 64 MiB cap (sparse)', () => file('huge.json', (path) => (writeFileSync(path, '{'), truncateSync(path, 64 * 1024 * 1024 + 1)))],
  ['an endless device', () => '/dev/zero'],
];

describe('conformance merge refuses what is not a report', () => {
  it.each(BAD)(
    '%s: CONFORMANCE_BAD_REPORT or a FILE_ code, exit 2',
    (_name, make) => {
      const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
      let error: unknown = null;
      try {
        mergeReportFiles([make()], out);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toMatch(/^(CONFORMANCE_BAD_REPORT|FILE_[A-Z_]+)$/);
      expect((error as UserError).exitCode).toBe(2);
      expect(existsSync(out)).toBe(false);
    },
    20_000,
  );

  it('merges a report of the documented shape', () => {
    const merged = mergeReportFiles([file('good.json', JSON.stringify(report()))], join(dir, 'merged'));
    expect(merged.summary.cells).toBe(1);
  });

  it('end to end: a hostile status in a shard is refused by the CLI with exit 2', () => {
    const result = runCli(['conformance', 'merge', BAD[4]![1](), '--report-dir', join(dir, 'cli-out'), '--json']);
    expect(result.status).toBe(2);
    expect(result.json().error.code).toBe('CONFORMANCE_BAD_REPORT');
  });
});

describe('conformance merge of the run details', () => {
  const A = 'abc1234'.padEnd(40, '0');
  const B = 'def5678'.padEnd(40, '0');
  const shard = (index: number, commit: string | null, startedAt: string, durationMs: number, dirty: boolean | null = commit === null ? null : false) =>
    buildReport(
      [{ ...cell, id: index === 1 ? cell.id : 'gcp/github/saas-api/connected', platform: index === 1 ? 'aws' : 'gcp' }],
      { helm: ['3'], shard: { index, count: 2 }, only: [], affected: 'origin/main' },
      '0.1.0',
      {
        run: { commit, dirty, startedAt, durationMs },
        affected: {
          rules: [{ rule: 'shared', files: ['cli/index.ts'], cells: [cell.id] }],
          ignored: [{ reason: 'untracked-outside-sources', count: 1, examples: ['contoso-prod.yaml'] }],
        },
      },
    );

  it('keeps the commit, the earliest start, the longest shard and the --affected explanation', () => {
    const merged = mergeReports([shard(2, A, '2026-12-02T10:00:05.000Z', 40_000), shard(1, A, '2026-12-02T10:00:01.000Z', 52_000)], '0.1.0');
    expect(merged.run).toEqual({ commit: A, dirty: false, startedAt: '2026-12-02T10:00:01.000Z', durationMs: 52_000 });
    expect(merged.affected).toEqual(shard(1, null, '2026-12-02T10:00:01.000Z', 1).affected);
  });

  it('is dirty when any shard was', () => {
    expect(mergeReports([shard(1, A, '2026-12-02T10:00:01.000Z', 1, true), shard(2, A, '2026-12-02T10:00:01.000Z', 1)], '0.1.0').run.dirty).toBe(true);
  });

  it.each([
    ['two commits', A, B],
    ['a commit and none', A, null],
  ])('refuses shards of %s: they are not one run (CONFORMANCE_MERGE_MISMATCH)', (_, first, second) => {
    expect(() => mergeReports([shard(1, first, '2026-12-02T10:00:01.000Z', 1), shard(2, second, '2026-12-02T10:00:01.000Z', 1)], '0.1.0')).toThrow(
      expect.objectContaining({ code: 'CONFORMANCE_MERGE_MISMATCH' }),
    );
  });
});

describe('conformance merge --report-dir where nothing can be written', () => {
  it.each([
    ['a regular file', () => file('a-file', 'x')],
    ['under a regular file', () => join(file('another-file', 'x'), 'reports')],
  ])('%s: OUTPUT_NOT_WRITABLE (exit 2), never a crash', (_name, target) => {
    let error: unknown = null;
    try {
      mergeReportFiles([file('good-2.json', JSON.stringify(report()))], target());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect([(error as UserError).code, (error as UserError).exitCode]).toEqual(['OUTPUT_NOT_WRITABLE', 2]);
  });
});
