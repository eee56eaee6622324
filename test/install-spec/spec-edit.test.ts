/** editSpecText: a new version and renamed fields, with the rest of the file byte for byte as it was. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { editSpecText, type FieldMove } from '../../cli/install-spec/spec-edit.js';

/** What the edit must give: the text's data with the moves and version applied by hand. */
function edit(text: string, moves: FieldMove[], version?: string, json = false) {
  const expected = parse(text) as Record<string, any>;
  for (const move of moves) {
    const from = move.from.split('.');
    const to = move.to.split('.');
    let source = expected;
    for (const key of from.slice(0, -1)) source = source[key];
    const value = source[from[from.length - 1]!];
    delete source[from[from.length - 1]!];
    let target = expected;
    for (const key of to.slice(0, -1)) target = target[key] ??= {};
    target[to[to.length - 1]!] = value;
    if (Object.keys(source).length === 0) delete expected[from[0]!][from[1]!];
  }
  if (version) expected.spec.release.version = version;
  return editSpecText(text, { versionPath: version ? 'spec.release.version' : undefined, version, moves, json, expected });
}

const YAML = `# the customer's spec
spec:
  release:
    version: 2026.11.0   # bump with upgrade apply-spec
  ingress:
    hostname: agents.acme.internal
    # who reaches the portal
    exposure: internal    # keep private
    tls: { mode: secret, secretName: agents-tls }
`;
const MOVE = { from: 'spec.ingress.exposure', to: 'spec.ingress.visibility' };

