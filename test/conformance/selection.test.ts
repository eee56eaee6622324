import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { affectedCells, affectedSince, changedFiles, describeAffected, explainAffected, filterCells, outputDirsInside, parseShard } from '../../cli/conformance/selection.js';
import { REPO } from '../helpers/cli.js';
import { PLATFORMS } from '../../cli/dimensions/index.js';
import { supportMatrix } from '../../cli/matrix/engine.js';

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
    expect(picked).toHaveLength(cells.filter((cell) => ['aws', 'gcp'].includes(cell.platform) && cell.network === 'air-gapped').length);
    expect(picked.length).toBeGreaterThan(0);
    expect(picked.every((cell) => ['aws', 'gcp'].includes(cell.platform) && cell.network === 'air-gapped')).toBe(true);
  });
  it('takes cell ids', () => {
    expect(ids(filterCells(cells, ['aws/github/saas-api/connected', 'onprem/github/saas-api/air-gapped']))).toEqual([
      'aws/github/saas-api/connected',
      'onprem/github/saas-api/air-gapped',
    ]);
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
    ['cli/conformance/pulumi/clouds/azure.ts', renderable.filter((cell) => cell.platform === 'azure')],
    ['matrix/support-matrix.yaml', cells],
    ['schemas/install.schema.json', cells],
    ['cli/install-spec/check-spec.ts', cells],
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

describe("--affected: each platform descriptor's own files select that platform's cells", () => {
  const renderable = cells.filter((cell) => cell.status !== 'unsupported');
  const rows = Object.values(PLATFORMS).flatMap(({ id, check }) => [
    ...check.affectedFiles.stack.map((entry) => [id, 'stack', entry.endsWith('/') ? `${entry}network.ts` : entry] as const),
    ...check.affectedFiles.cloud.map((entry) => [id, 'cloud', entry.endsWith('/') ? `${entry}policies.ts` : entry] as const),
  ]);
  it.each(rows)('%s: %s rule for %s', (id, kind, path) => {
    const explained = explainAffected('origin/main', [path]);
    expect(explained.rules.map((rule) => rule.rule)).toEqual([`${kind}:${id}`]);
    expect(ids(explained.cells)).toEqual(ids(renderable.filter((cell) => cell.platform === id)));
  });
  it('a file next to a cloud module that no descriptor names is shared', () => {
    expect(explainAffected('origin/main', ['cli/conformance/pulumi/clouds/index.ts']).rules.map((rule) => rule.rule)).toEqual(['shared']);
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
    ['cli/conformance/pulumi/clouds/aws.ts', true, 'cloud:aws', renderable.filter((cell) => cell.platform === 'aws')],
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
      expect(explained.ignored).toEqual([{ reason: rule, count: 1, examples: [path] }]);
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

/** A git checkout with one committed source file (cli/index.ts) and a clean tree. */
function committedCheckout(): string {
  const repo = mkdtempSync(join(tmpdir(), 'installctl-affected-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
  mkdirSync(join(repo, 'cli'));
  writeFileSync(join(repo, 'cli/index.ts'), 'x\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return repo;
}

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
    expect(explained.rules.map((rule) => [rule.rule, rule.files])).toEqual([
      ['chart:model-server', ['charts/model-server/values.yaml']],
      ['stack:aws', ['stacks/aws/network.ts']],
    ]);
    expect(explained.ignored).toEqual([
      { reason: 'docs-or-tests', count: 1, examples: ['docs/network.ts'] },
      { reason: 'untracked-outside-sources', count: 3, examples: ['contoso-prod.yaml', 'docs/new.md', 'out/helm/agent-platform.values.yaml'] },
    ]);
    expect(() => changedFiles('no-such-ref', repo)).toThrow(expect.objectContaining({ code: 'CONFORMANCE_BAD_REF' }));
  });

  it('a quickstart checkout (a fresh init spec and a render) selects nothing', () => {
    const repo = committedCheckout();
    mkdirSync(join(repo, 'out/pulumi'), { recursive: true });
    writeFileSync(join(repo, 'contoso-prod.yaml'), 'kind: Install\n');
    writeFileSync(join(repo, 'out/pulumi/Pulumi.yaml'), 'name: x\n');
    expect(affectedCells(changedFiles('HEAD', repo))).toEqual([]);
  });

  /** A checkout whose run keeps its --cache-dir, --work-dir and --report-dir inside it, as the example workflow does. */
  function checkoutWithOutputs(): string {
    const repo = committedCheckout();
    for (const dir of ['my-cache/v1', 'work/aws__github', 'reports/1']) mkdirSync(join(repo, dir), { recursive: true });
    for (let n = 0; n < 40; n++) writeFileSync(join(repo, 'my-cache/v1', `${String(n).padStart(64, '0')}.json`), '{}');
    writeFileSync(join(repo, 'work/aws__github/spec.yaml'), 'kind: Install\n');
    writeFileSync(join(repo, 'reports/1/conformance.json'), '{}');
    return repo;
  }

  it("--affected with the run's output directories inside the checkout: they select nothing and are not listed", () => {
    const repo = checkoutWithOutputs();
    const outputs = [join(repo, 'my-cache'), join(repo, 'work'), join(repo, 'reports')];
    const explained = affectedSince('HEAD', repo, undefined, outputs);
    expect(explained.cells).toEqual([]);
    expect(explained.rules).toEqual([]);
    expect(explained.ignored).toEqual([]);
    // Given relative to the working directory, or as a path through a symlink, too.
    const link = `${repo}-link`;
    symlinkSync(repo, link);
    expect(affectedSince('HEAD', repo, undefined, [`${link}/my-cache`, join(repo, 'work'), join(repo, 'reports')]).ignored).toEqual([]);
    // A directory outside the checkout, or the checkout itself, excludes nothing.
    expect(outputDirsInside(repo, [tmpdir(), repo, `${repo}/..`, null])).toEqual([]);
  });

  it('ignored files are counted per reason with the first few named, never listed one by one', () => {
    const explained = affectedSince('HEAD', checkoutWithOutputs());
    const entry = (n: number) => `my-cache/v1/${String(n).padStart(64, '0')}.json`;
    expect(explained.cells).toEqual([]);
    expect(explained.ignored).toEqual([{ reason: 'untracked-outside-sources', count: 42, examples: [entry(0), entry(1), entry(2)] }]);
    expect(describeAffected(explained, 0)).toContain(`  ignored (untracked-outside-sources): ${entry(0)}, ${entry(1)}, ${entry(2)} (+39 more)`);
  });

  it('the checkout ignores .cache/ (where the README and the example workflow keep --cache-dir)', () => {
    expect(execFileSync('git', ['check-ignore', '--no-index', '.cache/conformance/v1/entry.json'], { cwd: REPO, encoding: 'utf8' }).trim()).toBe(
      '.cache/conformance/v1/entry.json',
    );
  });
});
