/**
 * installctl status from the built CLI: the exit code of each outcome (0 in sync, 1 drift, 2 not a
 * render or a bad manifest) with and without --json, the human report, the spec looked up from the
 * current directory, and values from DIR shown escaped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { REPO } from '../helpers/cli.js';

let root: string;
let pristine: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'installctl-status-cli-'));
  pristine = join(root, 'pristine');
  mkdirSync(pristine);
  writeFileSync(join(pristine, 'acme.yaml'), readFileSync(join(REPO, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml')));
  const rendered = runCli(['render', 'acme.yaml', '--out', 'deploy'], { cwd: pristine });
  expect(rendered.status, rendered.stderr).toBe(0);
}, 60_000);

let cases = 0;
function fresh(name = 'deploy'): { base: string; dir: string } {
  const base = join(root, `case-${++cases}`);
  mkdirSync(base);
  cpSync(join(pristine, 'acme.yaml'), join(base, 'acme.yaml'));
  cpSync(join(pristine, 'deploy'), join(base, name), { recursive: true });
  return { base, dir: join(base, name) };
}

const CASES: Array<[string, (c: { base: string; dir: string }) => void, number, string | null]> = [
  ['in sync', () => {}, 0, null],
  ['the spec changed', (c) => appendFileSync(join(c.base, 'acme.yaml'), '# edited\n'), 1, null],
  ['a file missing', (c) => rmSync(join(c.dir, 'RUNBOOK.md')), 1, null],
  ['the stack file changed by Pulumi', (c) => appendFileSync(join(c.dir, 'pulumi', 'Pulumi.acme-gov.yaml'), 'encryptionsalt: v1:x\n'), 0, null],
  [
    'rendered by another installctl',
    (c) => writeFileSync(join(c.dir, 'manifest.json'), readFileSync(join(c.dir, 'manifest.json'), 'utf8').replace(/"installctl": "[^"]+"/, '"installctl": "0.0.1"')),
    1,
    null,
  ],
  ['not a render', (c) => rmSync(join(c.dir, 'manifest.json')), 2, 'STATUS_NOT_A_RENDER'],
  [
    'a path leaving DIR',
    (c) => writeFileSync(join(c.dir, 'manifest.json'), readFileSync(join(c.dir, 'manifest.json'), 'utf8').replace('"path": "RUNBOOK.md"', '"path": "../acme.yaml"')),
    2,
    'STATUS_MANIFEST_INVALID',
  ],
];

describe('installctl status', () => {
  it.each(CASES)('%s', (_, mutate, exit, code) => {
    const c = fresh();
    mutate(c);
    const human = runCli(['status', 'deploy'], { cwd: c.base });
    expect(human.status, human.stderr).toBe(exit);
    const json = runCli(['status', c.dir, '--json']);
    expect(json.status, json.stdout).toBe(exit);
    if (code) {
      expect(human.stderr).toContain(`error[${code}]`);
      expect(json.json()).toMatchObject({ error: { code } });
      return;
    }
    expectSchemaDef('cli-output.schema.json', 'status', json.json());
    expect(json.json().inSync).toBe(exit === 0);
    expect(human.stdout).toMatch(exit === 0 ? /: in sync$/m : /: DRIFTED$/m);
    expect(human.stdout).toMatch(/^spec: {7}(unchanged|CHANGED) since the render \(compared acme\.yaml/m);
    expect(human.stdout).toMatch(/^release: {4}2026\.11\.0 \(current\); newer: 2026\.12\.0 \(preview\)$/m);
    if (exit === 1) expect(human.stdout).toContain('  installctl render acme.yaml --out deploy --diff   # ');
  });

  it('prints a human report naming each drifted file by what happened to it', () => {
    const c = fresh();
    rmSync(join(c.dir, 'images.txt'));
    appendFileSync(join(c.dir, 'helm', 'agent-platform.values.yaml'), '#\n');
    appendFileSync(join(c.dir, 'pulumi', 'Pulumi.acme-gov.yaml'), '#\n');
    const run = runCli(['status', 'deploy', '--spec', 'acme.yaml'], { cwd: c.base });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^files: {6}\d+ of \d+ unchanged, 1 changed, 1 missing, 1 changed-by-pulumi$/m);
    expect(run.stdout).toMatch(
      / {2}changed:\n {4}helm\/agent-platform\.values\.yaml\n {2}missing:\n {4}images\.txt\n {2}changed by Pulumi \(expected\):\n {4}pulumi\/Pulumi\.acme-gov\.yaml\n/,
    );
    expect(run.stdout).toMatch(/^installctl: rendered by \S+, this is \S+$/m);
  });

  it('escapes a DIR name holding control characters, in the report and in the commands it proposes', () => {
    const c = fresh('deploy\u001b[31m\u202e');
    appendFileSync(join(c.base, 'acme.yaml'), '# edited\n');
    const run = runCli(['status', c.dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(run.stdout).toContain('deploy\\x1b[31m\\u202e: install acme-gov');
    expect(run.stdout).toContain(`--out $'${c.dir.replace('deploy\u001b[31m\u202e', 'deploy\\x1b[31m\\xe2\\x80\\xae')}' --diff`);
  });

  it('says when the spec is nowhere to be found, and exits 2 for a --spec that is missing', () => {
    const c = fresh();
    rmSync(join(c.base, 'acme.yaml'));
    const run = runCli(['status', c.dir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(': in sync (spec not compared)');
    expect(run.stdout).toContain('acme.yaml not found (looked for acme.yaml, ');
    expect(run.stdout).toContain(`installctl status ${c.dir} --spec acme.yaml`);
    const missing = runCli(['status', c.dir, '--spec', join(c.base, 'nope.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('error[FILE_NOT_FOUND]');
  });

  it.each([
    ['older', '0.0.1', 'an OLDER'],
    ['newer', '99.0.0', 'a NEWER'],
  ])('says DIR was rendered by %s installctl, with the right article', (_, version, words) => {
    const c = fresh();
    const file = join(c.dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), installctl: version }, null, 2));
    const run = runCli(['status', c.dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`^installctl: rendered by ${version.replace(/\./g, '\\.')}, this is \\S+: rendered by ${words} installctl; re-render with this one$`, 'm'),
    );
  });

  it('reports a manifest release that disagrees with the values layer as drift', () => {
    const c = fresh();
    const file = join(c.dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), release: '2026.10.2' }, null, 2));
    const run = runCli(['status', c.dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/: DRIFTED$/m);
    expect(run.stdout).toMatch(/^release: {4}2026\.11\.0 \(current, from the agent-platform values\); newer: 2026\.12\.0 \(preview\)$/m);
    expect(run.stdout).toContain(
      'MISMATCH: manifest.json says 2026.10.2 but the agent-platform values layer says 2026.11.0: the manifest was edited or is inconsistent; re-render',
    );
    const json = runCli(['status', c.dir, '--json']);
    expectSchemaDef('cli-output.schema.json', 'status', json.json());
    expect(json.json().release.mismatch).toEqual({ manifest: '2026.10.2', values: '2026.11.0' });
  });

  it('has --help with examples', () => {
    const run = runCli(['status', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('installctl status deploy --spec specs/acme-gov.yaml');
  });
});
