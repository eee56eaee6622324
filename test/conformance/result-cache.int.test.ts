/**
 * The conformance result cache (--cache-dir), end to end on a copy of the package (so its charts and
 * stacks can change without touching the repository): an unchanged re-run reads every stage from the
 * cache; a change re-runs only the cells and stages that read what changed; bad entries are misses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, utimesSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceReport } from '../../cli/conformance/types.js';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import type { JsonSchema } from '../../cli/schema/schema-resolver.js';
import { REPO } from '../helpers/cli.js';

const SELF_HOSTED = 'onprem/bitbucket-data-center/self-hosted/air-gapped';
const SAAS = 'onprem/gitlab-self-managed/saas-api/connected';
const REJECTED = 'aws/github/saas-api/air-gapped';
const CELLS = [SELF_HOSTED, SAAS, REJECTED];
const BEFORE_HELM = ['init', 'validate', 'render', 'synthesis'];
const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'conformance-report.schema.json'), 'utf8')) as JsonSchema;

let root: string;
let cacheDir: string;

/** A copy of the package that resolves its own charts, stacks and dist/ (dependencies and Helm shared by symlink). */
function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-cache-pkg-'));
  for (const entry of ['package.json', 'cli/bin', 'dist', 'charts', 'matrix', 'schemas', 'stacks']) cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(REPO, '.tools'), join(dir, '.tools'));
  return dir;
}

function conformance(
  env: Record<string, string> = {},
  cache = cacheDir,
  args: string[] = ['--only', CELLS.join(',')],
): { status: number | null; report: ConformanceReport; stderr: string } {
  const run = spawnSync(process.execPath, [join(root, 'cli', 'bin', 'run.js'), 'conformance', ...args, '--cache-dir', cache, '--json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 300_000,
  });
  return { status: run.status, report: run.stdout ? (JSON.parse(run.stdout) as ConformanceReport) : (null as never), stderr: run.stderr };
}

/** Per cell, the stages that ran (not read from the cache). */
const ran = (report: ConformanceReport) => Object.fromEntries(report.cells.map((cell) => [cell.id, cell.stages.filter((stage) => !stage.cached).map((stage) => stage.name)]));
const comparable = (report: ConformanceReport) =>
  JSON.parse(JSON.stringify(report), (key, value) => (key === 'durationMs' || key === 'cached' || key === 'startedAt' ? undefined : value)) as unknown;

let cold: ConformanceReport;
beforeAll(() => {
  root = packageCopy();
  cacheDir = join(root, '.cache', 'conformance');
  const run = conformance();
  expect(run.status, run.stderr).toBe(0);
  cold = run.report;
}, 300_000);

