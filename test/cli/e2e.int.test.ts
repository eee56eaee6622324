/** End to end through the built binary (cli/bin/run.js -> dist/), as users and CI run it. */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import type { JsonSchema } from '../../cli/schema/schema-resolver.js';
import { REPO, runCli } from '../helpers/cli.js';
import { exampleFiles } from '../helpers/specs.js';
import { supportMatrix, type Cell } from '../../cli/matrix/engine.js';

const outputSchema = JSON.parse(readFileSync(join(REPO, 'schemas', 'cli-output.schema.json'), 'utf8')) as JsonSchema;
function expectShape(kind: string, value: unknown): void {
  const validator = runtimeValidator({ ...outputSchema, $ref: `#/$defs/${kind}` } as JsonSchema);
  expect(validator.check(value)).toEqual([]);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-e2e-'));
});

describe('installctl validate', () => {
  it('exits 0 for every example and says which cell it is', () => {
    const run = runCli(['validate', ...exampleFiles()]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('valid (cell aws/github-enterprise-server/self-hosted/air-gapped, supported)');
    expect(run.stdout).toContain('conditional');
  });

  it('prints one file as {file, valid, cell, errors, warnings, issues}', () => {
    const run = runCli(['validate', exampleFiles()[0]!, '--json']);
    expect(run.status).toBe(0);
    const json = run.json();
    expectShape('validate', json);
    expect(json).toMatchObject({ valid: true, errors: 0, issues: [] });
  });

  it('exits 1 with compiler-style errors for an invalid spec', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, readFileSync(exampleFiles()[0]!, 'utf8').replace('type: aws', 'type: AWS').replace('sizing: ', 'sizng: '));
    const run = runCli(['validate', file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`${file}:\\d+:\\d+: error\\[SCHEMA_ENUM\\] spec.platform.type`));
    expect(run.stdout).toContain("did you mean 'sizing'?");
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('prints several files as {valid, files} and exits with the worst code', () => {
    const bad = join(dir, 'dup.yaml');
    writeFileSync(bad, 'kind: Install\nkind: Install\n');
    const run = runCli(['validate', exampleFiles()[0]!, bad, '--json']);
    expect(run.status).toBe(1);
    const json = run.json();
    expectShape('validate', json);
    expect(json.valid).toBe(false);
    expect(json.files.map((f: { valid: boolean }) => f.valid)).toEqual([true, false]);
    expect(json.files[1].issues[0]).toMatchObject({ code: 'YAML_DUPLICATE_KEY', line: 2, column: 1 });
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.yaml'), 'FILE_NOT_FOUND', 2],
    ['a directory', () => dir, 'FILE_IS_DIRECTORY', 2],
    ['an empty file', () => (writeFileSync(join(dir, 'empty.yaml'), ''), join(dir, 'empty.yaml')), 'FILE_EMPTY', 1],
    ['a binary file', () => (writeFileSync(join(dir, 'x.bin'), Buffer.from([1, 0, 2])), join(dir, 'x.bin')), 'FILE_BINARY', 1],
    ['invalid JSON', () => (writeFileSync(join(dir, 's.json'), '{"kind": "Install",}'), join(dir, 's.json')), 'JSON_SYNTAX', 1],
  ])('%s -> %s, exit %s', (_, make, code, status) => {
    const run = runCli(['validate', make(), '--json']);
    expect(run.status).toBe(status);
    expect(run.json().issues[0].code).toBe(code);
  });

  it.each([
    ['900 nested flow sequences', 'a: ' + '['.repeat(900) + ']'.repeat(900) + '\n'],
    ['200k nested flow sequences', 'a: ' + '['.repeat(200_000) + ']'.repeat(200_000) + '\n'],
    ['200k nested flow mappings', 'a: ' + '{a: '.repeat(200_000) + '1' + '}'.repeat(200_000) + '\n'],
    ['900 indented block mappings', Array.from({ length: 900 }, (_, level) => ' '.repeat(level) + 'a:').join('\n') + ' 1\n'],
  ])('refuses %s with YAML_NESTING_LIMIT at a position', (name, text) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, text);
    const run = runCli(['validate', file, '--json']);
    expect(run.status, run.stderr).toBe(1);
    expectShape('validate', run.json());
    expect(run.json().issues).toEqual([expect.objectContaining({ code: 'YAML_NESTING_LIMIT', line: expect.any(Number), column: expect.any(Number) })]);
    expect(run.stderr).toBe('');
  });

  it('caps a file with 40k unknown keys at 100 issues plus ISSUES_TRUNCATED', () => {
    const file = join(dir, 'many-keys.yaml');
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: v\n`).join('');
    writeFileSync(file, `apiVersion: installctl.dev/v1alpha1\nkind: Install\nmetadata: {name: x, customer: y}\nspec:\n${keys}`);
    const run = runCli(['validate', file, '--json']);
    expect(run.status, run.stderr).toBe(1);
    const json = run.json();
    expectShape('validate', json);
    expect(json.issues.length).toBeLessThanOrEqual(101);
    expect(json.issues.at(-1)).toMatchObject({ code: 'ISSUES_TRUNCATED', severity: 'error', path: '' });
    expect(json.issues.at(-1).message).toMatch(/^\d+ more issues not shown$/);
    expect(json.errors).toBeGreaterThan(40_000);
    expect(runCli(['validate', file]).stdout).toMatch(/more issues not shown/);
  });

  it('refuses a complex key at its position, and no library warning reaches stderr', () => {
    const file = join(dir, 'complex-key.yaml');
    writeFileSync(file, 'apiVersion: installctl.dev/v1alpha1\n? [a, b]\n: 1\n');
    const run = runCli(['validate', file, '--json']);
    expect(run.status).toBe(1);
    expect(run.json().issues).toEqual([expect.objectContaining({ code: 'YAML_COMPLEX_KEY', line: 2, column: 3 })]);
    expect(run.stderr).not.toMatch(/Warning/);
    expect(run.stderr).toBe('');
  });

  it('accepts a leading and a trailing --- but not a second document', () => {
    const text = readFileSync(exampleFiles()[0]!, 'utf8');
    const file = join(dir, 'framed.yaml');
    writeFileSync(file, `---\n${text}---\n`);
    expect(runCli(['validate', file]).status).toBe(0);
    writeFileSync(file, `${text}---\n${text}`);
    expect(runCli(['validate', file, '--json']).json().issues[0].code).toBe('YAML_MULTIPLE_DOCUMENTS');
  });

  it('reads a spec from standard input', () => {
    const run = runCli(['validate', '-', '--json'], { input: readFileSync(exampleFiles()[1]!, 'utf8') });
    expect(run.status).toBe(0);
    expect(run.json().file).toBe('-');
  });

  it('treats missing arguments and unknown flags as usage errors (exit 2)', () => {
    const none = runCli(['validate']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('error[USAGE]');
    const flag = runCli(['validate', exampleFiles()[0]!, '--frobnicate', '--json']);
    expect(flag.status).toBe(2);
    expectShape('error', flag.json());
  });
});

describe('installctl matrix', () => {
  // Counts come from the matrix data: a new dimension value changes them, not this file.
  const matrixCells = supportMatrix().cells();
  const countOf = (keep: (cell: Cell) => boolean) => matrixCells.filter(keep).length;

  it('prints every cell as JSON with the documented shape', () => {
    const run = runCli(['matrix', '--json']);
    expect(run.status).toBe(0);
    const cells = run.json();
    expectShape('matrix', cells);
    expect(cells).toHaveLength(matrixCells.length);
    expect(cells.filter((c: { status: string }) => c.status === 'conditional')).toHaveLength(countOf((cell) => cell.status === 'conditional'));
  });

  it('filters by dimension and status (repeatable or comma-separated)', () => {
    const run = runCli(['matrix', '--platform', 'aws,gcp', '--network', 'air-gapped', '--status', 'unsupported', '--format', 'json']);
    const cells = run.json();
    expect(cells).toHaveLength(countOf((cell) => ['aws', 'gcp'].includes(cell.platform) && cell.network === 'air-gapped' && cell.status === 'unsupported'));
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c: { platform: string }) => ['aws', 'gcp'].includes(c.platform))).toBe(true);
  });

  it('renders table, markdown and csv', () => {
    const status = (wanted: string) => countOf((cell) => cell.status === wanted);
    expect(runCli(['matrix']).stdout).toContain(
      `${matrixCells.length} cells: ${status('supported')} supported, ${status('conditional')} conditional, ${status('unsupported')} unsupported`,
    );
    const csv = runCli(['matrix', '--format', 'csv']).stdout.trim().split('\n');
    expect(csv).toHaveLength(matrixCells.length + 1);
    expect(csv[0]).toBe('id,platform,scm,models,network,status,reasons,requires');
    expect(
      runCli(['matrix', '--format', 'markdown', '--models', 'self-hosted'])
        .stdout.split('\n')
        .filter((l) => l.startsWith('| ')).length,
    ).toBe(countOf((cell) => cell.models === 'self-hosted') + 1);
  });

  it('rejects an unknown filter value with a suggestion (exit 2)', () => {
    const run = runCli(['matrix', '--platform', 'azrue', '--json']);
    expect(run.status).toBe(2);
    expect(run.json().error).toMatchObject({ code: 'MATRIX_UNKNOWN_VALUE', hint: "did you mean 'azure'?" });
  });

  it('suggests the value a short name is the unique prefix of', () => {
    const run = runCli(['matrix', '--scm', 'gitlab', '--json']);
    expect(run.status).toBe(2);
    expect(run.json().error).toMatchObject({ code: 'MATRIX_UNKNOWN_VALUE', hint: "did you mean 'gitlab-self-managed'?" });
  });

  it('explains a rejected cell with its nearest supported cells', () => {
    const run = runCli(['matrix', 'explain', 'onprem/gitlab-self-managed/cloud-managed/air-gapped', '--json']);
    expect(run.status).toBe(0);
    const json = run.json();
    expectShape('matrixExplain', json);
    expect(json.cell.reasons[0].code).toBe('MATRIX_AIRGAP_ONPREM_CLOUD_MODELS');
    expect(json.alternatives.map((a: { id: string }) => a.id)).toContain('onprem/gitlab-self-managed/self-hosted/air-gapped');
    const text = runCli(['matrix', 'explain', 'azure/gitlab-self-managed/cloud-managed/air-gapped']).stdout;
    expect(text).toContain('Acknowledgement the spec must carry');
    expect(text).toContain('model-private-endpoint');
  });

  it('rejects an unknown cell id with a suggestion (exit 2)', () => {
    const run = runCli(['matrix', 'explain', 'aws/github/saas/connected']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('MATRIX_UNKNOWN_CELL');
    expect(run.stderr).toContain('aws/github/saas-api/connected');
  });
});

describe('installctl init', () => {
  it('writes a starter spec that validate accepts', () => {
    const out = join(dir, 'starter.yaml');
    const run = runCli([
      'init',
      '--platform',
      'gcp',
      '--scm',
      'bitbucket-data-center',
      '--models',
      'self-hosted',
      '--network',
      'air-gapped',
      '--name',
      'wingtip',
      '--out',
      out,
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expectShape('init', run.json());
    expect(readFileSync(out, 'utf8')).toMatch(/^# yaml-language-server: \$schema=.*schemas\/install\.schema\.json/);
    const validate = runCli(['validate', out, '--json']);
    expect(validate.status).toBe(0);
    expect(validate.json().warnings).toBeGreaterThan(0);
    expect(validate.json().issues.every((i: { code: string }) => i.code === 'RULE_PLACEHOLDER')).toBe(true);
  });

  it('refuses to overwrite without --force', () => {
    const out = join(dir, 'exists.yaml');
    writeFileSync(out, 'keep me');
    const args = ['init', '--platform', 'aws', '--scm', 'github', '--models', 'saas-api', '--network', 'connected', '--out', out];
    expect(runCli(args).status).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(runCli([...args, '--force']).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('kind: Install');
  });

  it('fails for an unsupported cell with reasons and alternatives (exit 1)', () => {
    const run = runCli(['init', '--platform', 'aws', '--scm', 'github', '--models', 'self-hosted', '--network', 'air-gapped', '--json']);
    expect(run.status).toBe(1);
    const json = run.json();
    expectShape('error', json);
    expect(json.error.code).toBe('MATRIX_UNSUPPORTED');
    expect(json.error.details.alternatives.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'should-not-exist.yaml'))).toBe(false);
  });

  it('prints to stdout by default', () => {
    const run = runCli(['init', '--platform', 'azure', '--scm', 'gitlab-self-managed', '--models', 'cloud-managed', '--network', 'air-gapped']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('acknowledgements:');
    expect(run.stdout).toContain('id: cloud-models-via-private-endpoint');
  });
});

describe('help', () => {
  it.each(['validate', 'matrix', 'matrix explain', 'init', 'render'])('%s --help shows usage and examples', (command) => {
    const run = runCli([...command.split(' '), '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('USAGE');
    expect(run.stdout).toContain('EXAMPLES');
    expect(run.stdout).toContain('--json');
  });
});

describe('command examples', () => {
  const sources = (path: string): string[] => (statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => sources(join(path, name))) : path.endsWith('.ts') ? [path] : []);

  it('name only example specs that exist', () => {
    const examples = new Set(readdirSync(join(REPO, 'examples')));
    const named = sources(join(REPO, 'cli', 'commands')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/examples\/([^\s'"`]+\.ya?ml)/g)].map((match) => ({ file, name: match[1]! })),
    );
    expect(named.length).toBeGreaterThan(2);
    for (const { file, name } of named) {
      // A glob (validate examples/*.yaml) must match something; a name must be a file.
      const pattern = new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      expect(
        [...examples].some((example) => pattern.test(example)),
        `${file}: examples/${name}`,
      ).toBe(true);
    }
  });
});

describe('unknown commands', () => {
  it('are usage errors (exit 2) with a suggestion', () => {
    const run = runCli(['valdate', 'spec.yaml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("error[USAGE]: unknown command 'valdate'");
    expect(run.stderr).toContain("did you mean 'installctl validate'?");
    const json = runCli(['matrx', '--json']);
    expect(json.status).toBe(2);
    expect(json.json().error.hint).toBe("did you mean 'installctl matrix'?");
  });
});
