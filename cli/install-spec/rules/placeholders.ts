/**
 * Warnings for values that are still the placeholders `installctl init` writes: its exact strings
 * (init-placeholders.ts, shared with init) and hosts under the reserved .example domain. Nothing
 * broader: a real name that merely contains "example" (org example-apps) is the customer's.
 */
import type { Finding } from '../../schema/issue.js';
import { DEFAULT_CUSTOMER, EXAMPLE_HOST, inventedStrings, PLACEHOLDER_ACCOUNT_ID } from '../init-placeholders.js';

/** Whether the value at path is one init made up. `invented`: inventedStrings() of the spec's customer. */
export function isPlaceholder(value: string, path: readonly (string | number)[], invented: ReadonlySet<string>): boolean {
  // The customer's name is the operator's input; only init's default name is a placeholder.
  if (path.length === 2 && path[0] === 'metadata' && path[1] === 'customer') return value === DEFAULT_CUSTOMER;
  return invented.has(value) || value.includes(PLACEHOLDER_ACCOUNT_ID) || EXAMPLE_HOST.test(value);
}

export function findPlaceholders(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const metadata = data !== null && typeof data === 'object' ? (data as { metadata?: { customer?: unknown } }).metadata : undefined;
  const invented = inventedStrings(metadata?.customer);
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      if (isPlaceholder(value, path, invented)) {
        findings.push({
          severity: 'warning',
          code: 'RULE_PLACEHOLDER',
          path,
          message: `${JSON.stringify(value)} looks like a placeholder`,
          hint: "replace it with the customer's real value before rendering",
        });
      }
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  visit(data, []);
  return findings;
}
