/**
 * upgrade apply-spec in-process over the catalogued releases: one hop per run through the required
 * stops, renamed fields moved with the file's comments kept, the result checked at the new release
 * before anything is written, and the refusals (downgrade, unknown release, invalid spec, a result
 * invalid at the new release) leave the file exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { upgradeApplySpec, type UpgradeApplySpecOptions } from '../../cli/services/upgrade-apply-spec.js';
import { loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { compareReleaseVersions, releaseCatalog } from '../../cli/releases/catalog.js';
import { upgradePath } from '../../cli/releases/path.js';
import { specRenamesBetween } from '../../cli/releases/spec-renames.js';
import { UserError } from '../../cli/lib/errors.js';
import { REPO } from '../helpers/cli.js';

const now = calendarAsOf();
const EXAMPLE = readFileSync(join(REPO, 'examples', 'aws-github-saas-connected.yaml'), 'utf8');
const versions = releaseCatalog().map((release) => release.version);

/** The example at `version`, with ingress.exposure under the name that release reads. */
function exampleAt(version: string): string {
  const text = EXAMPLE.replace('version: 2026.11.0', `version: ${version}`);
  return compareReleaseVersions(version, '2026.12.0') >= 0 ? text.replace('    exposure: internal', '    visibility: internal') : text;
}

function specFile(text: string, name = 'install.yaml'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-apply-spec-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: join(dir, name) };
}

function run(options: Partial<UpgradeApplySpecOptions> & Pick<UpgradeApplySpecOptions, 'spec' | 'to'>) {
  return upgradeApplySpec({ out: null, dryRun: false, now, ...options });
}

