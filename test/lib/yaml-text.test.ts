/** portableYaml: strings that YAML 1.1 (Helm's reader) or YAML 1.2 would take for something else read back as strings. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { portableYaml } from '../../cli/lib/yaml-text.js';

const AMBIGUOUS = ['yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', '~', '', '1_000', '1:20', '0o17', '0b101', '0x1F', '012', '1e3', '.5', '+1', '-0', '.inf', '.NaN', '2026-01-01', '2026-01-01T10:00:00Z', '10.0.0.0/8', '2026.11.0'];

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
