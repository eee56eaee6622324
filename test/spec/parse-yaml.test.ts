import { describe, expect, it } from 'vitest';
import { looksLikeJson, MAX_ALIAS_COUNT, parseSpecText } from '../../cli/spec/parse-yaml.js';

function failure(text: string) {
  const result = parseSpecText(text);
  if (result.ok) throw new Error('expected a parse failure');
  return result.findings;
}

describe('parseSpecText', () => {
  it('parses YAML and JSON into the same data', () => {
    const yaml = parseSpecText('kind: Install\nspec:\n  sizing: small\n');
    const json = parseSpecText('{"kind": "Install", "spec": {"sizing": "small"}}');
    expect(yaml.ok && json.ok).toBe(true);
    if (yaml.ok && json.ok) expect(yaml.data).toEqual(json.data);
  });

  it('reads YAML 1.2: yes/no/on stay strings, 1.30 is a number', () => {
    const result = parseSpecText('a: yes\nb: on\nc: 1.30\n');
    expect(result.ok && result.data).toEqual({ a: 'yes', b: 'on', c: 1.3 });
  });

  it('reports a syntax error with line and column', () => {
    const [finding] = failure('kind: Install\nspec:\n  sizing: [small\n');
    expect(finding!.code).toBe('YAML_SYNTAX');
    expect(finding!.position).not.toBeNull();
    expect(finding!.position!.line).toBeGreaterThanOrEqual(3);
  });

  it('holds JSON to JSON grammar and reports the position', () => {
    const result = parseSpecText('{"kind": "Install",\n "spec": }\n', { json: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings[0]).toMatchObject({ code: 'JSON_SYNTAX', position: { line: 2, column: 10 } });
    // The same text is a valid YAML flow mapping.
    expect(parseSpecText('{"kind": "Install",\n "spec": }\n').ok).toBe(true);
  });

  it('detects JSON by extension or a leading brace', () => {
    expect(looksLikeJson('spec.JSON', 'kind: x')).toBe(true);
    expect(looksLikeJson('-', '  {"kind": 1}')).toBe(true);
    expect(looksLikeJson('spec.yaml', 'kind: x')).toBe(false);
  });

  it('refuses duplicate keys at the second occurrence', () => {
    const findings = failure('kind: Install\nmetadata:\n  name: a\n  name: b\n');
    expect(findings.map((f) => f.code)).toEqual(['YAML_DUPLICATE_KEY']);
    expect(findings[0]!.position).toEqual({ line: 4, column: 3 });
  });

  it('refuses several documents, pointing at the second', () => {
    const [finding] = failure('kind: Install\n---\nkind: Install\n');
    expect(finding!.code).toBe('YAML_MULTIPLE_DOCUMENTS');
    expect(finding!.position!.line).toBe(2);
  });

  it.each(['', '   \n\n', '# only a comment\n', '---\n'])('refuses an empty document %j', (text) => {
    expect(failure(text)[0]!.code).toBe('FILE_EMPTY');
  });

  it('refuses an alias bomb quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    expect(failure(lines.join('\n') + '\n')[0]!.code).toBe('YAML_ALIAS_LIMIT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it(`allows a few aliases (up to ${MAX_ALIAS_COUNT})`, () => {
    expect(parseSpecText('a: &x {k: v}\nb: *x\n').ok).toBe(true);
  });

  it('refuses deep nesting', () => {
    expect(failure('a: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n')[0]!.code).toMatch(/YAML_NESTING_LIMIT|YAML_SYNTAX/);
    expect(failure('a: ' + '['.repeat(40) + ']'.repeat(40) + '\n')[0]!.code).toBe('YAML_NESTING_LIMIT');
  });

  it('refuses custom tags', () => {
    expect(failure('kind: !Ref Install\n')[0]!.code).toBe('YAML_TAG');
  });

  it('locates values, keys and missing keys', () => {
    const result = parseSpecText('kind: Install\nspec:\n  list:\n    - a\n    - name: b\n');
    if (!result.ok) throw new Error('parse failed');
    expect(result.locator.locate(['spec', 'list', 1, 'name'])).toEqual({ line: 5, column: 13 });
    expect(result.locator.locate(['spec', 'list', 1, 'name'], true)).toEqual({ line: 5, column: 7 });
    expect(result.locator.locate(['spec', 'list', 0])).toEqual({ line: 4, column: 7 });
    // A key that is not there: the nearest ancestor's key.
    expect(result.locator.locate(['spec', 'missing'])).toEqual({ line: 2, column: 1 });
    expect(result.locator.locate([])).toEqual({ line: 1, column: 1 });
  });
});
