/**
 * RELEASE_FIELD_RENAMED and RELEASE_FIELD_TOO_NEW over every catalogued spec rename and every
 * catalogued release: a spec may use a field's name only at the releases that read it, and never
 * both names. Then the loaded spec, at any release, reads in the current release's names.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { checkSpecText } from '../../../cli/install-spec/load-spec.js';
import { normalizeRenamedFields } from '../../../cli/install-spec/normalize-renames.js';
import { checkRenamedFields } from '../../../cli/install-spec/rules/release-renames.js';
import { settingsFor } from '../../../cli/emit/settings.js';
import { compareReleaseVersions, currentRelease, releaseCatalog, type Release } from '../../../cli/releases/catalog.js';
import { valueAt } from '../../../cli/releases/renames.js';
import { catalogSpecRenames } from '../../../cli/releases/spec-renames.js';
import { resolveAt, type JsonSchema } from '../../../cli/schema/schema-resolver.js';
import type { Install } from '../../../cli/generated/install-spec.js';
import { loadExample, withValue } from '../../helpers/specs.js';
import { REPO } from '../../helpers/cli.js';

// aws-github-saas-connected sets ingress.exposure: internal; the example is valid at every release.
const EXAMPLE = loadExample('aws-github-saas-connected.yaml');
const renames = catalogSpecRenames();
const releases = releaseCatalog().map((release) => release.version);

/** The example at `version` with the renamed field under `name` only (value `value`). */
function specWith(version: string, rename: { from: string; to: string }, name: string, value: unknown): unknown {
  const original = valueAt(EXAMPLE.spec, rename.from);
  let spec = withValue(EXAMPLE, 'spec.release.version', version);
  spec = withValue(spec, `spec.${rename.from}`, undefined);
  spec = withValue(spec, `spec.${rename.to}`, undefined);
  return withValue(spec, `spec.${name}`, value ?? original);
}

function check(data: unknown) {
  const text = stringify(data);
  const loaded = checkSpecText('spec.yaml', text);
  const renameIssues = loaded.issues.filter((issue) => issue.code.startsWith('RELEASE_FIELD_'));
  return { text, loaded, renameIssues };
}

describe('the catalog’s spec renames', () => {
  it('exist (else these tables test nothing) and do not chain: each table below assumes one step per field', () => {
    expect(renames.length).toBeGreaterThan(0);
    const targets = new Set(renames.map((rename) => rename.to));
    expect(renames.filter((rename) => targets.has(rename.from))).toEqual([]);
  });

  it.each(renames.map((rename) => [`${rename.from} -> ${rename.to}`, rename]))('%s: the schema knows both names with the same values', (_name, rename) => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'install.schema.json'), 'utf8')) as JsonSchema;
    const at = (path: string) => resolveAt(schema, EXAMPLE, ['spec', ...path.split('.')])?.schema as Record<string, unknown> | undefined;
    expect(at(rename.from)).toBeDefined();
    expect(at(rename.to)).toBeDefined();
    expect(at(rename.to)!.enum).toEqual(at(rename.from)!.enum);
    expect(at(rename.to)!.default).toEqual(at(rename.from)!.default);
  });
});

const table = renames.flatMap((rename) =>
  releases.map((version) => {
    const renamed = compareReleaseVersions(version, rename.release) >= 0;
    return [`${rename.from} -> ${rename.to} (${rename.release}) in a spec at ${version}`, { rename, version, renamed }] as const;
  }),
);

