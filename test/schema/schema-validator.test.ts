import { describe, expect, it } from 'vitest';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import { resolveAt, type JsonSchema } from '../../cli/schema/schema-resolver.js';
import { formatPath, pointerToPath } from '../../cli/schema/issue.js';

const schema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test:union',
  type: 'object',
  properties: {
    // An untagged union: the wrapper must trim errors to the closest branch.
    target: { anyOf: [{ $ref: '#/$defs/byName' }, { $ref: '#/$defs/byAddress' }] },
    tagged: {
      type: 'object',
      discriminator: { propertyName: 'kind' },
      oneOf: [
        { type: 'object', properties: { kind: { const: 'a' }, x: { type: 'integer' } }, required: ['kind', 'x'], additionalProperties: false },
        { type: 'object', properties: { kind: { const: 'b' }, y: { type: 'string' } }, required: ['kind', 'y'], additionalProperties: false },
      ],
    },
  },
  additionalProperties: false,
  $defs: {
    byName: {
      type: 'object',
      description: 'a target by name',
      properties: { name: { type: 'string', pattern: '^[a-z]+$', description: 'a lowercase name' } },
      required: ['name'],
      additionalProperties: false,
    },
    byAddress: {
      type: 'object',
      properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 1 } },
      required: ['host', 'port'],
      additionalProperties: false,
    },
  },
};

const validator = runtimeValidator(schema);

describe('SchemaValidator (the one ajv wrapper)', () => {
  it('trims an untagged union to the closest branch', () => {
    // Closest to byAddress (one error), far from byName (three errors).
    const findings = validator.check({ target: { host: 'db', port: 0 } });
    expect(findings.map((f) => [f.code, formatPath(f.path)])).toEqual([['SCHEMA_RANGE', 'target.port']]);
  });

  it('trims to the other branch when that one is closer', () => {
    const findings = validator.check({ target: { name: 'UPPER' } });
    expect(findings.map((f) => [f.code, formatPath(f.path)])).toEqual([['SCHEMA_PATTERN', 'target.name']]);
    expect(findings[0]!.message).toContain('a lowercase name');
  });

  it('reports only the selected branch of a discriminated union', () => {
    expect(validator.check({ tagged: { kind: 'b', y: 3 } }).map((f) => [f.code, formatPath(f.path)])).toEqual([['SCHEMA_TYPE', 'tagged.y']]);
  });

  it('turns an unknown tag into an enum error with a suggestion', () => {
    const [finding] = validator.check({ tagged: { kind: 'B', y: 'z' } });
    expect(finding).toMatchObject({ code: 'SCHEMA_ENUM', path: ['tagged', 'kind'] });
    expect(finding!.hint).toContain('"b"');
  });

  it('describes values that cannot be turned into text (found by the property test: {toString: ""})', () => {
    for (const kind of [{ toString: '' }, Object.create(null) as object, ['b']]) {
      const findings = validator.check({ tagged: { kind, y: 'z' } });
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) expect(finding.hint).toBeTruthy();
    }
  });

  it('turns a missing tag into a required error listing the tags', () => {
    const [finding] = validator.check({ tagged: { y: 'z' } });
    expect(finding).toMatchObject({ code: 'SCHEMA_REQUIRED', path: ['tagged', 'kind'] });
    expect(finding!.hint).toContain('a, b');
  });

  it('reports every error (allErrors) and none for valid data', () => {
    expect(validator.check({ target: { name: 'ok' }, tagged: { kind: 'a', x: 1 } })).toEqual([]);
    expect(
      validator
        .check({ extra: 1, tagged: { kind: 'a', x: 'no' } })
        .map((f) => f.code)
        .sort(),
    ).toEqual(['SCHEMA_TYPE', 'SCHEMA_UNKNOWN_KEY']);
  });

  it('caches the compiled validator per schema', () => {
    expect(runtimeValidator(schema)['validateFn' as keyof typeof validator]).toBe(validator['validateFn' as keyof typeof validator]);
  });
});

