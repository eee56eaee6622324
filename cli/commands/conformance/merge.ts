import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import type * as Output from '../../generated/cli-output.js';

/** The human text: the verdict and where the merged reports went. */
export function formatMergeResult(result: Output.ConformanceReport, reports: number, reportDir: string): string {
  return `${result.ok ? 'PASS' : 'FAIL'}: ${result.summary.passed}/${result.summary.cells} cells (merged ${reports} reports into ${reportDir})`;
}

export default class ConformanceMerge extends BaseCommand<Output.ConformanceReport> {
  static override summary = 'Merge shard reports (conformance.json files) into one set of reports.';

  static override description = `Reads each shard's conformance.json and writes merged conformance.json, junit.xml, summary.md and index.html. Exit 1 if any cell failed, 2 if a file is not a conformance report.`;

  static override examples = [{ description: 'After a sharded CI run', command: '<%= config.bin %> conformance merge reports/shard-*/conformance.json --report-dir reports/all' }];

  static override strict = false;

  static override args = { report: Args.string({ required: true, description: 'conformance.json files' }) };

  static override flags = { 'report-dir': Flags.string({ required: true, description: 'where to write the merged reports' }) };

  async run(): Promise<Output.ConformanceReport> {
    const { argv, flags } = await this.parse(ConformanceMerge);
    const { mergeReportFiles } = await import('../../services/conformance-merge.js');
    const report = mergeReportFiles(argv as string[], flags['report-dir']);
    return this.done(report, (merged) => formatMergeResult(merged, argv.length, flags['report-dir']), report.ok ? 0 : 1);
  }
}
