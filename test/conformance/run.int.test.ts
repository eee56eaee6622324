/** A real conformance run over a few cells (both Helm versions), its reports, their determinism and merging. */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { conformance } from '../../cli/services/conformance.js';
import { mergeReports } from '../../cli/conformance/reports.js';
import { changedFiles, describeAffected, explainAffected } from '../../cli/conformance/selection.js';
import type { ConformanceReport } from '../../cli/conformance/types.js';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import type { JsonSchema } from '../../cli/schema/schema-resolver.js';
import { REPO, runCli } from '../helpers/cli.js';
import { supportMatrix } from '../../cli/matrix/engine.js';

const ONLY = [
  'onprem/gitlab-self-managed/saas-api/connected',
  'onprem/bitbucket-data-center/self-hosted/air-gapped',
  'aws/github/saas-api/air-gapped',
  'gcp/github/cloud-managed/air-gapped',
];
const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'conformance-report.schema.json'), 'utf8')) as JsonSchema;

/** The report without its durations and start time: what must be identical across runs. */
function withoutDurations(report: ConformanceReport): unknown {
  return JSON.parse(JSON.stringify(report), (key, value) => (key === 'durationMs' ? 0 : key === 'startedAt' ? '' : value));
}

let dir: string;
let report: ConformanceReport;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-conformance-test-'));
  report = await conformance({ only: ONLY, shard: null, helm: ['3', '4'], jobs: 2, reportDir: join(dir, 'full'), affected: null });
}, 300_000);

