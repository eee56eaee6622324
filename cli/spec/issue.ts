/** A finding about an install spec, kept structured from the check that found it to --json output. */
import { compareText } from '../lib/compare.js';

export type Severity = 'error' | 'warning';

/** A path into the spec document: object keys and array indexes. */
export type DocPath = ReadonlyArray<string | number>;

export interface Issue {
  severity: Severity;
  /** Stable, documented code (README "Error codes"); tests assert on it, never on wording. */
  code: string;
  /** JSON path such as spec.models.catalog[0].weights, or "" for the whole document. */
  path: string;
  line: number | null;
  column: number | null;
  message: string;
  hint: string | null;
}

/** An issue before it is placed in the source: checks produce these, the loader adds line and column. */
export interface Finding {
  severity: Severity;
  code: string;
  path: DocPath;
  message: string;
  hint?: string | null;
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Renders a DocPath as a JSON path: spec.scm.auth, catalog[0], labels["app.kubernetes.io/name"]. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Parses an ajv instancePath (JSON Pointer) into a DocPath, turning numeric segments into indexes. */
export function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: string | number = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return path;
}

export function countBySeverity(issues: readonly Issue[], severity: Severity): number {
  return issues.filter((issue) => issue.severity === severity).length;
}

/** Orders issues by position, then path, then code, so output is stable whatever order checks ran in. */
export function sortIssues(issues: Issue[]): Issue[] {
  return issues.sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.path, b.path) ||
      compareText(a.code, b.code),
  );
}