describe('conformance --cache-dir', () => {
  it('caches nothing on a cold run; an unchanged re-run reads every stage from the cache and reports the same', () => {
    expect(cold.ok).toBe(true);
    expect(cold.cells.flatMap((cell) => cell.stages).filter((stage) => stage.cached)).toEqual([]);
    expect(cold.cells.flatMap((cell) => cell.upgrades).filter((edge) => edge.cached)).toEqual([]);
    const warm = conformance();
    expect(warm.status).toBe(0);
    expect(ran(warm.report)).toEqual({ [SELF_HOSTED]: [], [SAAS]: [], [REJECTED]: [] });
    // Every upgrade edge of the renderable cells (two each: three catalogued releases) was read from the cache, not run.
    const edges = warm.report.cells.flatMap((cell) => cell.upgrades);
    expect(edges).toHaveLength(4);
    expect(edges.every((edge) => edge.cached === true && edge.durationMs === 0 && edge.status === 'pass')).toBe(true);
    const text = spawnSync(process.execPath, [join(root, 'cli', 'bin', 'run.js'), 'conformance', '--only', CELLS.join(','), '--cache-dir', cacheDir], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(text.stdout).toMatch(/stages and 4\/4 upgrade edges from the cache/);
    expect(warm.report.cells.flatMap((cell) => cell.stages).every((stage) => stage.durationMs === 0)).toBe(true);
    expect(comparable(warm.report)).toEqual(comparable(cold));
    expect(runtimeValidator(schema).check(warm.report)).toEqual([]);
  }, 300_000);

  const HELM_AND_CHECKS = ['helm3-lint', 'helm3-template', 'helm4-lint', 'helm4-template', 'kube-schema', 'manifest-policies', 'upgrade'];
  it.each([
    [
      'a model-server template',
      'charts/model-server/templates/_helpers.tpl',
      '\n{{/* touched by the cache test */}}\n',
      { [SELF_HOSTED]: HELM_AND_CHECKS, [SAAS]: [], [REJECTED]: [] },
    ],
    [
      'an agent-platform template',
      'charts/agent-platform/templates/_helpers.tpl',
      '\n{{/* touched by the cache test */}}\n',
      { [SELF_HOSTED]: HELM_AND_CHECKS, [SAAS]: HELM_AND_CHECKS, [REJECTED]: [] },
    ],
    [
      'a stack file (read by render, vendored into the Pulumi project)',
      'stacks/onprem/index.ts',
      '\n// touched by the cache test\n',
      { [SELF_HOSTED]: [...BEFORE_HELM, ...HELM_AND_CHECKS.slice(4)], [SAAS]: [...BEFORE_HELM, ...HELM_AND_CHECKS.slice(4)], [REJECTED]: [] },
    ],
  ])(
    'a change to %s re-runs only the cells and stages that read it',
    (_, file, addition, expected) => {
      appendFileSync(join(root, file), addition);
      const changed = conformance();
      expect(changed.status, changed.stderr).toBe(0);
      expect(ran(changed.report)).toEqual(expected);
      expect(comparable(changed.report)).toEqual(comparable(cold));
      // And the next unchanged run is warm again.
      expect(ran(conformance().report)).toEqual({ [SELF_HOSTED]: [], [SAAS]: [], [REJECTED]: [] });
    },
    300_000,
  );

  it("keys Helm by the binary's content: another Helm 4 re-runs the Helm 4 stages and the checks only (the edges template with Helm 3, the run's first)", () => {
    const wrapper = join(root, 'helm4-wrapper');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(join(REPO, '.tools', 'helm4', 'helm'))} "$@"\n`, { mode: 0o755 });
    const other = conformance({ INSTALLCTL_HELM4: wrapper });
    expect(other.status, other.stderr).toBe(0);
    const rerun = ['helm4-lint', 'helm4-template', 'kube-schema', 'manifest-policies'];
    expect(ran(other.report)).toEqual({ [SELF_HOSTED]: rerun, [SAAS]: rerun, [REJECTED]: [] });
  }, 300_000);

  it("with --work-dir, a warm cache still leaves every cell's files there (render runs; Helm stages may come from the cache)", () => {
    const work = join(root, 'work');
    const run = spawnSync(process.execPath, [join(root, 'cli', 'bin', 'run.js'), 'conformance', '--only', CELLS.join(','), '--cache-dir', cacheDir, '--work-dir', work, '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 300_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ConformanceReport;
    for (const cell of [SELF_HOSTED, SAAS]) {
      const dir = join(work, cell.replace(/\//g, '__'));
      for (const file of ['spec.yaml', 'out/RUNBOOK.md', 'out/pulumi/Pulumi.yaml', 'out/helm/agent-platform.values.yaml'])
        expect(existsSync(join(dir, file)), `${cell}: ${file}`).toBe(true);
      expect(ran(report)[cell]).toEqual(expect.arrayContaining(['init', 'validate', 'render']));
    }
    expect(comparable(report)).toEqual(comparable(cold));
  }, 300_000);

  it('treats every kind of bad entry as a miss: the run recomputes and passes', () => {
    const corrupt = join(root, '.cache', 'corrupt');
    cpSync(cacheDir, corrupt, { recursive: true });
    const entries = join(corrupt, 'v1');
    const KINDS: Array<(path: string) => void> = [
      (path) => writeFileSync(path, 'not json {'),
      (path) => writeFileSync(path, ''),
      (path) => writeFileSync(path, JSON.stringify({ key: 'another-key', value: true })),
      (path) =>
        writeFileSync(
          path,
          JSON.stringify({
            key: path
              .split('/')
              .pop()!
              .replace(/\.json$/, ''),
            value: { charts: ['evil-chart'], values: 7 },
          }),
        ),
      (path) => writeFileSync(path, 'null'),
      (path) => truncateSync(path, 17 * 1024 * 1024),
      (path) => {
        rmSync(path);
        spawnSync('mkfifo', [path]);
      },
    ];
    readdirSync(entries)
      .sort()
      .forEach((name, index) => KINDS[index % KINDS.length]!(join(entries, name)));
    const run = conformance({}, corrupt);
    expect(run.status, run.stderr).toBe(0);
    expect(comparable(run.report)).toEqual(comparable(cold));
  }, 300_000);

  it('--cache-prune keeps every entry the run read or wrote (workers mark hits) and drops the rest', async () => {
    // An entry nobody uses (as a changed chart leaves behind), and a cache of an older format.
    const stale = join(cacheDir, 'v1', `${'f'.repeat(64)}.json`);
    writeFileSync(stale, JSON.stringify({ key: 'f'.repeat(64), value: true }));
    utimesSync(stale, new Date(2020, 0, 1), new Date(2020, 0, 1));
    mkdirSync(join(cacheDir, 'v0'), { recursive: true });
    const pruned = conformance({}, cacheDir, ['--only', CELLS.join(','), '--cache-prune']);
    expect(pruned.status, pruned.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(cacheDir)).toEqual(['v1']);
    // Nothing the run used was dropped: the next run reads every stage from the cache.
    expect(ran(conformance().report)).toEqual({ [SELF_HOSTED]: [], [SAAS]: [], [REJECTED]: [] });
    // A run over one cell keeps only what that cell used: the others recompute afterwards. (Entries
    // used within the prune's slack for coarse file system clocks before the run count as used.)
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(conformance({}, cacheDir, ['--only', SAAS, '--cache-prune']).status).toBe(0);
    const after = ran(conformance().report);
    expect(after[SAAS]).toEqual([]);
    expect(after[REJECTED]).toEqual(['init', 'validate-rejects']);
    expect(after[SELF_HOSTED]).toContain('render');
  }, 300_000);

  it('refuses a --cache-dir it cannot write before any cell runs (OUTPUT_NOT_WRITABLE, exit 2)', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const run = conformance({}, file);
    expect(run.status).toBe(2);
    expect((run.report as unknown as { error: { code: string } }).error.code).toBe('OUTPUT_NOT_WRITABLE');
  });
});
