/**
 * The built CLI: upgrade apply-spec prints a unified diff and what to do next, exits 0 written (or
 * nothing to do), 1 blocked (a downgrade), 2 usage (an uncatalogued release, an invalid spec), and
 * prints its documented --json shape; the refusals write nothing.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';

const EXAMPLE = readFileSync(join(REPO, 'examples', 'aws-github-saas-connected.yaml'), 'utf8');

function specFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-apply-spec-cli-'));
  writeFileSync(join(dir, 'install.yaml'), text);
  return { dir, file: join(dir, 'install.yaml') };
}

describe('upgrade apply-spec (CLI)', () => {
  it('from 2026.10.2: writes the 2026.11.0 stop with a diff and the next command, then 2026.12.0, then has nothing to do', () => {
    const { file } = specFile(EXAMPLE.replace('version: 2026.11.0', 'version: 2026.10.2'));
    const first = runCli(['upgrade', 'apply-spec', file, '--to', '2026.12.0']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^--- a\/.*install\.yaml\n\+\+\+ b\/.*install\.yaml\n@@ -9,7 \+9,7 @@\n/);
    expect(first.stdout).toContain('-    version: 2026.10.2\n+    version: 2026.11.0\n');
    expect(first.stdout).toContain(`wrote ${file}: release 2026.10.2 -> 2026.11.0\n`);
    expect(first.stdout).toMatch(/2026\.11\.0 is a required stop on the way to 2026\.12\.0 \(required by 2026\.12\.0: /);
    expect(first.stdout).toContain(`then: installctl upgrade apply-spec ${file} --to 2026.12.0\n`);

    const second = runCli(['upgrade', 'apply-spec', file, '--to', '2026.12.0', '--json']);
    expect(second.status, second.stderr).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'upgradeApplySpec', second.json());
    expect(second.json()).toMatchObject({
      from: '2026.11.0',
      to: '2026.12.0',
      target: '2026.12.0',
      remainingHops: [],
      renamed: [{ from: 'spec.ingress.exposure', to: 'spec.ingress.visibility' }],
      written: file,
      next: null,
    });
    expect(second.json().diff).toContain('-    exposure: internal\n+    visibility: internal\n');
    expect(runCli(['validate', file]).status).toBe(0);

    const third = runCli(['upgrade', 'apply-spec', file, '--to', '2026.12.0']);
    expect(third.status).toBe(0);
    expect(third.stdout).toBe(`${file} is already at 2026.12.0: nothing to write\n`);
  });

  it('--dry-run prints the diff and writes nothing', () => {
    const { dir, file } = specFile(EXAMPLE);
    const run = runCli(['upgrade', 'apply-spec', file, '--to', '2026.12.0', '--dry-run']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('+    visibility: internal\n');
    expect(run.stdout).toMatch(
      /dry run: would write .*install\.yaml: release 2026\.11\.0 -> 2026\.12\.0; renamed spec\.ingress\.exposure -> spec\.ingress\.visibility; nothing written/,
    );
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    expect(readdirSync(dir)).toEqual(['install.yaml']);
  });

  it.each([
    ['a downgrade (exit 1)', ['--to', '2026.10.2'], EXAMPLE, 1, 'UPGRADE_DOWNGRADE', /rollback steps/],
    ['an uncatalogued release (exit 2)', ['--to', '2031.1.0'], EXAMPLE, 2, 'RELEASE_UNKNOWN', /catalogued releases: 2026\.10\.2, 2026\.11\.0, 2026\.12\.0/],
    ['an invalid spec (exit 2)', ['--to', '2026.12.0'], EXAMPLE.replace('sizing: medium', 'sizing: huge'), 2, 'UPGRADE_SPEC_INVALID', /installctl validate .* lists every issue/],
    ['a missing --to (exit 2)', [], EXAMPLE, 2, 'USAGE', /--help/],
  ])('refuses %s, with the code on stderr and in --json, and writes nothing', (_name, flags, text, status, code, hint) => {
    const { dir, file } = specFile(text);
    const run = runCli(['upgrade', 'apply-spec', file, ...flags]);
    expect(run.status).toBe(status);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^installctl: error\\[${code}\\]: `));
    expect(run.stderr).toMatch(hint);
    const json = runCli(['upgrade', 'apply-spec', file, ...flags, '--json']);
    expect(json.status).toBe(status);
    expectSchemaDef('cli-output.schema.json', 'error', json.json());
    expect(json.json().error.code).toBe(code);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['install.yaml']);
  });

  it('--help shows the flags and examples', () => {
    const run = runCli(['upgrade', 'apply-spec', '--help']);
    expect(run.status).toBe(0);
    for (const text of ['--to', '--out', '--dry-run', '--json', 'upgrade apply-spec spec.yaml --to 2026.12.0 --dry-run']) expect(run.stdout).toContain(text);
  });
});
