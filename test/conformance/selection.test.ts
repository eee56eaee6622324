import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { affectedCells, changedFiles, describeAffected, explainAffected, filterCells, parseShard } from '../../cli/conformance/selection.js';
import { supportMatrix } from '../../matrix/engine.js';

const cells = supportMatrix().cells();
const ids = (list: readonly { id: string }[]) => list.map((cell) => cell.id);

describe('--shard parsing', () => {
  it.each(['0/4', '5/4', '1/0', 'a/b', '2'])('refuses --shard %s', (text) => {
    expect(() => parseShard(text)).toThrow(expect.objectContaining({ code: 'CONFORMANCE_BAD_SHARD' }));
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

describe('--affected explains itself, and untracked files count only inside the sources', () => {
  const renderable = cells.filter((cell) => cell.status !== 'unsupported');
  const selfHosted = renderable.filter((cell) => cell.models === 'self-hosted');
  it.each([
    // [path, untracked, rule (or the reason it is ignored), cells]
    ['contoso-prod.yaml', true, 'untracked-outside-sources', []],
    ['out/helm/agent-platform.values.yaml', true, 'untracked-outside-sources', []],
    ['renders/acme/Pulumi.acme-prod.yaml', true, 'untracked-outside-sources', []],
    ['notes.ts', true, 'untracked-outside-sources', []],
    ['test/conformance/new.test.ts', true, 'untracked-outside-sources', []],
    ['charts/model-server/templates/extra.yaml', true, 'chart:model-server', selfHosted],
    ['charts/agent-platform/templates/extra.yaml', true, 'chart:agent-platform', renderable],
    ['stacks/gcp/extra.ts', true, 'stack:gcp', renderable.filter((cell) => cell.platform === 'gcp')],
    ['cli/pulumi/clouds/aws.ts', true, 'cloud:aws', renderable.filter((cell) => cell.platform === 'aws')],
    ['cli/lib/new-helper.ts', true, 'shared', cells],
    ['matrix/extra.yaml', true, 'shared', cells],
    ['schemas/extra.schema.json', true, 'shared', cells],
    ['package.json', true, 'shared', cells],
    ['contoso-prod.yaml', false, 'shared', cells],
    ['tsconfig.json', false, 'shared', cells],
    ['docs/guide.md', false, 'docs-or-tests', []],
    ['charts/model-server/README.md', false, 'chart-readme', []],
    ['charts/model-server/README.md', true, 'chart-readme', []],
  ] as const)('%s (untracked: %s): %s', (path, untracked, rule, expected) => {
    const explained = explainAffected('origin/main', [{ path, untracked }]);
    expect(ids(explained.cells)).toEqual(ids(expected));
    if (expected.length) {
      expect(explained.rules).toEqual([{ rule, files: [path], cells: ids(expected) }]);
      expect(explained.ignored).toEqual([]);
    } else {
      expect(explained.rules).toEqual([]);
      expect(explained.ignored).toEqual([{ path, reason: rule }]);
    }
  });

  it('groups files by rule, in rule order; the text names files, rules and cell counts', () => {
    const explained = explainAffected('origin/main', [
      { path: 'stacks/aws/data.ts', untracked: false },
      { path: 'charts/model-server/values.yaml', untracked: false },
      { path: 'charts/model-server/templates/a.yaml', untracked: false },
      { path: 'contoso-prod.yaml', untracked: true },
    ]);
    expect(explained.rules.map((rule) => [rule.rule, rule.files])).toEqual([
      ['chart:model-server', ['charts/model-server/values.yaml', 'charts/model-server/templates/a.yaml']],
      ['stack:aws', ['stacks/aws/data.ts']],
    ]);
    const lines = describeAffected(explained, explained.cells.length);
    expect(lines[0]).toBe(`--affected origin/main: ${explained.cells.length} cells to run`);
    expect(lines).toContain(`  chart:model-server: charts/model-server/values.yaml, charts/model-server/templates/a.yaml -> ${selfHosted.length} cells`);
    expect(lines).toContain('  ignored (untracked-outside-sources): contoso-prod.yaml');
  });
});

describe('changed files since a base ref (a real git repository)', () => {
  it('lists committed, uncommitted and untracked paths (flagged), and both sides of a rename', () => {
    const repo = mkdtempSync(join(tmpdir(), 'installctl-affected-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
    for (const dir of ['stacks/aws', 'charts/model-server', 'docs', 'out/helm']) mkdirSync(join(repo, dir), { recursive: true });
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
    // What the README's quickstart leaves behind: a spec from `installctl init` and a render.
    writeFileSync(join(repo, 'contoso-prod.yaml'), 'kind: Install\n');
    writeFileSync(join(repo, 'out/helm/agent-platform.values.yaml'), 'a: 1\n');

    const files = changedFiles('HEAD~1', repo);
    expect(files).toEqual([
      { path: 'charts/model-server/values.yaml', untracked: false },
      { path: 'contoso-prod.yaml', untracked: true },
      { path: 'docs/network.ts', untracked: false },
      { path: 'docs/new.md', untracked: true },
      { path: 'out/helm/agent-platform.values.yaml', untracked: true },
      { path: 'stacks/aws/network.ts', untracked: false },
    ]);
    const explained = explainAffected('HEAD~1', files);
    // The moved-away stack file still selects its platform's cells; the quickstart's files select none.
    expect(explained.rules.map((rule) => [rule.rule, rule.files])).toEqual([['chart:model-server', ['charts/model-server/values.yaml']], ['stack:aws', ['stacks/aws/network.ts']]]);
    expect(explained.ignored).toEqual([
      { path: 'contoso-prod.yaml', reason: 'untracked-outside-sources' },
      { path: 'docs/network.ts', reason: 'docs-or-tests' },
      { path: 'docs/new.md', reason: 'untracked-outside-sources' },
      { path: 'out/helm/agent-platform.values.yaml', reason: 'untracked-outside-sources' },
    ]);
    expect(() => changedFiles('no-such-ref', repo)).toThrow(expect.objectContaining({ code: 'CONFORMANCE_BAD_REF' }));
  });

  it('a quickstart checkout (a fresh init spec and a render) selects nothing', () => {
    const repo = mkdtempSync(join(tmpdir(), 'installctl-affected-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
    mkdirSync(join(repo, 'cli'));
    writeFileSync(join(repo, 'cli/index.ts'), 'x\n');
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    mkdirSync(join(repo, 'out/pulumi'), { recursive: true });
    writeFileSync(join(repo, 'contoso-prod.yaml'), 'kind: Install\n');
    writeFileSync(join(repo, 'out/pulumi/Pulumi.yaml'), 'name: x\n');
    expect(affectedCells(changedFiles('HEAD', repo))).toEqual([]);
  });
});
