/** `installctl validate`: check spec files and summarize them for humans or --json. */
import type { Issue } from '../schema/issue.js';
import { loadSpecFile } from '../install-spec/load-spec.js';
import { visibleLine } from '../lib/visible-text.js';
import { SPEC_EXITS } from '../lib/error-catalogue.js';
import type { CellStatus } from '../matrix/engine.js';

export interface FileValidation {
  file: string;
  valid: boolean;
  /** The support-matrix cell the spec selects, when its four selectors are known values. */
  cell: { id: string; status: CellStatus } | null;
  /** Totals over every issue found; issues holds at most the first 100 and ISSUES_TRUNCATED. */
  errors: number;
  warnings: number;
  issues: Issue[];
}

export interface ValidationReport {
  valid: boolean;
  files: FileValidation[];
  /** Highest per-file exit code: 0 all valid, 1 some invalid, 2 some unreadable. */
  exitCode: number;
}

/** strict (validate --strict, for CI): every warning is an error, and a file with one is invalid (exit 1). */
export function validate(files: readonly string[], options: { strict?: boolean } = {}): ValidationReport {
  const results = files.map((file) => {
    const result = loadSpecFile(file, { now: new Date() });
    if (!options.strict || result.warnings === 0) return result;
    return {
      ...result,
      exitCode: Math.max(result.exitCode, SPEC_EXITS.invalid),
      errors: result.errors + result.warnings,
      warnings: 0,
      issues: result.issues.map((issue): Issue => (issue.severity === 'warning' ? { ...issue, severity: 'error' } : issue)),
    };
  });
  return {
    valid: results.every((result) => result.exitCode === SPEC_EXITS.valid),
    exitCode: Math.max(SPEC_EXITS.valid, ...results.map((result) => result.exitCode)),
    files: results.map((result) => ({
      file: result.file,
      valid: result.exitCode === SPEC_EXITS.valid,
      cell: result.cell ? { id: result.cell.id, status: result.cell.status } : null,
      errors: result.errors,
      warnings: result.warnings,
      issues: result.issues,
    })),
  };
}

/**
 * Compiler-style text: FILE:LINE:COL: severity[CODE] path: message, then the hint. Each part may
 * echo the spec (an unknown key, a value) or a file name: it is shown on its line, escaped.
 */
export function formatIssue(file: string, issue: Issue): string {
  const where = issue.line !== null ? `${visibleLine(file)}:${issue.line}:${issue.column}` : visibleLine(file);
  const path = issue.path ? `${visibleLine(issue.path)}: ` : '';
  const lines = [`${where}: ${issue.severity}[${issue.code}] ${path}${visibleLine(issue.message)}`];
  if (issue.hint) lines.push(`  hint: ${visibleLine(issue.hint)}`);
  return lines.join('\n');
}

export function formatValidation(report: Pick<ValidationReport, 'files'>): string {
  const out: string[] = [];
  for (const file of report.files) {
    for (const issue of file.issues) out.push(formatIssue(file.file, issue));
    const cell = file.cell ? ` (cell ${file.cell.id}, ${file.cell.status})` : '';
    const counts = `${file.errors} error${file.errors === 1 ? '' : 's'}, ${file.warnings} warning${file.warnings === 1 ? '' : 's'}`;
    out.push(`${visibleLine(file.file)}: ${file.valid ? 'valid' : 'invalid'}${cell}${file.errors || file.warnings ? ` - ${counts}` : ''}`);
  }
  return out.join('\n');
}
