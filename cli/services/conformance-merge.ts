/** `installctl conformance merge`: shard reports into one. */
import { readFileSync } from 'node:fs';
import { UserError } from '../lib/errors.js';
import { packageVersion } from '../lib/package-root.js';
import { mergeReports } from '../conformance/reports.js';
import type { ConformanceReport } from '../conformance/types.js';
import { writeReports } from './conformance.js';

export function mergeReportFiles(files: readonly string[], reportDir: string): ConformanceReport {
  const reports = files.map((file) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${(error as Error).message}`, { code: 'CONFORMANCE_BAD_REPORT', hint: 'pass the conformance.json files written by --report-dir' });
    }
    if ((parsed as { kind?: unknown })?.kind !== 'ConformanceReport') {
      throw new UserError(`${file} is not a conformance report`, { code: 'CONFORMANCE_BAD_REPORT', hint: 'pass the conformance.json files written by --report-dir' });
    }
    return parsed as ConformanceReport;
  });
  const merged = mergeReports(reports, packageVersion());
  writeReports(merged, reportDir);
  return merged;
}