describe('conformance over a few cells', () => {
  it('passes every stage of renderable cells and rejects unsupported ones with their reasons', () => {
    expect(report.ok).toBe(true);
    expect(report.summary).toEqual({ cells: 4, passed: 4, failed: 0, supported: 2, conditional: 0, unsupported: 2 });
    const selfHosted = report.cells.find((cell) => cell.id === ONLY[1])!;
    expect(selfHosted.stages.map((stage) => stage.name)).toEqual([
      'init',
      'validate',
      'render',
      'synthesis',
      'helm3-lint',
      'helm3-template',
      'helm4-lint',
      'helm4-template',
      'kube-schema',
      'manifest-policies',
      'upgrade',
    ]);
    // The upgrade stage's edges: every pair of consecutive catalogued releases, in order.
    expect(selfHosted.upgrades.map((edge) => [`${edge.from} -> ${edge.to}`, edge.status])).toEqual([
      ['2026.10.2 -> 2026.11.0', 'pass'],
      ['2026.11.0 -> 2026.12.0', 'pass'],
    ]);
    const rejected = report.cells.find((cell) => cell.id === 'aws/github/saas-api/air-gapped')!;
    expect(rejected.stages.map((stage) => [stage.name, stage.status])).toEqual([
      ['init', 'pass'],
      ['validate-rejects', 'pass'],
    ]);
    expect(rejected.reasons).toEqual(['MATRIX_AIRGAP_SAAS_MODELS', 'MATRIX_AIRGAP_GITHUB_COM']);
    expect(rejected.upgrades).toEqual([]);
    expect(report.options.upgradeEdges).toBe(true);
  });

  it('writes conformance.json matching its committed schema', () => {
    const written = JSON.parse(readFileSync(join(dir, 'full', 'conformance.json'), 'utf8'));
    expect(runtimeValidator(schema).check(written)).toEqual([]);
    expect(written).toEqual(report);
  });

  it('records the commit of the checkout, the start and the wall time', () => {
    expect(report.run.commit).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim());
    expect(typeof report.run.dirty).toBe('boolean');
    // (A cell's durationMs can exceed the run's: the Helm 3 and 4 lints of a batch run side by side and both count.)
    expect(Date.now() - Date.parse(report.run.startedAt)).toBeGreaterThanOrEqual(report.run.durationMs);
    expect(Date.now() - Date.parse(report.run.startedAt)).toBeLessThan(30 * 60_000);
    expect(report.run.durationMs).toBeGreaterThan(0);
    expect(report.affected).toBeNull();
  });

  it('writes parseable JUnit: one testcase per cell and stage, and per cell and upgrade edge', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(dir, 'full', 'junit.xml'), 'utf8'));
    const suites = [parsed.testsuites.testsuite].flat();
    const cases = suites.flatMap((suite: { testcase: unknown }) => [suite.testcase].flat()) as Array<{ classname: string; name: string; failure?: unknown }>;
    expect(cases).toHaveLength(report.cells.reduce((sum, cell) => sum + cell.stages.length + cell.upgrades.length, 0));
    expect(cases.some((c) => c.classname === ONLY[1] && c.name === `${ONLY[1]} upgrade 2026.10.2 -> 2026.11.0`)).toBe(true);
    expect(Number(parsed.testsuites.tests)).toBe(cases.length);
    expect(Number(parsed.testsuites.failures)).toBe(0);
    expect(cases.some((c) => c.classname === ONLY[1] && c.name === 'helm4-template')).toBe(true);
  });

  it('writes a PR-sized summary and a self-contained heatmap', () => {
    const summary = readFileSync(join(dir, 'full', 'summary.md'), 'utf8');
    expect(summary).toMatch(/^### installctl conformance: PASS - 4\/4 cells/);
    expect(summary.length).toBeLessThan(65_000);
    const html = readFileSync(join(dir, 'full', 'index.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    expect((html.match(/<td class="cell /g) ?? []).length).toBe(supportMatrix().cells().length);
  });

  it('is deterministic apart from durations', async () => {
    const again = await conformance({ only: ONLY, shard: null, helm: ['3', '4'], jobs: 1, reportDir: null, affected: null });
    expect(withoutDurations(again)).toEqual(withoutDurations(report));
  }, 300_000);

  it('merges shard reports into the full report', async () => {
    const shards = await Promise.all([1, 2].map((index) => conformance({ only: ONLY, shard: { index, count: 2 }, helm: ['3', '4'], jobs: 1, reportDir: null, affected: null })));
    // Balanced by estimated cost: the costliest cell (self-hosted models) alone, the rest in the other shard.
    expect(shards.map((shard) => shard.cells.map((cell) => cell.id))).toEqual([[ONLY[1]], [ONLY[2], ONLY[3], ONLY[0]]]);
    const merged = mergeReports(shards, report.installctl);
    expect(withoutDurations(merged)).toEqual(withoutDurations(report));
    // A crashed shard job must not merge into a green report, nor runs of different Helm versions into one.
    expect(() => mergeReports([shards[0]!], report.installctl)).toThrow(
      expect.objectContaining({ code: 'CONFORMANCE_MERGE_INCOMPLETE', exitCode: 1, details: { missing: ['2/2'] } }),
    );
    const helm3Only = { ...shards[1]!, options: { ...shards[1]!.options, helm: ['3' as const] } };
    expect(() => mergeReports([shards[0]!, helm3Only], report.installctl)).toThrow(expect.objectContaining({ code: 'CONFORMANCE_MERGE_MISMATCH' }));
    expect(() => mergeReports([shards[0]!, report], report.installctl)).toThrow(expect.objectContaining({ code: 'CONFORMANCE_MERGE_MISMATCH' }));
  }, 300_000);
});

describe('installctl conformance (CLI)', () => {
  it('exits 1 and names the stage when a cell misbehaves', () => {
    const fakeHelm = join(dir, 'broken-helm');
    // A working Helm (it answers `helm version`, checked before any cell runs) that fails on this chart.
    writeFileSync(fakeHelm, '#!/bin/sh\nif [ "$1" = version ]; then echo v4.1.4+gfake; exit 0; fi\necho "Error: chart is broken: $*" >&2\nexit 1\n');
    chmodSync(fakeHelm, 0o755);
    const run = runCli(['conformance', '--only', 'onprem/gitlab-self-managed/saas-api/connected', '--helm', '4', '--json'], { env: { INSTALLCTL_HELM4: fakeHelm } });
    expect(run.status).toBe(1);
    const json = run.json() as ConformanceReport;
    const stages = json.cells[0]!.stages;
    expect(stages.find((stage) => stage.status === 'fail')).toMatchObject({ name: 'helm4-lint', message: expect.stringContaining('chart is broken') });
    expect(stages.filter((stage) => stage.status === 'skip').map((stage) => stage.name)).toEqual(['helm4-template', 'kube-schema', 'manifest-policies', 'upgrade']);
    expect(json.cells[0]!.upgrades.map((edge) => edge.status)).toEqual(['skip', 'skip']);
    // The message names files in the run's temporary directory only through a stable placeholder.
    const failure = stages.find((stage) => stage.status === 'fail')!.message!;
    expect(failure).toContain('<cell-work-dir>');
    expect(failure).not.toContain(tmpdir());
    expect(run.stderr).toMatch(/^FAIL \[1\/1\] onprem\/gitlab-self-managed\/saas-api\/connected/m);
    // Not silent while Helm is checked and the workers start: what happens, the plan and its estimate.
    expect(run.stderr.split('\n').slice(0, 2)).toEqual(['conformance: checking Helm 4', expect.stringMatching(/^conformance: 1 cells on 1 worker, estimated ~\d+s$/)]);
  }, 120_000);

  it('--affected says why it selected its cells: on stderr in text, in the report with --json', () => {
    const cell = 'aws/github/saas-api/air-gapped';
    const expected = explainAffected('HEAD', changedFiles('HEAD', REPO));
    const json = runCli(['conformance', '--affected', 'HEAD', '--only', cell, '--helm', '4', '--json']);
    expect(json.status).toBe(0);
    const report = json.json() as ConformanceReport;
    expect(report.affected).toEqual({ rules: expected.rules, ignored: expected.ignored });
    expect(report.cells.map((c) => c.id)).toEqual(expected.cells.some((c) => c.id === cell) ? [cell] : []);
    expect(json.stderr).not.toContain('--affected HEAD:');
    const text = runCli(['conformance', '--affected', 'HEAD', '--only', cell, '--helm', '4']);
    expect(text.stderr.split('\n')).toEqual(expect.arrayContaining(describeAffected(expected, report.cells.length)));
  }, 120_000);

  it("--affected with the run's --cache-dir, --work-dir and --report-dir inside the checkout: none of their files is listed", () => {
    const inside = mkdtempSync(join(REPO, 'conformance-outputs-test-'));
    try {
      const cache = join(inside, 'cache');
      mkdirSync(join(cache, 'v1'), { recursive: true });
      for (let n = 0; n < 30; n++) writeFileSync(join(cache, 'v1', `${String(n).padStart(64, '0')}.json`), '{}');
      const run = runCli([
        'conformance',
        '--affected',
        'HEAD',
        '--only',
        'aws/github/saas-api/air-gapped',
        '--helm',
        '4',
        '--cache-dir',
        cache,
        '--work-dir',
        join(inside, 'work'),
        '--report-dir',
        join(inside, 'reports'),
        '--json',
      ]);
      expect(run.status, run.stderr).toBe(0);
      const affected = (run.json() as ConformanceReport).affected!;
      const named = [...affected.rules.flatMap((rule) => rule.files), ...affected.ignored.flatMap((entry) => entry.examples)];
      expect(named.filter((path) => path.startsWith(relative(REPO, inside)))).toEqual([]);
      expect(affected.ignored.every((entry) => entry.examples.length <= 3)).toBe(true);
    } finally {
      rmSync(inside, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses bad options with usage errors', () => {
    expect(runCli(['conformance', '--shard', '5/4']).status).toBe(2);
    expect(runCli(['conformance', '--only', 'azrue']).stderr).toContain('did you mean azure?');
    expect(runCli(['conformance', '--affected', 'no-such-ref-xyz']).status).toBe(2);
  });

  it('merges shard files and refuses non-reports', () => {
    const out = join(dir, 'merged');
    const run = runCli(['conformance', 'merge', join(dir, 'full', 'conformance.json'), '--report-dir', out, '--json']);
    expect(run.status).toBe(0);
    expect(run.json().summary.cells).toBe(4);
    expect(runCli(['conformance', 'merge', join(REPO, 'package.json'), '--report-dir', out]).status).toBe(2);
  });
});

describe('installctl matrix --format github-actions', () => {
  it('prints a strategy matrix whose shards cover the matrix', () => {
    const run = runCli(['matrix', '--format', 'github-actions', '--shards', '5']);
    const matrix = JSON.parse(run.stdout);
    expect(matrix.include.map((entry: { shard: string }) => entry.shard)).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    expect(matrix.include.reduce((sum: number, entry: { cells: number }) => sum + entry.cells, 0)).toBe(supportMatrix().cells().length);
  });

  it('refuses filters (the shards always cover the whole matrix) and --shards with another format', () => {
    const filtered = runCli(['matrix', '--format', 'github-actions', '--platform', 'aws', '--json']);
    expect(filtered.status).toBe(2);
    expect(filtered.json().error.code).toBe('USAGE');
    expect(runCli(['matrix', '--shards', '3']).status).toBe(2);
  });
});
