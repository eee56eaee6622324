import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { affectedCells, changedFiles, filterCells, parseShard, shardCells } from '../../cli/conformance/selection.js';
import { supportMatrix } from '../../matrix/engine.js';
import { UserError } from '../../cli/lib/errors.js';

const cells = supportMatrix().cells();
const ids = (list: readonly { id: string }[]) => list.map((cell) => cell.id);

describe('shards', () => {
  it('property: across n shards every cell runs exactly once, and shard sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.subarray(ids(cells), { minLength: 0 }), (count, subset) => {
        const shards = Array.from({ length: count }, (_, index) => shardCells(subset, { index: index + 1, count }));
        expect(shards.flat().sort()).toEqual([...subset].sort());
        const sizes = shards.map((shard) => shard.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and mixes platforms', () => {
    const first = shardCells(cells, { index: 1, count: 4 });
    expect(ids(first)).toEqual(ids(shardCells(cells, { index: 1, count: 4 })));
    expect(new Set(first.map((cell) => cell.platform)).size).toBeGreaterThan(1);
  });

  it.each(['0/4', '5/4', '1/0', 'a/b', '2'])('refuses --shard %s', (text) => {
    expect(() => parseShard(text)).toThrow(UserError);
  });
  it('parses i/n', () => expect(parseShard(' 2/4 ')).toEqual({ index: 2, count: 4 }));
});

describe('--only', () => {
  it('ANDs dimensions and ORs values within one', () => {
    const picked = filterCells(cells, ['aws,gcp', 'air-gapped']);
    expect(picked).toHaveLength(24);
    expect(picked.every((cell) => ['aws', 'gcp'].includes(cell.platform) && cell.network === 'air-gapped')).toBe(true);
  });
  it('takes cell ids', () => {
    expect(ids(filterCells(cells, ['aws/github/saas-api/connected', 'onprem/github/saas-api/air-gapped']))).toEqual(['aws/github/saas-api/connected', 'onprem/github/saas-api/air-gapped']);
  });
  it('suggests a fix for an unknown value', () => {
    expect(() => filterCells(cells, ['air-gaped'])).toThrow(expect.objectContaining({ code: 'CONFORMANCE_BAD_FILTER', hint: 'did you mean air-gapped?' }));
  });
});

describe('--affected', () => {
  const renderable = cells.filter((cell) => cell.status !== 'unsupported');
  it.each([
    ['charts/model-server/templates/models.yaml', renderable.filter((cell) => cell.models === 'self-hosted')],
    ['charts/agent-platform/values.yaml', renderable],
    ['stacks/gcp/network.ts', renderable.filter((cell) => cell.platform === 'gcp')],
    ['cli/pulumi/clouds/azure.ts', renderable.filter((cell) => cell.platform === 'azure')],
    ['matrix/support-matrix.yaml', cells],
    ['schemas/install.schema.json', cells],
    ['cli/spec/check-spec.ts', cells],
    ['package-lock.json', cells],
    ['stacks/decisions/subnets.ts', cells],
    ['README.md', []],
    ['test/charts/render.test.ts', []],
    ['bench/validate-startup.mjs', []],
    ['charts/model-server/README.md', []],
  ])('%s', (file, expected) => {
    expect(ids(affectedCells([file]))).toEqual(ids(expected));
  });

  it('takes the union over files, in matrix order', () => {
    const union = affectedCells(['stacks/aws/data.ts', 'charts/model-server/values.yaml']);
    expect(ids(union)).toEqual(ids(renderable.filter((cell) => cell.platform === 'aws' || cell.models === 'self-hosted')));
  });
});

describe('changed files since a base ref (a real git repository)', () => {
  it('lists committed, uncommitted and untracked paths, and both sides of a rename', () => {
    const repo = mkdtempSync(join(tmpdir(), 'installctl-affected-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
    for (const dir of ['stacks/aws', 'charts/model-server', 'docs']) mkdirSync(join(repo, dir), { recursive: true });
    writeFileSync(join(repo, 'stacks/aws/network.ts'), 'export const vpc = 1;\n'.repeat(20));
    writeFileSync(join(repo, 'charts/model-server/values.yaml'), 'a: 1\n');
    writeFileSync(join(repo, 'docs/notes.md'), 'x\n');
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    git('mv', 'stacks/aws/network.ts', 'docs/network.ts');
    git('commit', '-q', '-m', 'move a stack file away');
    writeFileSync(join(repo, 'charts/model-server/values.yaml'), 'a: 2\n');
    writeFileSync(join(repo, 'docs/new.md'), 'y\n');

    const files = changedFiles('HEAD~1', repo);
    expect(files).toEqual(['charts/model-server/values.yaml', 'docs/network.ts', 'docs/new.md', 'stacks/aws/network.ts']);
    // The moved-away stack file still selects its platform's cells.
    const picked = affectedCells(files);
    expect(picked.some((cell) => cell.platform === 'aws' && cell.models !== 'self-hosted')).toBe(true);
    expect(() => changedFiles('no-such-ref', repo)).toThrow(expect.objectContaining({ code: 'CONFORMANCE_BAD_REF' }));
  });
});
