/** A finding about an install spec, kept structured from the check that found it to --json output. */
import { compareText } from '../lib/compare.js';
import { escapeControlCharacters } from './control-characters.js';

export type Severity = 'error' | 'warning';

/** A path into the spec document: object keys and array indexes. */
export type DocPath = ReadonlyArray<string | number>;

export interface Issue {
  severity: Severity;
  /** Stable code from the error catalogue (cli/lib/error-catalogue.ts, README "Error codes"); tests assert on it, never on wording. */
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

/** Issues shown per file; past it one ISSUES_TRUNCATED issue says how many more there are. */
export const MAX_ISSUES = 100;

/**
 * Collects one check's findings up to a limit and only counts the rest, so a document with 190,000
 * problems costs 190,000 counts, not 190,000 messages. A check that visits the document in order
 * keeps its first findings by position, which are the ones shown. Every path it reports is kept
 * (as a JSON pointer) so the schema does not report the same value again.
 */
export class FindingCollector {
  readonly findings: Finding[] = [];
  readonly omitted = { errors: 0, warnings: 0 };
  /**
   * @param claimed JSON pointers of every reported path, kept or only counted; shared by the checks
   *   whose paths the schema must not report again.
   */
  constructor(
    private readonly limit: number = MAX_ISSUES,
    readonly claimed: Set<string> = new Set(),
  ) {}

  /** Reports a finding at path; build runs only while under the limit. */
  add(path: DocPath, severity: Severity, build: () => Finding): void {
    this.claimed.add(toPointer(path));
    if (this.findings.length < this.limit) this.findings.push(build());
    else if (severity === 'error') this.omitted.errors++;
    else this.omitted.warnings++;
  }

  get errors(): number {
    return this.findings.filter((finding) => finding.severity === 'error').length + this.omitted.errors;
  }
}

/** A DocPath as a JSON Pointer (RFC 6901), the form ajv reports instance paths in. */
export function toPointer(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    const text = String(segment);
    out += '/' + (text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text);
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]{0,119}$/;
/** Longest key shown in a path (as show-value's MAX_SHOWN for values). */
const MAX_SEGMENT = 120;

/**
 * Renders a DocPath as a JSON path: spec.scm.auth, catalog[0], labels["app.kubernetes.io/name"].
 * Keys are the user's text: quoted with control characters escaped, so a path never carries a raw
 * escape sequence or bidi override to the terminal.
 */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    // A key of megabytes is cut like a quoted value: a path names a place, it does not reprint the file.
    else out += `[${escapeControlCharacters(JSON.stringify(segment.length > MAX_SEGMENT ? `${segment.slice(0, MAX_SEGMENT)}...` : segment))}]`;
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
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.column ?? 0) - (b.column ?? 0) || compareText(a.path, b.path) || compareText(a.code, b.code),
  );
}