describe.each(table)('%s', (_name, { rename, version, renamed }) => {
  const valid = renamed ? rename.to : rename.from;
  const wrong = renamed ? rename.from : rename.to;
  const code = renamed ? 'RELEASE_FIELD_RENAMED' : 'RELEASE_FIELD_TOO_NEW';

  it(`accepts the name the release reads (${renamed ? 'the new one' : 'the old one'}) and loads it under the current release's name`, () => {
    const { loaded, renameIssues } = check(specWith(version, rename, valid, undefined));
    expect(renameIssues).toEqual([]);
    expect(loaded.errors).toBe(0);
    const currentName = compareReleaseVersions(currentRelease().version, rename.release) >= 0 ? rename.to : rename.from;
    const otherName = currentName === rename.to ? rename.from : rename.to;
    const spec = loaded.install!.spec as unknown as Record<string, unknown>;
    expect(valueAt(spec, currentName)).toBe(valueAt(EXAMPLE.spec, rename.from));
    expect(valueAt(spec, otherName)).toBeUndefined();
  });

  it(`refuses the other name with ${code} at its key, with line:column and a hint`, () => {
    const { text, loaded, renameIssues } = check(specWith(version, rename, wrong, undefined));
    expect(loaded.install).toBeNull();
    expect(renameIssues.map((issue) => [issue.severity, issue.code, issue.path])).toEqual([['error', code, `spec.${wrong}`]]);
    const issue = renameIssues[0]!;
    const key = wrong.split('.').pop()!;
    expect(text.split('\n')[issue.line! - 1]!.slice(issue.column! - 1)).toMatch(new RegExp(`^${key}:`));
    expect(issue.message).toContain(`spec.${valid}`);
    expect(issue.hint).toMatch(renamed ? new RegExp(`installctl upgrade apply-spec SPEC --to ${version}.*spec\\.${valid}`) : new RegExp(`rename it to spec\\.${valid}`));
  });

  it('refuses both names at once (one error, at the name the release does not read)', () => {
    const both = withValue(specWith(version, rename, valid, undefined), `spec.${wrong}`, valueAt(EXAMPLE.spec, rename.from));
    const { renameIssues } = check(both);
    expect(renameIssues.map((issue) => [issue.code, issue.path])).toEqual([[code, `spec.${wrong}`]]);
    expect(renameIssues[0]!.message).toMatch(/set too/);
    expect(renameIssues[0]!.hint).toMatch(new RegExp(`^remove spec\\.${wrong}`));
  });

  it.each(['internal', 'external'])('carries %s through to the settings the stacks read, whatever the name', (value) => {
    const { loaded } = check(specWith(version, rename, valid, value));
    expect(settingsFor(loaded.install!, loaded.cell!).ingress?.exposure).toBe(value);
  });
});

describe('renames that chain and come back (a catalog of the future)', () => {
  // 2026.11.0 renames a.x -> a.y; 2026.12.0 renames a.y -> a.z; the current release is 2026.11.0.
  const chained: Release[] = releaseCatalog().map((release) => {
    const copy = structuredClone(release);
    if (copy.version === '2026.11.0') copy.spec.renamed = [{ from: 'ingress.exposure', to: 'ingress.reach', reason: 'r1' }];
    if (copy.version === '2026.12.0') copy.spec.renamed = [{ from: 'ingress.reach', to: 'ingress.visibility', reason: 'r2' }];
    return copy;
  });
  const at = (version: string, field: string) => ({ spec: { release: { version }, ingress: { [field]: 'external' } } }) as unknown as Install;
  const found = (version: string, field: string) => checkRenamedFields(at(version, field), chained).map((finding) => [finding.code, finding.path.join('.'), finding.message]);

  it.each([
    ['2026.10.2', 'exposure', []],
    ['2026.10.2', 'reach', [['RELEASE_FIELD_TOO_NEW', 'spec.ingress.reach', expect.stringContaining('reads spec.ingress.exposure')]]],
    ['2026.10.2', 'visibility', [['RELEASE_FIELD_TOO_NEW', 'spec.ingress.visibility', expect.stringContaining('reads spec.ingress.exposure')]]],
    ['2026.11.0', 'exposure', [['RELEASE_FIELD_RENAMED', 'spec.ingress.exposure', expect.stringContaining('renamed spec.ingress.reach in 2026.11.0')]]],
    ['2026.11.0', 'reach', []],
    ['2026.11.0', 'visibility', [['RELEASE_FIELD_TOO_NEW', 'spec.ingress.visibility', expect.stringContaining('reads spec.ingress.reach')]]],
    ['2026.12.0', 'exposure', [['RELEASE_FIELD_RENAMED', 'spec.ingress.exposure', expect.stringContaining('(spec.ingress.visibility at 2026.12.0)')]]],
    ['2026.12.0', 'reach', [['RELEASE_FIELD_RENAMED', 'spec.ingress.reach', expect.stringContaining('renamed spec.ingress.visibility in 2026.12.0')]]],
    ['2026.12.0', 'visibility', []],
    // A version the catalog does not list still orders against the renames.
    ['2027.1.0', 'reach', [['RELEASE_FIELD_RENAMED', 'spec.ingress.reach', expect.anything()]]],
  ])('a spec at %s using ingress.%s', (version, field, expected) => {
    expect(found(version, field)).toEqual(expected);
  });

  it.each([
    ['2026.10.2', 'exposure', 'reach'],
    ['2026.11.0', 'reach', 'reach'],
    ['2026.12.0', 'visibility', 'reach'],
  ])('a spec at %s normalizes ingress.%s to the current ingress.%s', (version, field, current) => {
    const install = at(version, field);
    const normalized = normalizeRenamedFields(install, chained);
    expect(normalized.spec.ingress).toEqual({ [current]: 'external' });
    expect(install.spec.ingress).toEqual({ [field]: 'external' });
    if (field === current) expect(normalized).toBe(install);
  });
});