describe('hints', () => {
  const hinted = runtimeValidator({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:test:hints',
    type: 'object',
    properties: {
      gpus: { type: 'integer', enum: [1, 2, 4, 8] },
      size: { type: 'string', enum: ['small', 'large'] },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      step: { type: 'integer', multipleOf: 5 },
      name: { type: 'string', minLength: 2, maxLength: 4 },
      tags: { type: 'array', minItems: 1, maxItems: 2 },
      either: { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }] },
      neither: { not: { type: 'string' } },
      code: { type: 'string', pattern: '^[a-z]+$' },
    },
    additionalProperties: false,
  } as JsonSchema);
  const only = (data: object) => {
    const findings = hinted.check(data);
    expect(findings).toHaveLength(1);
    return findings[0]!;
  };

  it.each<[string, object, string, RegExp]>([
    ['a word for a number list', { gpus: 'two' }, 'SCHEMA_ENUM', /^use one of 1, 2, 4, 8$/],
    ['a number off the list (no edit-distance guess)', { gpus: 3 }, 'SCHEMA_ENUM', /^use one of 1, 2, 4, 8$/],
    ['a quoted number', { gpus: '2' }, 'SCHEMA_ENUM', /write 2 without quotes/],
    ['null for a number list', { gpus: null }, 'SCHEMA_ENUM', /use one of/],
    ['a typo in a name list', { size: 'smal' }, 'SCHEMA_ENUM', /did you mean "small"/],
    ['nothing like a name in the list', { size: 'enormous' }, 'SCHEMA_ENUM', /use one of small, large/],
    ['a number for a name list (quote it)', { size: 5 }, 'SCHEMA_TYPE', /quote/],
    ['below a minimum', { port: 0 }, 'SCHEMA_RANGE', /use 1 or more/],
    ['above a maximum', { port: 70000 }, 'SCHEMA_RANGE', /use 65535 or less/],
    ['not a multiple', { step: 7 }, 'SCHEMA_RANGE', /multiple of 5/],
    ['too short', { name: 'a' }, 'SCHEMA_RANGE', /at least 2 characters/],
    ['too long', { name: 'abcdef' }, 'SCHEMA_RANGE', /4 characters or fewer/],
    ['too few items', { tags: [] }, 'SCHEMA_RANGE', /at least 1 item$/],
    ['too many items', { tags: [1, 2, 3] }, 'SCHEMA_RANGE', /at most 2 items/],
    ['several forms match', { either: 3 }, 'SCHEMA_ONE_OF', /exactly one form/],
    ['another keyword', { neither: 'x' }, 'SCHEMA_INVALID', /expected/],
    ['a pattern without an example', { code: 'A1' }, 'SCHEMA_PATTERN', /./],
  ])('%s: one %s finding with a hint', (_, data, code, hint) => {
    const finding = only(data);
    expect(finding.code).toBe(code);
    expect(finding.hint).toMatch(hint);
  });
});

describe('resolveAt', () => {
  it('follows $refs and picks discriminated branches', () => {
    expect(resolveAt(schema, { tagged: { kind: 'b' } }, ['tagged', 'y'])!.schema).toEqual({ type: 'string' });
    expect(resolveAt(schema, {}, ['nope'])).toBeNull();
  });
});

describe('paths', () => {
  it('formats JSON paths for people', () => {
    expect(formatPath(['spec', 'models', 'catalog', 0, 'weights'])).toBe('spec.models.catalog[0].weights');
    expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(formatPath([])).toBe('');
  });

  it('parses JSON pointers, with ~ escapes and numeric keys of objects kept as strings', () => {
    expect(pointerToPath('/a~1b/0/c~0d', { 'a/b': [{}] })).toEqual(['a/b', 0, 'c~d']);
    expect(pointerToPath('/labels/0', { labels: { '0': 'x' } })).toEqual(['labels', '0']);
  });
});
