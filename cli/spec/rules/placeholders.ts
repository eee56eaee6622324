/** Warnings for values that are still the placeholders `installctl init` writes. */
import type { Finding } from '../issue.js';

const PLACEHOLDER_STRINGS = new Set(['123456789012', '00000000-0000-0000-0000-000000000000', 'Example Corp']);

export function findPlaceholders(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      if (PLACEHOLDER_STRINGS.has(value) || value.includes('123456789012') || /(^|[./@-])example($|[./:@-])/.test(value.replace(/^https?:\/\//, ''))) {
        findings.push({ severity: 'warning', code: 'RULE_PLACEHOLDER', path, message: `${JSON.stringify(value)} looks like a placeholder`, hint: 'replace it with the customer\'s real value before rendering' });
      }
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  visit(data, []);
  return findings;
}
