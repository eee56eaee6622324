/**
 * What messages may show of a spec value: every message builder that quotes a value or key goes
 * through show-value.ts, which hides anything that may hold a credential and escapes control
 * characters; YAML's .inf/-.inf/.nan are named, never "null".
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import type { JsonSchema } from '../../cli/schema/schema-resolver.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { KEY_NOT_SHOWN, mayShow, showKey, showPath, showValue, VALUE_NOT_SHOWN } from '../../cli/schema/show-value.js';
import { CONTROL_CHARACTER } from '../../cli/schema/control-characters.js';
import { checkData, loadExample, withValue } from '../helpers/specs.js';

const awsSaas = loadExample('aws-github-saas-connected.yaml');
const awsAir = loadExample('aws-ghes-self-hosted-air-gapped.yaml');

/** Values that may hold a credential yet match no detector (so only the display rule stands between them and a message). */
const CREDENTIAL_LOOKING = ['bob:Pa55w0rd@registry.acme.internal/installctl', 'registry.acme.internal/x?token=Zq8Xw3Lk9Pm2', 'Zq8Xw3Lk9Pm2Vb7Nc4Rt6Yh1Jd5Gf0Sa'];

const schema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test:show',
  type: 'object',
  properties: {
    kind: { const: 'Install' },
    mirror: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[a-z0-9]+)*$' },
    size: { enum: ['small', 'medium'] },
    count: { type: 'integer' },
    name: { type: 'string' },
    labels: { type: 'object', propertyNames: { pattern: '^[a-z]+$' } },
  },
  additionalProperties: false,
};
const validator = runtimeValidator(schema);

function secretPart(value: string): string {
  return value.match(/Pa55w0rd|Zq8Xw3Lk9Pm2\w*/)![0];
}

describe('message builders never quote a value that may hold a credential', () => {
  const builders: Array<[string, (value: string) => unknown]> = [
    ['pattern (SCHEMA_PATTERN)', (v) => ({ mirror: v })],
    ['enum did-you-mean (SCHEMA_ENUM)', (v) => ({ size: v })],
    ['const (SPEC_KIND)', (v) => ({ kind: v })],
    ['type (SCHEMA_TYPE)', (v) => ({ count: v })],
    ['unknown key (SCHEMA_UNKNOWN_KEY)', (v) => ({ [v]: 1 })],
    ['key syntax (propertyNames)', (v) => ({ labels: { [v]: 'a' } })],
  ];
  const rows = builders.flatMap(([name, make]) => CREDENTIAL_LOOKING.map((value) => [`${name}: ${value}`, make(value), value] as const));

  it.each(rows)('%s', (_, data, value) => {
    const findings = validator.check(data);
    expect(findings.length).toBeGreaterThan(0);
    const text = JSON.stringify(findings.map((f) => [f.message, f.hint]));
    expect(text).not.toContain(secretPart(value));
    expect(text).toMatch(/not shown/);
  });

  it('the whitespace hint does not write the value back either', () => {
    const result = checkData(withValue(awsSaas, 'spec.ingress.hostname', ' Zq8Xw3Lk9Pm2Vb7Nc4Rt6Yh1Jd5Gf0Sa '));
    const issue = result.issues.find((i) => i.code === 'VALUE_WHITESPACE')!;
    expect(JSON.stringify(issue)).not.toContain('Zq8Xw3Lk9Pm2');
  });

  it('user:password@host in registry.mirror is refused without echoing it (the schema used to quote it)', () => {
    const result = checkData(withValue(awsAir, 'spec.registry.mirror', 'bob:Pa55w0rd@registry.acme.internal/installctl'));
    expect(result.issues.map((i) => i.code)).toContain('SECRET_LITERAL');
    expect(JSON.stringify(result.issues)).not.toContain('Pa55w0rd');
  });

  it('a key that may hold a credential is not shown, nor is the path through it', () => {
    expect(showKey('Zq8Xw3Lk9Pm2Vb7Nc4Rt6Yh1Jd5Gf0Sa')).toBe(KEY_NOT_SHOWN);
    expect(showPath(['spec', 'labels', 'Zq8Xw3Lk9Pm2Vb7Nc4Rt6Yh1Jd5Gf0Sa', 'x'])).toEqual(['spec', 'labels']);
    expect(showPath(['spec', 'catalog', 0, 'name'])).toEqual(['spec', 'catalog', 0, 'name']);
  });

  it('shows ordinary values quoted and escaped, and cuts long ones', () => {
    expect(showValue('AWS')).toBe('"AWS"');
    expect(showValue('a\u202eb\u001b[2J')).toBe('"a\\u202eb\\u001b[2J"');
    expect(CONTROL_CHARACTER.test(showValue('x\u2028\u0085\ud800'))).toBe(false);
    expect(showValue('a'.repeat(500)).length).toBeLessThan(140);
    expect(showValue(CREDENTIAL_LOOKING[0])).toBe(VALUE_NOT_SHOWN);
    for (const ordinary of [
      'registry.acme.internal/installctl',
      'Qwen/Qwen2.5-Coder-32B-Instruct',
      'jane.doe@acme.com',
      '00000000-0000-0000-0000-000000000000',
      'sha256:' + 'ab'.repeat(32),
    ]) {
      expect(mayShow(ordinary), ordinary).toBe(true);
    }
  });
});

describe('YAML special numbers', () => {
  const rows: Array<[string, string, RegExp]> = [
    ['.inf', 'spec.platform.vpc.zones', /got infinity \(\.inf\)$/],
    ['-.inf', 'spec.platform.vpc.zones', /got minus infinity \(-\.inf\)$/],
    ['.nan', 'spec.platform.vpc.zones', /got not a number \(\.nan\)$/],
    ['.inf', 'metadata.customer', /got infinity \(\.inf\)$/],
    ['.NaN', 'spec.ingress.hostname', /got not a number \(\.nan\)$/],
  ];
  it.each(rows)('%s at %s', (literal, path, message) => {
    const yaml = stringify(withValue(awsSaas, path, '__SPECIAL__')).replace(/"?__SPECIAL__"?/, literal);
    const issue = checkSpecText('x.yaml', yaml).issues.find((i) => i.path === path)!;
    expect(issue.code).toBe('SCHEMA_TYPE');
    expect(issue.message).toMatch(message);
    expect(JSON.stringify(issue)).not.toMatch(/null|Infinity|NaN/);
  });

  it('tells a quoting hint in YAML spelling', () => {
    expect(validator.check({ name: Infinity })[0]!.hint).toBe('YAML read this as a special number; quote it, e.g. ".inf"');
  });
});
