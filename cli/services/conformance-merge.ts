/** `installctl conformance merge`: shard reports into one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { packageRoot, packageVersion } from '../lib/package-root.js';
import { readTextCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { visibleLine } from '../lib/visible-text.js';
import { formatPath } from '../schema/issue.js';
import { SchemaValidator } from '../schema/schema-validator.js';
import type { JsonSchema } from '../schema/schema-resolver.js';
import validateConformanceReport from '../generated/conformance-report.validator.js';
import { mergeReports } from '../conformance/reports.js';
import type { ConformanceReport } from '../conformance/types.js';
import { writeReports } from './conformance.js';

const HINT = 'pass the conformance.json files written by --report-dir';

let validator: SchemaValidator | undefined;

function reportValidator(): SchemaValidator {
  validator ??= new SchemaValidator(
    () => JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'conformance-report.schema.json'), 'utf8')) as JsonSchema,
    validateConformanceReport,
  );
  return validator;
}

/** A shard report, read with a cap and checked against its schema: the merge trusts nothing else of it. */
function readReport(file: string): ConformanceReport {
  const text = readTextCapped(file, { what: 'conformance report', maxBytes: SIZE_CAPS.conformanceReport, tooLargeCode: 'CONFORMANCE_BAD_REPORT', hint: HINT });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(visibleLine(`${file} is not JSON: ${(error as Error).message}`), { code: 'CONFORMANCE_BAD_REPORT', hint: HINT });
  }
  if ((parsed as { kind?: unknown } | null)?.kind !== 'ConformanceReport')
    throw new UserError(visibleLine(`${file} is not a conformance report`), { code: 'CONFORMANCE_BAD_REPORT', hint: HINT });
  const problems = reportValidator().check(parsed);
  if (problems.length) {
    const first = problems[0]!;
    throw new UserError(visibleLine(`${file}: ${formatPath(first.path) || 'the document'}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`), {
      code: 'CONFORMANCE_BAD_REPORT',
      hint: HINT,
    });
  }
  return parsed as ConformanceReport;
}

export function mergeReportFiles(files: readonly string[], reportDir: string): ConformanceReport {
  const merged = mergeReports(files.map(readReport), packageVersion());
  writeReports(merged, reportDir);
  return merged;
}
