/**
 * Property: random mutations of valid specs never crash the validator, and every rejection carries
 * a stable code, a path, a hint and (once the text parsed) a position.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { checkSpecText, MAX_ISSUES } from '../../cli/install-spec/load-spec.js';
import { exampleFiles, loadExample } from '../helpers/specs.js';

const examples = exampleFiles().map((file) => ({ file, text: readFileSync(file, 'utf8'), data: loadExample(file.split('/').pop()!) }));

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...paths(item, [...prefix, index])));
  else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) out.push(...paths(child, [...prefix, key]));
  return out;
}

function mutate(data: unknown, path: Path, operation: number, replacement: unknown, text: string): unknown {
  const copy = structuredClone(data) as any;
  if (path.length === 0) return operation % 2 === 0 ? replacement : copy;
  const parent = path.slice(0, -1).reduce((node: any, key) => node[key], copy);
  const key = path[path.length - 1]!;
  const current = parent[key];
  switch (operation) {
    case 0: // delete
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 1: // replace with anything
      parent[key] = replacement;
      break;
    case 2: // rename the key (a typo)
      if (!Array.isArray(parent)) {
        delete parent[key];
        parent[String(key).slice(1) + text.slice(0, 2)] = current;
      }
      break;
    case 3: // change a string's case or add whitespace
      if (typeof current === 'string') parent[key] = text.length % 2 ? current.toUpperCase() : ` ${current}`;
      break;
    case 4: // add an unknown key beside it
      if (!Array.isArray(parent)) parent[text || 'x'] = replacement;
      break;
    default: // duplicate an array item
      if (Array.isArray(parent)) parent.push(structuredClone(current));
  }
  return copy;
}

function assertWellFormed(result: ReturnType<typeof checkSpecText>, rootIsMapping = true): void {
  expect([0, 1]).toContain(result.exitCode);
  if (result.exitCode === 1) expect(result.issues.some((issue) => issue.severity === 'error')).toBe(true);
  expect(result.issues.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
  for (const issue of result.issues) {
    expect(issue.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(typeof issue.path).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    expect(typeof issue.hint, issue.code).toBe('string');
    expect(issue.hint!.trim().length, issue.code).toBeGreaterThan(0);
    // Only file-level problems, or a document that is not a mapping at all, concern the whole file.
    const fileLevel = /^(FILE_|YAML_|JSON_|SPEC_TOO_COMPLEX$|ISSUES_TRUNCATED$)/.test(issue.code) || !rootIsMapping;
    if (!fileLevel) {
      expect(issue.path, issue.code).not.toBe('');
      expect(issue.line, issue.code).not.toBeNull();
    }
  }
}

describe('validator robustness (fast-check)', () => {
  it('structural mutations of every example never crash and always explain themselves', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.nat(),
        fc.integer({ min: 0, max: 5 }),
        fc.oneof(
          fc.string(),
          fc.integer(),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
          fc.array(fc.string(), { maxLength: 3 }),
          fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        ),
        fc.string({ maxLength: 6 }),
        (example, pick, operation, replacement, text) => {
          const all = paths(example.data);
          const mutated = mutate(example.data, all[pick % all.length]!, operation, replacement, text);
          const rootIsMapping = mutated !== null && typeof mutated === 'object' && !Array.isArray(mutated);
          assertWellFormed(checkSpecText('mutated.yaml', stringify(mutated)), rootIsMapping);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 4000) },
    );
  });

  it('text mutations (flips, cuts, insertions) never crash and always explain themselves', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 2 }), (example, at, length, insert, kind) => {
        const position = at % (example.text.length + 1);
        const text =
          kind === 0
            ? example.text.slice(0, position) + insert + example.text.slice(position)
            : kind === 1
              ? example.text.slice(0, position) + example.text.slice(position + (length % 40))
              : example.text.slice(0, position);
        const parsed = checkSpecText('x.yaml', text);
        const rootIsMapping = !parsed.issues.some((issue) => issue.path === '' && issue.code === 'SCHEMA_TYPE');
        assertWellFormed(parsed, rootIsMapping);
      }),
      { numRuns: 2000 },
    );
  });

  it('the same input always gives the same issues (deterministic)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.nat(), fc.string({ maxLength: 5 }), (example, pick, insert) => {
        const position = pick % example.text.length;
        const text = example.text.slice(0, position) + insert + example.text.slice(position);
        expect(checkSpecText('a.yaml', text).issues).toEqual(checkSpecText('a.yaml', text).issues);
      }),
      { numRuns: 300 },
    );
  });
});
