/** At most MAX_ISSUES issues per file, then one ISSUES_TRUNCATED; the totals still count them all. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSpecText, MAX_ISSUES } from '../../cli/install-spec/load-spec.js';
import { checkSpecDocument } from '../../cli/install-spec/check-spec.js';
import { FindingCollector } from '../../cli/schema/issue.js';
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

describe('bounded collection: many issues cost counts, not messages', () => {
  const count = 190_000;
  const padded = { ...awsSaas, spec: { ...awsSaas.spec, scm: { ...awsSaas.spec.scm, organizations: Array.from({ length: count }, (_, i) => ` org${i}`) } } };

  it('a check keeps its first MAX_ISSUES findings in document order and only counts the rest', () => {
    let built = 0;
    const collector = new FindingCollector(MAX_ISSUES);
    for (let i = 0; i < 1000; i++) {
      collector.add(['list', i], 'error', () => {
        built++;
        return { severity: 'error', code: 'X', path: ['list', i], message: 'm' };
      });
    }
    expect(built).toBe(MAX_ISSUES);
    expect(collector.findings.map((finding) => finding.path[1])).toEqual(Array.from({ length: MAX_ISSUES }, (_, i) => i));
    expect(collector.omitted).toEqual({ errors: 1000 - MAX_ISSUES, warnings: 0 });
    expect(collector.errors).toBe(1000);
    expect(collector.claimed.size).toBe(1000);
  });

  it(`${count} padded values: a bounded number of findings, every one counted, none reported twice`, () => {
    const check = checkSpecDocument(padded);
    // Three raw checks and the schema keep at most MAX_ISSUES each; the cell's own checks a few.
    expect(check.findings.length).toBeLessThanOrEqual(4 * MAX_ISSUES + 10);
    expect(check.findings.filter((finding) => finding.code === 'VALUE_WHITESPACE')).toHaveLength(MAX_ISSUES);
    // The schema's pattern errors for the same values are claimed, not counted again.
    expect(check.findings.filter((finding) => finding.code === 'SCHEMA_PATTERN')).toEqual([]);
    expect(check.omitted.errors + check.findings.filter((finding) => finding.severity === 'error').length).toBe(count + 1);
  });

  it('shows the first issues by position and the true totals', () => {
    const items = 20_000;
    const text = stringify({ ...padded, spec: { ...padded.spec, scm: { ...padded.spec.scm, organizations: padded.spec.scm.organizations.slice(0, items) } } });
    const result = checkSpecText('big.yaml', text);
    expect(result.errors).toBe(items + 1);
    expect(result.issues).toHaveLength(MAX_ISSUES + 1);
    expect(result.issues.at(-1)!.message).toBe(`${items + 1 - MAX_ISSUES} more issues not shown`);
    // The list's own error (too many items) sits on its first line; then the items in order.
    expect(result.issues.slice(0, MAX_ISSUES).map((issue) => issue.path)).toEqual([
      'spec.scm.organizations',
      ...Array.from({ length: MAX_ISSUES - 1 }, (_, i) => `spec.scm.organizations[${i}]`),
    ]);
  });

  it('bounds the schema too: many bad values without a raw finding', () => {
    const upper = { ...awsSaas, spec: { ...awsSaas.spec, scm: { ...awsSaas.spec.scm, organizations: Array.from({ length: 5000 }, (_, i) => `Org_${i}!`) } } };
    const check = checkSpecDocument(upper);
    expect(check.findings.filter((finding) => finding.code === 'SCHEMA_PATTERN').length).toBeLessThanOrEqual(MAX_ISSUES);
    expect(check.omitted.errors + check.findings.filter((finding) => finding.severity === 'error').length).toBe(5001);
  });
});

describe('a huge key in a path', () => {
  it('is cut in every issue path, so output stays proportional to the issue count, not to the file', () => {
    const key = `k${'x'.repeat(500_000)}`;
    const children = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`bad${i}`, i]));
    const result = checkSpecText('huge-key.yaml', stringify({ ...awsSaas, spec: { ...awsSaas.spec, [key]: children } }));
    const printed = JSON.stringify(result.issues);
    expect(result.issues.length).toBeGreaterThan(0);
    expect(printed.length).toBeLessThan(100_000);
    expect(result.issues.some((issue) => issue.path.startsWith('spec["kxxx') && issue.path.includes('..."]'))).toBe(true);
  });
});
