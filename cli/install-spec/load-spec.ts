/**
 * File to checked spec: read (bounded), parse (with positions), check. Every finding is placed at
 * its file line:column. validate, init and render all go through here, so they agree on errors
 * and exit codes.
 */
import type { Install } from '../generated/install-spec.js';
import { SPEC_EXITS } from '../lib/error-catalogue.js';
import type { Cell } from '../matrix/engine.js';
import { checkSpecDocument, type CheckOptions } from './check-spec.js';
import { normalizeRenamedFields } from './normalize-renames.js';
import { countBySeverity, formatPath, MAX_ISSUES, sortIssues, type Finding, type Issue } from '../schema/issue.js';
import { looksLikeJson, parseSpecText, type Locator, type Position } from './parse-yaml.js';
import { readSpecFile } from './read-file.js';
import { showPath } from '../schema/show-value.js';

export { MAX_ISSUES };

export interface LoadedSpec {
  file: string;
  /** The first MAX_ISSUES issues by position, then ISSUES_TRUNCATED when there were more. */
  issues: Issue[];
  /** Totals over every issue found, shown or not. */
  errors: number;
  warnings: number;
  /** The typed spec when it has no errors, in the current release's field names (normalizeRenamedFields); null otherwise. */
  install: Install | null;
  cell: Cell | null;
  /** The decoded spec text, when the file could be read. */
  text: string | null;
  /** 0 valid (warnings allowed), 1 invalid, 2 unreadable. */
  exitCode: number;
}

/** An issue at its line:column; its path is shown only up to a key that may hold a credential. */
function place(finding: Finding, position: Position | null): Issue {
  return {
    severity: finding.severity,
    code: finding.code,
    path: formatPath(showPath(finding.path)),
    line: position?.line ?? null,
    column: position?.column ?? null,
    message: finding.message,
    hint: finding.hint ?? null,
  };
}

/** The first MAX_ISSUES issues; total counts issues found but never built too. */
function truncate(issues: Issue[], total: number): Issue[] {
  if (total <= MAX_ISSUES) return issues;
  const more = total - MAX_ISSUES;
  return [
    ...issues.slice(0, MAX_ISSUES),
    {
      severity: 'error',
      code: 'ISSUES_TRUNCATED',
      path: '',
      line: null,
      column: null,
      message: `${more} more issue${more === 1 ? '' : 's'} not shown`,
      hint: `fix the issues above and validate again; at most ${MAX_ISSUES} are shown per file`,
    },
  ];
}

function result(
  file: string,
  issues: Issue[],
  install: Install | null,
  cell: Cell | null,
  text: string | null,
  unreadable = false,
  omitted = { errors: 0, warnings: 0 },
): LoadedSpec {
  const errors = countBySeverity(issues, 'error') + omitted.errors;
  const warnings = countBySeverity(issues, 'warning') + omitted.warnings;
  const invalid = errors > 0;
  return {
    file,
    text,
    issues: truncate(sortIssues(issues), errors + warnings),
    errors,
    warnings,
    install: invalid || !install ? null : normalizeRenamedFields(install),
    cell,
    exitCode: unreadable ? SPEC_EXITS.unreadable : invalid ? SPEC_EXITS.invalid : SPEC_EXITS.valid,
  };
}

export function checkSpecText(file: string, text: string, options: CheckOptions = {}): LoadedSpec {
  const parsed = parseSpecText(text, { json: looksLikeJson(file, text) });
  if (!parsed.ok)
    return result(
      file,
      parsed.findings.map((finding) => place(finding, finding.position)),
      null,
      null,
      text,
    );
  return checkParsed(file, text, parsed.data, parsed.locator, options);
}

function checkParsed(file: string, text: string, data: unknown, locator: Locator, options: CheckOptions): LoadedSpec {
  const { findings, install, cell, omitted } = checkSpecDocument(data, undefined, options);
  const issues = findings.map((finding) => place(finding, locator.locate(finding.path, finding.atKey)));
  return result(file, issues, install, cell, text, false, omitted);
}

export function loadSpecFile(file: string, options: CheckOptions = {}): LoadedSpec {
  const read = readSpecFile(file);
  if (!read.ok) {
    const position = read.line !== undefined ? { line: read.line, column: read.column ?? 1 } : null;
    return result(file, [place(read.finding, position)], null, null, null, read.kind === 'unreadable');
  }
  return checkSpecText(file, read.text, options);
}
