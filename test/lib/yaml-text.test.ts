/** portableYaml (and hereDocYaml): strings that YAML 1.1 (Helm's reader) or YAML 1.2 would take for something else read back as strings. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hereDocYaml, portableYaml } from '../../cli/lib/yaml-text.js';

const AMBIGUOUS = [
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'N',
  'true',
  'False',
  'null',
  '~',
  '',
  '1_000',
  '1:20',
  '0o17',
  '0b101',
  '0x1F',
  '012',
  '1e3',
  '.5',
  '+1',
  '-0',
  '.inf',
  '.NaN',
  '2026-01-01',
  '2026-01-01T10:00:00Z',
  '10.0.0.0/8',
  '2026.11.0',
];

describe('portableYaml', () => {
  it.each(AMBIGUOUS)('%j reads back as the same string under YAML 1.1 and 1.2, as a value and as a key', (text) => {
    const value = { plain: text, list: [text], map: { [text]: 'x' }, number: 42, flag: true, none: null };
    const out = portableYaml(value);
    expect(parse(out)).toEqual(value);
    expect(parse(out, { version: '1.1' })).toEqual(value);
  });

  it('leaves plain words plain and writes no directive', () => {
    expect(portableYaml({ name: 'acme-gov', list: ['a', 'b'] })).toBe('name: acme-gov\nlist:\n  - a\n  - b\n');
  });
});

/** Values that would end a here-document, a Markdown fence or a line, or hide in a terminal. */
const LINE_BREAKERS = [
  'YAML',
  'x\nYAML\ny',
  'a\r\nb',
  '```\n```sh',
  '\n',
  'tab\there',
  'esc\x1b[31m',
  'del\x7f',
  'csi\x9b',
  'bidi\u202e\u2066',
  'sep\u2028\u2029',
  'zw\u200b\ufeff',
  'astral\u{e0001}',
  'quote\'"\\',
  '- item',
  '# comment',
  '--flag',
  'key: value',
  'a'.repeat(500) + ' ' + 'b'.repeat(500),
];

describe('hereDocYaml', () => {
  it.each(LINE_BREAKERS.flatMap((text) => AMBIGUOUS.slice(0, 3).map((other) => [text, other] as const)))(
    '%j: one line per scalar, nothing invisible, reads back as written',
    (text, other) => {
      const value = { metadata: { name: text, labels: { [other]: text } }, args: [text, other, '--dest'], size: 3 };
      const out = hereDocYaml(value);
      expect(out.split('\n')).toHaveLength(10);
      expect(out.split('\n').filter((line) => line === 'YAML' || line.startsWith('```'))).toEqual([]);
      expect(out.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u);
      expect(parse(out)).toEqual(value);
      expect(parse(out, { version: '1.1' })).toEqual(value);
    },
  );
});
