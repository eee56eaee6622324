/** VALUE_CONTROL_CHARACTER: every class of control character, in values, keys and free text, named and never printed raw. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CONTROL_CHARACTER, describeControlCharacter, escapeControlCharacters } from '../../cli/schema/control-characters.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { CONTROL_CLASSES } from '../helpers/control-characters.js';
import { codes, loadExample, withValue } from '../helpers/specs.js';

const awsSaas = loadExample('aws-github-saas-connected.yaml');
const azureConditional = loadExample('azure-bitbucket-cloud-managed-air-gapped.yaml');

/** The spec text for data, written by the yaml library (which escapes what YAML cannot hold raw). */
function check(data: unknown) {
  return checkSpecText('spec.yaml', stringify(data));
}

function assertNamedNotRaw(result: ReturnType<typeof check>, char: string): void {
  const issue = result.issues.find((i) => i.code === 'VALUE_CONTROL_CHARACTER')!;
  const codePoint = char.codePointAt(0)!;
  expect(issue.message).toContain(`U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`);
  expect(issue.line).not.toBeNull();
  for (const text of [issue.message, issue.hint!, issue.path]) expect(CONTROL_CHARACTER.test(text), text).toBe(false);
}

describe('VALUE_CONTROL_CHARACTER', () => {
  const places: Array<[string, (c: string) => unknown, string]> = [
    ['a value', (c) => withValue(awsSaas, 'spec.ingress.hostname', `agents${c}.northwind.corp`), 'spec.ingress.hostname'],
    ['a label value', (c) => withValue(awsSaas, 'metadata.labels.team', `a${c}b`), 'metadata.labels.team'],
    ['the customer (free text)', (c) => withValue(awsSaas, 'metadata.customer', `Northwind${c} Traders`), 'metadata.customer'],
    ['an acknowledgement note (free text)', (c) => withValue(azureConditional, 'spec.acknowledgements.0.note', `Approved${c} in review`), 'spec.acknowledgements[0].note'],
    ['a list item', (c) => withValue(awsSaas, 'spec.scm.organizations', ['northwind', `labs${c}`]), 'spec.scm.organizations[1]'],
  ];
  const rows = CONTROL_CLASSES.flatMap(([name, char]) => places.map(([where, make, path]) => [`${name} in ${where}`, make(char), path, char] as const));

  it.each(rows)('%s', (_, data, path, char) => {
    const result = check(data);
    const matches = result.issues.filter((i) => i.code === 'VALUE_CONTROL_CHARACTER');
    expect(matches.map((i) => i.path)).toEqual([path]);
    // The path is claimed: the schema does not report the same value again.
    expect(result.issues.filter((i) => i.path === path).map((i) => i.code)).toEqual(['VALUE_CONTROL_CHARACTER']);
    assertNamedNotRaw(result, char);
    expect(result.exitCode).toBe(1);
  });

  it.each(CONTROL_CLASSES)('%s in a key: reported at the key, its path escaped', (_, char) => {
    const key = `team${char}x`;
    const result = check(withValue(awsSaas, `metadata.labels`, { [key]: 'a' }));
    const issue = result.issues.find((i) => i.code === 'VALUE_CONTROL_CHARACTER')!;
    expect(issue.path.startsWith('metadata.labels[')).toBe(true);
    expect(issue.message).toMatch(/^the key holds U\+/);
    expect(codes(result)).not.toContain('SCHEMA_PATTERN');
    assertNamedNotRaw(result, char);
  });

  it('reads YAML and JSON escapes, lone surrogates included, and points at the value', () => {
    const yaml = 'apiVersion: installctl.dev/v1alpha1\nkind: Install\nmetadata:\n  name: x\n  customer: "A\\ud800 \\e[2J \\u202e"\n';
    const issue = checkSpecText('a.yaml', yaml).issues.find((i) => i.code === 'VALUE_CONTROL_CHARACTER')!;
    expect([issue.path, issue.line, issue.column]).toEqual(['metadata.customer', 5, 13]);
    const json = '{"apiVersion": "installctl.dev/v1alpha1", "kind": "Install", "metadata": {"name": "x", "customer": "\\udc00"}}';
    expect(codes(checkSpecText('a.json', json))).toContain('VALUE_CONTROL_CHARACTER');
  });

  it('raw C1 and bidi bytes in the file are found the same way', () => {
    const yaml = `apiVersion: installctl.dev/v1alpha1\nkind: Install\nmetadata:\n  name: x\n  customer: Acme\u0085Corp\u202e\n`;
    expect(codes(checkSpecText('a.yaml', yaml))).toContain('VALUE_CONTROL_CHARACTER');
  });

  it('leaves printable Unicode alone (accents, CJK, emoji)', () => {
    const result = check(withValue(awsSaas, 'metadata.customer', 'Zoë Straße 東京 🚀 Ltd.'));
    expect(codes(result)).toEqual([]);
  });

  it('names each class of character without printing it', () => {
    for (const [, char] of CONTROL_CLASSES) {
      const text = describeControlCharacter(char.codePointAt(0)!);
      expect(text).toMatch(/^U\+[0-9A-F]{4,5} \(/);
      expect(CONTROL_CHARACTER.test(text)).toBe(false);
    }
    expect(escapeControlCharacters('a\u202eb\u001b')).toBe('a\\u202eb\\x1b');
  });
});
