import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findJsonSyntaxError } from '../../cli/install-spec/json-syntax.js';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1}', null],
    ['[1, -2.5e3, "x\\n", true, false, null, {"b": []}]', null],
    ['  {"a": {"b": [1, {"c": "d"}]}}  \n', null],
    ['{"a": 1,}', 8],
    ['{a: 1}', 1],
    ['{"a" 1}', 5],
    ['{"a": }', 6],
    ['[1 2]', 3],
    ['{"a": 1} x', 9],
    ['{"a": 01}', 7],
    ['{"a": "tab\\there"}', null],
    ['{"a": "raw\ttab"}', 6],
    ['{"a": [1, 2', 11],
    ['', 0],
  ])('%j -> offset %s', (text, offset) => {
    const error = findJsonSyntaxError(text);
    expect(error === null ? null : error.offset).toBe(offset);
    if (error) expect(error.message.length).toBeGreaterThan(5);
  });

  it('agrees with JSON.parse on whether text is JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.json().map((json) => json.slice(0, -1)),
        ),
        (text) => {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          expect(findJsonSyntaxError(text) === null).toBe(valid);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('survives deep nesting without a stack overflow', () => {
    expect(findJsonSyntaxError('['.repeat(200_000) + ']'.repeat(200_000))).toBeNull();
  });
});
