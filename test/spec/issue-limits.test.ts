/** At most MAX_ISSUES issues per file, then one ISSUES_TRUNCATED; the totals still count them all. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSpecText, MAX_ISSUES } from '../../cli/spec/load-spec.js';
import { loadExample } from '../helpers/specs.js';

const awsSaas = loadExample('aws-github-saas-connected.yaml');

function withUnknownKeys(count: number): string {
  const extra = Object.fromEntries(Array.from({ length: count }, (_, i) => [`extra${i}`, 'v']));
  return stringify({ ...awsSaas, spec: { ...awsSaas.spec, ...extra } });
}

describe('issue cap', () => {
  it(`shows all ${MAX_ISSUES} issues when there are exactly that many`, () => {
    const result = checkSpecText('a.yaml', withUnknownKeys(MAX_ISSUES));
    expect(result.issues).toHaveLength(MAX_ISSUES);
    expect(result.issues.every((issue) => issue.code === 'SCHEMA_UNKNOWN_KEY')).toBe(true);
    expect(result.errors).toBe(MAX_ISSUES);
  });

  it('past the cap, shows the first issues by position and says how many more there are', () => {
    const result = checkSpecText('a.yaml', withUnknownKeys(MAX_ISSUES + 50));
    expect(result.issues).toHaveLength(MAX_ISSUES + 1);
    expect(result.issues[MAX_ISSUES]).toEqual({
      severity: 'error',
      code: 'ISSUES_TRUNCATED',
      path: '',
      line: null,
      column: null,
      message: '50 more issues not shown',
      hint: expect.stringMatching(/\S/),
    });
    const lines = result.issues.slice(0, MAX_ISSUES).map((issue) => issue.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(result.errors).toBe(MAX_ISSUES + 50);
    expect(result.exitCode).toBe(1);
  });

  it('says "1 more issue" in the singular', () => {
    expect(checkSpecText('a.yaml', withUnknownKeys(MAX_ISSUES + 1)).issues.at(-1)!.message).toBe('1 more issue not shown');
  });
});