/** The UserError a run throws (its code, exit code, message, hint, details). */
function refusal(options: Parameters<typeof run>[0]): UserError {
  try {
    run(options);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

const forward = versions.flatMap((from) => versions.filter((to) => compareReleaseVersions(to, from) > 0).map((to) => [from, to] as const));

describe('upgrade apply-spec: every catalogued upgrade, hop by hop', () => {
  it.each(forward)('%s -> %s: one run per hop of the upgrade path, each result valid at its release', (from, to) => {
    const { file } = specFile(exampleAt(from));
    const path = upgradePath(from, to);
    if (!path.ok) throw new Error(path.message);
    path.hops.forEach((hop, index) => {
      const result = run({ spec: file, to });
      expect(result).toMatchObject({ from: hop.from.version, to: hop.to.version, target: to, stopReason: hop.stopReason, written: file, dryRun: false });
      expect(result.remainingHops).toEqual(path.hops.slice(index + 1).map((next) => ({ from: next.from.version, to: next.to.version, stopReason: next.stopReason })));
      expect(result.renamed).toEqual(specRenamesBetween(hop.from.version, hop.to.version).map((rename) => ({ from: `spec.${rename.from}`, to: `spec.${rename.to}` })));
      expect(result.next).toBe(index < path.hops.length - 1 ? `installctl upgrade apply-spec ${file} --to ${to}` : null);
      const loaded = loadSpecFile(file, { now });
      // A preview release is valid with a warning saying so (RELEASE_PREVIEW); nothing else may be reported.
      expect(loaded.issues.filter((issue) => issue.code !== 'RELEASE_PREVIEW')).toEqual([]);
      expect(loaded.errors).toBe(0);
      expect(loaded.install!.spec.release.version).toBe(hop.to.version);
    });
    expect(readFileSync(file, 'utf8')).toBe(exampleAt(to));
    expect(run({ spec: file, to })).toMatchObject({ from: to, to, written: null, diff: '', renamed: [] });
  });

  it('2026.10.2 -> 2026.12.0 writes the 2026.11.0 stop first, says why and what to run next', () => {
    const { file } = specFile(exampleAt('2026.10.2'));
    const result = run({ spec: file, to: '2026.12.0' });
    expect(result.to).toBe('2026.11.0');
    expect(result.stopReason).toMatch(/^required by 2026\.12\.0: .*index 2026\.11\.0 builds/);
    expect(result.remainingHops).toEqual([{ from: '2026.11.0', to: '2026.12.0', stopReason: null }]);
    expect(result.renamed).toEqual([]);
    expect(result.diff).toContain('-    version: 2026.10.2\n+    version: 2026.11.0\n');
    expect(readFileSync(file, 'utf8')).toBe(exampleAt('2026.11.0'));
  });

  it('2026.11.0 -> 2026.12.0 moves ingress.exposure to ingress.visibility and keeps every comment and line', () => {
    const { file } = specFile(EXAMPLE);
    const result = run({ spec: file, to: '2026.12.0' });
    expect(result.renamed).toEqual([{ from: 'spec.ingress.exposure', to: 'spec.ingress.visibility' }]);
    const written = readFileSync(file, 'utf8');
    const changed = EXAMPLE.split('\n').flatMap((line, index) => (line === written.split('\n')[index] ? [] : [[line, written.split('\n')[index]]]));
    expect(changed).toEqual([
      ['    version: 2026.11.0', '    version: 2026.12.0'],
      ['    exposure: internal', '    visibility: internal'],
    ]);
    expect(written).toContain("    # The ALB serves ACM certificates only: Northwind's internal CA certificate, imported into ACM.");
    expect(result.diff).toMatch(/^--- a\/.*install\.yaml\n\+\+\+ b\/.*install\.yaml\n@@ -9,7 \+9,7 @@\n/);
    expect(result.diff).toContain('-    exposure: internal\n+    visibility: internal\n');
  });

  it('fixes the old names of a spec whose release was bumped by hand, at its own release', () => {
    const { file } = specFile(EXAMPLE.replace('version: 2026.11.0', 'version: 2026.12.0'));
    expect(loadSpecFile(file, { now }).issues.map((issue) => issue.code)).toEqual(['RELEASE_PREVIEW', 'RELEASE_FIELD_RENAMED']);
    const result = run({ spec: file, to: '2026.12.0' });
    expect(result).toMatchObject({ from: '2026.12.0', to: '2026.12.0', renamed: [{ from: 'spec.ingress.exposure', to: 'spec.ingress.visibility' }], written: file });
    expect(readFileSync(file, 'utf8')).toBe(exampleAt('2026.12.0'));
  });
});

describe('upgrade apply-spec: outputs', () => {
  it('--dry-run prints the diff and writes nothing', () => {
    const { dir, file } = specFile(EXAMPLE);
    const result = run({ spec: file, to: '2026.12.0', dryRun: true });
    expect(result).toMatchObject({ to: '2026.12.0', written: null, dryRun: true });
    expect(result.diff).toContain('+    visibility: internal');
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    expect(readdirSync(dir)).toEqual(['install.yaml']);
  });

  it('--out writes a new file and leaves SPEC alone; an existing --out is refused; --out SPEC is in place', () => {
    const { dir, file } = specFile(EXAMPLE);
    const out = join(dir, 'upgraded.yaml');
    expect(run({ spec: file, to: '2026.12.0', out }).written).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe(exampleAt('2026.12.0'));
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    const exists = refusal({ spec: file, to: '2026.12.0', out });
    expect([exists.code, exists.exitCode]).toEqual(['FILE_EXISTS', 2]);
    expect(run({ spec: file, to: '2026.12.0', out: file }).written).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(exampleAt('2026.12.0'));
  });

  it('keeps the permissions of a file written in place, and writes through a symbolic link to its file', () => {
    const { dir, file } = specFile(EXAMPLE);
    chmodSync(file, 0o600);
    const link = join(dir, 'link.yaml');
    symlinkSync(file, link);
    run({ spec: link, to: '2026.12.0' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(exampleAt('2026.12.0'));
    expect(readFileSync(link, 'utf8')).toBe(exampleAt('2026.12.0'));
  });

  it.each([
    ['a symbolic link to SPEC', (dir: string, file: string) => symlinkSync(file, join(dir, 'link.yaml'))],
    ['a link to a link to SPEC', (dir: string, file: string) => (symlinkSync(file, join(dir, 'mid.yaml')), symlinkSync(join(dir, 'mid.yaml'), join(dir, 'link.yaml')))],
  ])('--out %s writes SPEC’s file and keeps the link', (_name, link) => {
    const { dir, file } = specFile(EXAMPLE);
    const out = join(dir, 'link.yaml');
    link(dir, file);
    expect(run({ spec: file, to: '2026.12.0', out }).written).toBe(out);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(exampleAt('2026.12.0'));
  });

  it.each([
    ['a dangling symbolic link', (dir: string) => symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'out.yaml'))],
    ['a link to another file', (dir: string) => (writeFileSync(join(dir, 'other.yaml'), 'x'), symlinkSync(join(dir, 'other.yaml'), join(dir, 'out.yaml')))],
  ])('refuses an --out that is %s (FILE_EXISTS), the link kept', (_name, make) => {
    const { dir, file } = specFile(EXAMPLE);
    make(dir);
    const error = refusal({ spec: file, to: '2026.12.0', out: join(dir, 'out.yaml') });
    expect([error.code, error.exitCode]).toEqual(['FILE_EXISTS', 2]);
    expect(lstatSync(join(dir, 'out.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
  });

  it.each([
    ['in place', null],
    ['to --out', 'upgraded.yaml'],
  ])('keeps a UTF-8 byte order mark (%s)', (_name, out) => {
    const { dir, file } = specFile(`\uFEFF${EXAMPLE}`);
    const result = run({ spec: file, to: '2026.12.0', out: out && join(dir, out) });
    expect(readFileSync(out ? join(dir, out) : file, 'utf8')).toBe(`\uFEFF${exampleAt('2026.12.0')}`);
    expect(result.diff).not.toContain('\uFEFF');
  });

  it('upgrades a JSON spec as JSON', () => {
    const json = `${JSON.stringify(parse(EXAMPLE), null, 2)}\n`;
    const { file } = specFile(json, 'install.json');
    run({ spec: file, to: '2026.12.0' });
    expect(readFileSync(file, 'utf8')).toBe(json.replace('"version": "2026.11.0"', '"version": "2026.12.0"').replace('"exposure"', '"visibility"'));
  });
});

describe('upgrade apply-spec: refusals leave the file as it was', () => {
  /** The file's bytes and mtime, and the directory's entries (no temp file left). */
  const snapshot = (dir: string, file: string) => ({ text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs, entries: readdirSync(dir) });

  it('blocks a Kubernetes version outside the next release’s window (1.31 to 2026.12.0, which needs 1.32): exit 1', () => {
    // A day when EKS 1.31 was in standard support, so the spec is valid at 2026.11.0.
    const then = new Date('2025-06-01T00:00:00Z');
    const { dir, file } = specFile(EXAMPLE.replace('kubernetesVersion: "1.35"', 'kubernetesVersion: "1.31"'));
    expect(loadSpecFile(file, { now: then }).errors).toBe(0);
    const before = snapshot(dir, file);
    const error = refusal({ spec: file, to: '2026.12.0', now: then });
    expect([error.code, error.exitCode]).toEqual(['UPGRADE_SPEC_BLOCKED', 1]);
    expect(error.message).toMatch(/cannot move to release 2026\.12\.0: nothing written: spec\.platform\.kubernetesVersion: .*1\.32.*1\.31/);
    const issues = (error.details as { issues: Array<{ code: string; path: string; line: number | null }> }).issues;
    expect(issues).toContainEqual(expect.objectContaining({ code: 'RELEASE_KUBERNETES_WINDOW', path: 'spec.platform.kubernetesVersion', line: 18 }));
    expect(error.hint).toMatch(/1\.32/);
    expect(snapshot(dir, file)).toEqual(before);
  });

  it('refuses a downgrade: UPGRADE_DOWNGRADE, exit 1, with the rollback hint', () => {
    const { dir, file } = specFile(EXAMPLE);
    const before = snapshot(dir, file);
    const error = refusal({ spec: file, to: '2026.10.2' });
    expect([error.code, error.exitCode]).toEqual(['UPGRADE_DOWNGRADE', 1]);
    expect(error.hint).toMatch(/rollback steps of the RUNBOOK's upgrade section/);
    expect(snapshot(dir, file)).toEqual(before);
  });

  it('refuses an uncatalogued --to: RELEASE_UNKNOWN, exit 2, listing the catalogued releases', () => {
    const { dir, file } = specFile(EXAMPLE);
    const before = snapshot(dir, file);
    const error = refusal({ spec: file, to: '2027.1.0' });
    expect([error.code, error.exitCode]).toEqual(['RELEASE_UNKNOWN', 2]);
    expect(error.message).toBe('--to 2027.1.0 is not in the release catalog');
    expect(error.hint).toBe(`catalogued releases: ${versions.join(', ')}`);
    expect(snapshot(dir, file)).toEqual(before);
  });

  it('refuses a spec whose own release is not catalogued (exit 2)', () => {
    const { file } = specFile(EXAMPLE.replace('version: 2026.11.0', 'version: 2026.11.7'));
    const error = refusal({ spec: file, to: '2026.12.0' });
    // validate may refuse the release itself (UPGRADE_SPEC_INVALID); either way it is a usage error.
    expect(['RELEASE_UNKNOWN', 'UPGRADE_SPEC_INVALID']).toContain(error.code);
    expect(error.exitCode).toBe(2);
  });

  it.each([
    ['a schema error', EXAMPLE.replace('sizing: medium', 'sizing: huge'), 'SCHEMA_ENUM'],
    ['a name too new for its release', EXAMPLE.replace('    exposure: internal', '    visibility: internal'), 'RELEASE_FIELD_TOO_NEW'],
    [
      'both names',
      EXAMPLE.replace('version: 2026.11.0', 'version: 2026.12.0').replace('    exposure: internal', '    exposure: internal\n    visibility: internal'),
      'RELEASE_FIELD_RENAMED',
    ],
  ])('refuses a spec invalid at its own release (%s): UPGRADE_SPEC_INVALID, exit 2, its issues in details', (_name, text, code) => {
    const { dir, file } = specFile(text);
    const before = snapshot(dir, file);
    const error = refusal({ spec: file, to: '2026.12.0' });
    expect([error.code, error.exitCode]).toEqual(['UPGRADE_SPEC_INVALID', 2]);
    expect((error.details as { issues: Array<{ code: string }> }).issues.map((issue) => issue.code)).toContain(code);
    expect(error.hint).toBe(`installctl validate ${file} lists every issue with its line`);
    expect(snapshot(dir, file)).toEqual(before);
  });

  // An edit to a node an alias shares would change the alias too: refused like an aliased version, the file untouched.
  it.each([
    [
      'the version anchored and aliased elsewhere',
      EXAMPLE.replace('version: 2026.11.0', 'version: &rel 2026.11.0').replace('key: ca.crt }', 'key: *rel }'),
      /spec\.release\.version is anchored \(&rel\)/,
    ],
    [
      'the version an alias',
      EXAMPLE.replace('cost-center: eng-platform', 'cost-center: eng-platform\n    release: &v 2026.11.0').replace('version: 2026.11.0', 'version: *v'),
      /spec\.release\.version is an alias \(\*v\)/,
    ],
  ])('refuses to move a spec with %s: UPGRADE_SPEC_BLOCKED, exit 1, nothing written', (_name, text, reason) => {
    const { dir, file } = specFile(text);
    expect(loadSpecFile(file, { now }).errors).toBe(0);
    const before = snapshot(dir, file);
    const error = refusal({ spec: file, to: '2026.12.0' });
    expect([error.code, error.exitCode]).toEqual(['UPGRADE_SPEC_BLOCKED', 1]);
    expect(error.message).toMatch(reason);
    expect(error.hint).toBe('edit the spec by hand');
    expect(snapshot(dir, file)).toEqual(before);
  });

  it('a missing spec is a usage error', () => {
    const error = refusal({ spec: join(tmpdir(), 'no-such-installctl-spec.yaml'), to: '2026.12.0' });
    expect([error.code, error.exitCode]).toEqual(['UPGRADE_SPEC_INVALID', 2]);
  });

  it('a spec on standard input needs --out or --dry-run', () => {
    const error = refusal({ spec: '-', to: '2026.12.0' });
    expect([error.code, error.exitCode]).toEqual(['USAGE', 2]);
  });
});
