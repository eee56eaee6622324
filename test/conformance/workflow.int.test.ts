/** The example GitHub Actions workflow: planned by `matrix --format github-actions`, shards fanned out, reports merged. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO, runCli } from '../helpers/cli.js';

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}
interface Job {
  needs?: string | string[];
  if?: string;
  strategy?: { 'fail-fast'?: boolean; matrix?: string };
  outputs?: Record<string, string>;
  steps: Step[];
}

const workflow = parse(readFileSync(join(REPO, '.github', 'workflows', 'conformance.yml'), 'utf8')) as { jobs: Record<string, Job> };
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');

describe('example conformance workflow', () => {
  it('plans shards with installctl matrix --format github-actions, and the plan has the fields the jobs read', () => {
    const plan = workflow.jobs.plan!;
    const command = /npx installctl (matrix --format github-actions --shards (\d+))/.exec(runs(plan));
    expect(command).not.toBeNull();
    const printed = runCli(command![1]!.split(' '));
    expect(printed.status).toBe(0);
    const matrix = JSON.parse(printed.stdout) as { include: Array<Record<string, unknown>> };
    expect(matrix.include).toHaveLength(Number(command![2]));
    const conformance = workflow.jobs.conformance!;
    const read = [...JSON.stringify(conformance).matchAll(/\$\{\{ matrix\.(\w+) \}\}/g)].map((match) => match[1]!);
    expect(read.length).toBeGreaterThan(0);
    for (const entry of matrix.include) for (const field of read) expect(entry, field).toHaveProperty(field);
  });

  it("fans out one job per shard, never cancelling the others, and keeps each shard's reports", () => {
    const job = workflow.jobs.conformance!;
    expect(job.needs).toBe('plan');
    expect(job.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.plan.outputs.matrix) }}' });
    expect(runs(job)).toMatch(/npx installctl conformance --shard "\$\{\{ matrix\.shard \}\}".*--report-dir "reports\/\$\{\{ strategy\.job-index \}\}"/);
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact') && String(step.with?.path).startsWith('reports/'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toBe('reports/${{ strategy.job-index }}');
  });

  const INPUTS = ['charts/**', 'stacks/**', 'matrix/**', 'schemas/**', 'cli/**', 'package-lock.json'];

  it('finds Helm after npm ci alone; every shard restores ONE shared --cache-dir cache, keyed on the inputs', () => {
    const job = workflow.jobs.conformance!;
    expect(job.steps.map((step) => step.run ?? '')).toContain('npm ci');
    expect(runs(job)).not.toContain('fetch-helm');
    const cacheDir = /npx installctl conformance .*--cache-dir (\S+)/.exec(runs(job))?.[1];
    expect(cacheDir).toBeDefined();
    const restore = job.steps.findIndex((step) => step.uses?.startsWith('actions/cache/restore@'));
    const conformance = job.steps.findIndex((step) => step.run?.includes('installctl conformance'));
    expect(restore).toBeGreaterThan(-1);
    expect(restore).toBeLessThan(conformance);
    expect(job.steps[restore]!.with?.path).toBe(cacheDir);
    const key = String(job.steps[restore]!.with?.key);
    // One cache for all shards (on PRs --affected splits other cells into the shards): nothing per shard in the key.
    expect(key).not.toContain('matrix.');
    expect(key).not.toContain('strategy.');
    for (const input of INPUTS) expect(key).toContain(`'${input}'`);
    const prefix = String(job.steps[restore]!.with?.['restore-keys']).trim();
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix).not.toContain('strategy.');
    // Shards never save it (the last writer would drop the others' entries): each uploads its cache directory.
    expect(job.steps.some((step) => step.uses?.startsWith('actions/cache/save@') || step.uses?.startsWith('actions/cache@'))).toBe(false);
    const upload = job.steps.findIndex((step) => step.uses?.startsWith('actions/upload-artifact') && step.with?.path === cacheDir);
    expect(upload).toBeGreaterThan(conformance);
    expect(job.steps[upload]!.if).toBe('always()');
    // The cache directory is hidden (.cache/): upload-artifact skips hidden files unless told.
    expect(job.steps[upload]!.with?.['include-hidden-files']).toBe(true);
    const name = String(job.steps[upload]!.with?.name);
    expect(name).toContain('${{ strategy.job-index }}');
    // Not caught by the report job's download of the shards' reports (pattern conformance-*).
    expect(name.startsWith('conformance-')).toBe(false);
  });

  it('prunes the cache on main only (--cache-prune), never on pull requests', () => {
    // Only the conformance step, its command turned into an echo: nothing else of the workflow is run here.
    const script = workflow.jobs.conformance!.steps.find((step) => step.run?.includes('npx installctl conformance'))!.run!;
    expect(script).toMatch(/npx installctl conformance .*--cache-dir \S+ \$PRUNE/);
    const echoed = script
      .replace(/\$\{\{ github\.event_name \}\}/g, '%EVENT%')
      .replace(/\$\{\{ [^}]+ \}\}/g, 'x')
      .replace('npx installctl conformance', 'echo');
    expect(echoed.split('\n').filter((line) => line.trim() && !/^\s*(AFFECTED|PRUNE)=|^\s*if \[|^\s*echo /.test(line))).toEqual([]);
    const shell = (event: string) => execFileSync('sh', ['-c', echoed.replace(/%EVENT%/g, event)], { encoding: 'utf8' });
    expect(shell('push')).toContain('--cache-prune');
    expect(shell('pull_request')).not.toContain('--cache-prune');
    expect(shell('pull_request')).toContain('--affected');
  });

  it("saves the union of the shards' caches once, from the report job, under the key every shard restored", () => {
    const shards = workflow.jobs.conformance!;
    const restore = shards.steps.find((step) => step.uses?.startsWith('actions/cache/restore@'))!;
    const upload = shards.steps.find((step) => step.uses?.startsWith('actions/upload-artifact') && step.with?.path === restore.with?.path)!;
    const job = workflow.jobs.report!;
    const download = job.steps.findIndex((step) => step.uses?.startsWith('actions/download-artifact') && step.with?.path === restore.with?.path);
    const save = job.steps.findIndex((step) => step.uses?.startsWith('actions/cache/save@'));
    expect(download).toBeGreaterThan(-1);
    expect(save).toBeGreaterThan(download);
    const pattern = String(job.steps[download]!.with?.pattern);
    expect(String(upload.with?.name).replace('${{ strategy.job-index }}', '3')).toMatch(new RegExp(`^${pattern.replace('*', '.*')}$`));
    expect(job.steps[download]!.with?.['merge-multiple']).toBe(true);
    expect(job.steps[save]!.if).toBe('always()');
    expect(job.steps[save]!.with?.path).toBe(restore.with?.path);
    expect(job.steps[save]!.with?.key).toBe(restore.with?.key);
  });

  it("merges every shard's conformance.json with installctl conformance merge, even after failures", () => {
    const job = workflow.jobs.report!;
    expect(job.needs).toBe('conformance');
    expect(job.if).toBe('always()');
    const download = job.steps.find((step) => step.uses?.startsWith('actions/download-artifact'));
    expect(download?.with).toMatchObject({ path: 'shards', pattern: 'conformance-*' });
    expect(runs(job)).toContain('npx installctl conformance merge shards/*/conformance.json --report-dir merged');
    // The merged command refuses an incomplete set; the summary step must then still show what there is.
    const summary = job.steps.find((step) => step.run?.includes('summary.md'));
    expect(summary?.if).toBe('always()');
  });
});
