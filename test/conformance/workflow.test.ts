/** The example GitHub Actions workflow: planned by `matrix --format github-actions`, shards fanned out, reports merged. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO, runCli } from '../helpers/cli.js';

interface Step { run?: string; uses?: string; if?: string; with?: Record<string, unknown> }
interface Job { needs?: string | string[]; if?: string; strategy?: { 'fail-fast'?: boolean; matrix?: string }; outputs?: Record<string, string>; steps: Step[] }

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

  it('fans out one job per shard, never cancelling the others, and keeps each shard\'s reports', () => {
    const job = workflow.jobs.conformance!;
    expect(job.needs).toBe('plan');
    expect(job.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.plan.outputs.matrix) }}' });
    expect(runs(job)).toMatch(/npx installctl conformance --shard "\$\{\{ matrix\.shard \}\}".*--report-dir "reports\/\$\{\{ strategy\.job-index \}\}"/);
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toBe('reports/${{ strategy.job-index }}');
  });

  it('finds Helm after npm ci alone and keeps each shard\'s --cache-dir between runs with actions/cache, keyed on the inputs', () => {
    const job = workflow.jobs.conformance!;
    expect(job.steps.map((step) => step.run ?? '')).toContain('npm ci');
    expect(runs(job)).not.toContain('fetch-helm');
    const cacheDir = /npx installctl conformance .*--cache-dir (\S+)/.exec(runs(job))?.[1];
    expect(cacheDir).toBeDefined();
    const restore = job.steps.findIndex((step) => step.uses?.startsWith('actions/cache/restore@'));
    const save = job.steps.findIndex((step) => step.uses?.startsWith('actions/cache/save@'));
    const conformance = job.steps.findIndex((step) => step.run?.includes('installctl conformance'));
    expect(restore).toBeGreaterThan(-1);
    expect(restore).toBeLessThan(conformance);
    expect(save).toBeGreaterThan(conformance);
    expect(job.steps[save]!.if).toBe('always()');
    for (const step of [job.steps[restore]!, job.steps[save]!]) {
      expect(step.with?.path).toBe(cacheDir);
      const key = String(step.with?.key);
      // One cache per shard, a new key whenever an input changes.
      expect(key).toContain('${{ strategy.job-index }}');
      for (const input of ['charts/**', 'stacks/**', 'matrix/**', 'schemas/**', 'cli/**', 'package-lock.json']) expect(key).toContain(`'${input}'`);
    }
    expect(job.steps[save]!.with?.key).toBe(job.steps[restore]!.with?.key);
    const prefix = String(job.steps[restore]!.with?.['restore-keys']).trim();
    expect(String(job.steps[restore]!.with?.key).startsWith(prefix)).toBe(true);
  });

  it('merges every shard\'s conformance.json with installctl conformance merge, even after failures', () => {
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