describe('editSpecText', () => {
  it('changes only the version and the key, keeping every comment, its spacing and the key order', () => {
    const result = edit(YAML, [MOVE], '2026.12.0');
    expect(result).toEqual({ ok: true, text: YAML.replace('2026.11.0', '2026.12.0').replace('exposure:', 'visibility:') });
  });

  it.each([
    [
      'double-quoted',
      `spec:\n  release: { version: "2026.11.0" }\n  ingress: { "exposure": "internal" }\n`,
      `spec:\n  release: { version: "2026.12.0" }\n  ingress: { "visibility": "internal" }\n`,
    ],
    [
      'single-quoted',
      `spec:\n  release:\n    version: '2026.11.0'\n  ingress:\n    'exposure': external\n`,
      `spec:\n  release:\n    version: '2026.12.0'\n  ingress:\n    'visibility': external\n`,
    ],
    [
      'CRLF line ends',
      `spec:\r\n  release:\r\n    version: 2026.11.0\r\n  ingress:\r\n    exposure: internal\r\n`,
      `spec:\r\n  release:\r\n    version: 2026.12.0\r\n  ingress:\r\n    visibility: internal\r\n`,
    ],
  ])('keeps the %s style', (_name, text, expected) => {
    expect(edit(text, [MOVE], '2026.12.0')).toEqual({ ok: true, text: expected });
  });

  it('edits JSON as JSON, in place', () => {
    const text = `{\n  "spec": {\n    "release": { "version": "2026.11.0" },\n    "ingress": { "exposure": "internal", "hostname": "a.b" }\n  }\n}\n`;
    expect(edit(text, [MOVE], '2026.12.0', true)).toEqual({ ok: true, text: text.replace('2026.11.0', '2026.12.0').replace('"exposure"', '"visibility"') });
  });

  it('follows a chain of renames of one key within one edit', () => {
    const result = edit(YAML, [MOVE, { from: 'spec.ingress.visibility', to: 'spec.ingress.reach' }]);
    expect(result).toEqual({ ok: true, text: YAML.replace('exposure:', 'reach:') });
  });

  it('moves a field to another mapping by printing the document again, comments kept', () => {
    const result = edit(YAML, [{ from: 'spec.ingress.exposure', to: 'spec.network.visibility' }]);
    expect(result.ok).toBe(true);
    const text = (result as { text: string }).text;
    expect(text).toContain('# keep private');
    expect(text).toContain('# bump with upgrade apply-spec');
    expect(parse(text).spec.network).toEqual({ visibility: 'internal' });
    expect(parse(text).spec.ingress.exposure).toBeUndefined();
  });

  it('moves a field out of JSON to another object as 2-space JSON', () => {
    const text = `{"spec": {"release": {"version": "2026.11.0"}, "ingress": {"exposure": "internal"}}}`;
    const result = edit(text, [{ from: 'spec.ingress.exposure', to: 'spec.reach.visibility' }], undefined, true);
    expect(result).toEqual({ ok: true, text: `${JSON.stringify({ spec: { release: { version: '2026.11.0' }, reach: { visibility: 'internal' } } }, null, 2)}\n` });
  });

  it.each([
    ['the new name is set too', `spec:\n  ingress:\n    exposure: internal\n    visibility: external\n`, /visibility is set too/],
    ['the path goes through an alias', `x: &i\n  exposure: internal\nspec:\n  ingress: *i\n`, /spec.ingress is an alias/],
    ['the field is not there', `spec:\n  ingress:\n    hostname: a\n`, /spec.ingress.exposure is not set/],
  ])('refuses when %s (nothing half-edited)', (_name, text, reason) => {
    const result = editSpecText(text, { moves: [MOVE], json: false, expected: null });
    expect(result.ok).toBe(false);
    expect((result as { reason: string }).reason).toMatch(reason);
  });

  // Editing a node some alias shares would change the alias too: every such edit is refused, never half-made.
  it.each([
    [
      'the version is anchored and aliased',
      `spec:\n  release: { version: &rel 2026.11.0 }\n  ingress:\n    exposure: internal\n    tls: { secretName: *rel }\n`,
      '2026.12.0',
      [],
      /spec.release.version is anchored \(&rel\) and aliased/,
    ],
    ['the version is an alias', `v: &v 2026.11.0\nspec:\n  release: { version: *v }\n`, '2026.12.0', [], /spec.release.version is an alias \(\*v\)/],
    ['a mapping on the version path is anchored and aliased', `spec:\n  release: &r { version: 2026.11.0 }\n  copy: *r\n`, '2026.12.0', [], /spec.release is anchored \(&r\)/],
    [
      'a renamed key is anchored and aliased',
      `spec:\n  ingress:\n    &k exposure: internal\n  other: { *k : x }\n`,
      undefined,
      [MOVE],
      /the key spec.ingress.exposure is anchored \(&k\)/,
    ],
    ['the mapping of a renamed key is anchored and aliased', `spec:\n  ingress: &i\n    exposure: internal\n  copy: *i\n`, undefined, [MOVE], /spec.ingress is anchored \(&i\)/],
    [
      'a value moved to another mapping is anchored and aliased',
      `spec:\n  ingress:\n    exposure: &e internal\n  note: *e\n`,
      undefined,
      [{ from: 'spec.ingress.exposure', to: 'spec.reach.visibility' }],
      /spec.ingress.exposure is anchored \(&e\)/,
    ],
    [
      'a value moved to another mapping is an alias',
      `x: &e internal\nspec:\n  ingress:\n    exposure: *e\n`,
      undefined,
      [{ from: 'spec.ingress.exposure', to: 'spec.reach.visibility' }],
      /spec.ingress.exposure is an alias \(\*e\)/,
    ],
    [
      'a value moved to another mapping holds a shared anchor',
      `spec:\n  ingress:\n    exposure: { level: &l internal }\n  note: *l\n`,
      undefined,
      [{ from: 'spec.ingress.exposure', to: 'spec.reach.visibility' }],
      /spec.ingress.exposure \(inside\) is anchored \(&l\)/,
    ],
  ])('refuses when %s (nothing half-edited)', (_name, text, version, moves, reason) => {
    const result = edit(text, moves as FieldMove[], version);
    expect(result.ok).toBe(false);
    expect((result as { reason: string }).reason).toMatch(reason);
  });

  it.each([
    ['an anchor nothing aliases', `spec:\n  release: { version: &rel 2026.11.0 }\n  ingress:\n    exposure: internal\n`],
    ['an alias elsewhere in the spec', `x: &h agents.acme.internal\nspec:\n  release: { version: 2026.11.0 }\n  ingress:\n    hostname: *h\n    exposure: internal\n`],
  ])('still edits a spec with %s', (_name, text) => {
    expect(edit(text, [MOVE], '2026.12.0')).toEqual({ ok: true, text: text.replace('2026.11.0', '2026.12.0').replace('exposure:', 'visibility:') });
  });

  it('throws rather than return text that does not parse to the intended spec', () => {
    expect(() => editSpecText(YAML, { moves: [MOVE], json: false, expected: { something: 'else' } })).toThrow(/did not give the intended spec/);
  });
});
