import { describe, expect, it } from 'vitest';
import { looksLikeJson, MAX_ALIAS_COUNT, MAX_NESTING_DEPTH, parseSpecText } from '../../cli/install-spec/parse-yaml.js';

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

  it.each([
    ['a leading ---', '---\nkind: Install\n'],
    ['a trailing ---', 'kind: Install\n---\n'],
    ['a trailing --- with a comment', 'kind: Install\n---\n# end\n'],
    ['a trailing ...', 'kind: Install\n...\n'],
    ['both', '---\nkind: Install\n---\n---\n'],
  ])('accepts empty documents around the spec: %s', (_, text) => {
    const result = parseSpecText(text);
    expect(result.ok && result.data).toEqual({ kind: 'Install' });
  });

  it('still refuses two documents with content, even with empty ones between', () => {
    expect(failure('kind: Install\n---\n---\nkind: Install\n')[0]!.code).toBe('YAML_MULTIPLE_DOCUMENTS');
    expect(failure('kind: Install\n--- ~\n')[0]!.code).toBe('YAML_MULTIPLE_DOCUMENTS');
  });

  it.each(['', '   \n\n', '# only a comment\n', '---\n', '---\n---\n'])('refuses an empty document %j', (text) => {
    expect(failure(text)[0]!.code).toBe('FILE_EMPTY');
  });

  it('refuses an alias bomb quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const started = Date.now();
    expect(failure(lines.join('\n') + '\n')[0]!.code).toBe('YAML_ALIAS_LIMIT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it(`allows a few aliases (up to ${MAX_ALIAS_COUNT})`, () => {
    expect(parseSpecText('a: &x {k: v}\nb: *x\n').ok).toBe(true);
  });

  const flowSeq = (depth: number) => 'a: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n';
  const flowMap = (depth: number) => 'a: ' + '{a: '.repeat(depth) + '1' + '}'.repeat(depth) + '\n';
  const blockMap = (depth: number) => Array.from({ length: depth }, (_, level) => ' '.repeat(level) + 'a:').join('\n') + ' 1\n';
  const blockSeq = (depth: number) => Array.from({ length: depth }, (_, level) => ' '.repeat(level * 2) + '-').join('\n') + ' 1\n';
  const compactSeq = (depth: number) => 'a: ' + '- '.repeat(depth) + '1\n';

  it.each([
    ['flow sequences', flowSeq],
    ['flow mappings', flowMap],
    ['block mappings', blockMap],
    ['block sequences', blockSeq],
    ['compact sequences', compactSeq],
  ])('refuses deep %s with YAML_NESTING_LIMIT at the first level too deep, before parsing', (name, make) => {
    // Indented block levels grow quadratically in size: 1400 levels is already 1 MiB.
    for (const depth of name.startsWith('block') ? [40, 900, 1400] : [40, 900, 200_000]) {
      const findings = failure(make(depth));
      expect(findings, `depth ${depth}`).toHaveLength(1);
      expect(findings[0]!.code, `depth ${depth}`).toBe('YAML_NESTING_LIMIT');
      expect(findings[0]!.position, `depth ${depth}`).not.toBeNull();
    }
  });

  it('points at the first bracket past the limit', () => {
    // The root mapping is level 1, so the 32nd bracket is the first too deep.
    expect(failure(flowSeq(100))[0]!.position).toEqual({ line: 1, column: 3 + MAX_NESTING_DEPTH });
    expect(failure(blockMap(100))[0]!.position).toEqual({ line: MAX_NESTING_DEPTH + 1, column: MAX_NESTING_DEPTH + 1 });
  });

  it.each([
    ['flow sequences', flowSeq(MAX_NESTING_DEPTH - 1)],
    ['flow mappings', flowMap(MAX_NESTING_DEPTH - 1)],
    ['block mappings', blockMap(MAX_NESTING_DEPTH)],
    ['block sequences', blockSeq(MAX_NESTING_DEPTH)],
  ])('accepts %s exactly at the limit', (_, text) => {
    expect(parseSpecText(text).ok).toBe(true);
  });

  it('ignores brackets and indentation inside quotes, comments, plain and block scalars', () => {
    const brackets = '[{'.repeat(100);
    const text = [
      `a: '${brackets}'`,
      `b: "${brackets}"`,
      `c: x${brackets}`,
      `d: 1 # ${brackets}`,
      `# ${brackets}`,
      'e: |',
      `  ${brackets}`,
      ...Array.from({ length: 60 }, (_, i) => ' '.repeat(i + 2) + `- x: ${brackets}`),
      'f: >-',
      ...Array.from({ length: 60 }, (_, i) => ' '.repeat(i + 2) + 'k: v'),
      `g: [it's, '[', "{"]`,
    ].join('\n');
    const result = parseSpecText(text + '\n');
    expect(result.ok, JSON.stringify(!result.ok && result.findings)).toBe(true);
  });

  it('maps a parser stack overflow to YAML_NESTING_LIMIT, never YAML_SYNTAX', () => {
    // Implicit single-pair mappings inside flow sequences double the depth the prescan counts.
    const findings = failure('a: ' + '[b: '.repeat(MAX_NESTING_DEPTH - 2) + '1' + ']'.repeat(MAX_NESTING_DEPTH - 2) + '\n');
    expect(findings.map((f) => f.code)).toEqual(['YAML_NESTING_LIMIT']);
  });

  it('refuses complex keys with their position, without a library warning', () => {
    const warnings: unknown[] = [];
    const listener = (warning: unknown) => warnings.push(warning);
    process.on('warning', listener);
    try {
      const findings = failure('kind: Install\n? [a, b]\n: 1\n');
      expect(findings.map((f) => [f.code, f.position])).toEqual([['YAML_COMPLEX_KEY', { line: 2, column: 3 }]]);
      expect(failure('{? {a: 1} : 2}\n')[0]!.code).toBe('YAML_COMPLEX_KEY');
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).toEqual([]);
  });

  it('refuses keys that are equal as text (1 and "1")', () => {
    const findings = failure('a:\n  1: x\n  "1": y\n');
    expect(findings.map((f) => [f.code, f.position])).toEqual([['YAML_DUPLICATE_KEY', { line: 3, column: 3 }]]);
  });

  it('parses a mapping with 40k keys in linear time', () => {
    const text = 'a:\n' + Array.from({ length: 40_000 }, (_, i) => `  k${i}: v\n`).join('');
    const result = parseSpecText(text);
    expect(result.ok).toBe(true);
  });

  it('refuses documents with more values than any spec (SPEC_TOO_COMPLEX)', () => {
    const findings = failure('a: [' + '1,'.repeat(300_000) + '1]\n');
    expect(findings[0]!.code).toBe('SPEC_TOO_COMPLEX');
    expect(findings[0]!.position!.line).toBe(1);
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
