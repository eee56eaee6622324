import { describe, expect, it } from 'vitest';
import { parseReference, pinnedReferenceProblem, splitPinnedReference } from '../../cli/oci/reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference (distribution/reference grammar)', () => {
  it.each([
    ['registry.acme.internal:5000/installctl/api@' + D, { domain: 'registry.acme.internal:5000', path: 'installctl/api', tag: null, digest: D }],
    ['localhost/app:1.0', { domain: 'localhost', path: 'app', tag: '1.0', digest: null }],
    ['team/app', { domain: '', path: 'team/app', tag: null, digest: null }],
    ['nginx', { domain: '', path: 'nginx', tag: null, digest: null }],
    ['[::1]:5000/a/b@' + D, { domain: '[::1]:5000', path: 'a/b', tag: null, digest: D }],
    ['Registry.Example/a', { domain: 'Registry.Example', path: 'a', tag: null, digest: null }],
    ['r.example/a__b/c-d/e.f', { domain: 'r.example', path: 'a__b/c-d/e.f', tag: null, digest: null }],
  ])('parses %s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each([
    '',
    'r.example/A',
    'r.example/a b',
    'r.example/a\nkey: x',
    'r.example/-a',
    'r.example/a/',
    'r.example//a',
    '$(id).example/a',
    'r.example/a@sha256:xyz',
    'r.example/a:' + 'x'.repeat(129),
    `r.example/${'a'.repeat(260)}`,
  ])('refuses %j', (text) => {
    expect(parseReference(text)).toBeNull();
  });
});

describe('pinnedReferenceProblem', () => {
  it('accepts DOMAIN/PATH@sha256', () => {
    expect(pinnedReferenceProblem(`mirror.acme.internal/installctl/api@${D}`)).toBeNull();
    expect(splitPinnedReference(`mirror.acme.internal:5000/installctl/api@${D}`)).toEqual({ registry: 'mirror.acme.internal:5000', repository: 'installctl/api', digest: D });
  });
  it.each([
    [`installctl/api@${D}`, /no registry host/],
    [`Mirror.acme.internal/api@${D}`, /upper-case/],
    [`mirror.acme.internal/api:1.0@${D}`, /tag/],
    ['mirror.acme.internal/api', /not pinned/],
    [`mirror.acme.internal/api@sha512:${'a'.repeat(128)}`, /sha256/],
    [`mirror.acme.internal/api@sha256:${'A'.repeat(64)}`, /sha256/],
    [`mirror.acme.internal/api@${D}\n  command: [sh]`, /whitespace/],
    [`mirror acme/api@${D}`, /whitespace/],
    [42, /not a string/],
  ])('refuses %j', (text, problem) => {
    expect(pinnedReferenceProblem(text)).toMatch(problem);
  });
});

describe('every reference the schemas accept parses by the grammar', () => {
  // A schema pattern looser than the grammar once let a spec through that render could not split (exit 70).
  it('spec weights references (schemas/install.schema.json weightsSource oci)', async () => {
    const fc = await import('fast-check');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { REPO } = await import('../helpers/cli.js');
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'install.schema.json'), 'utf8'));
    const { pattern: source, maxLength } = schema.$defs.weightsSource.oneOf[1].properties.reference;
    const pattern = new RegExp(source);
    expect(maxLength).toBeLessThanOrEqual(255);
    fc.assert(
      fc.property(
        fc.stringMatching(pattern).filter((text) => text.length <= maxLength),
        (text) => {
          const parsed = parseReference(text);
          expect(parsed, text).not.toBeNull();
          expect(parsed!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
