import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../lib/base-command.js';
import { visibleLine } from '../../lib/visible-text.js';
import type * as Output from '../../generated/cli-output.js';

const GROUPS = ['fail', 'error', 'warn', 'pass'] as const;
const HEADINGS: Record<(typeof GROUPS)[number], string> = { fail: 'FAIL', error: 'ERROR (could not check)', warn: 'WARN', pass: 'PASS' };

/** The human text: results grouped by outcome (fail, error, warn, pass), each with its subject, remedy and doc anchor. */
export function formatAnalyzeResult(result: Output.SupportBundleAnalyze): string {
  const lines = [`support bundle of ${visibleLine(result.install.name)} (${visibleLine(result.install.cell)}), collected ${visibleLine(result.collectedAt)}`];
  for (const outcome of GROUPS) {
    const results = result.results.filter((entry) => entry.outcome === outcome);
    if (!results.length) continue;
    lines.push('', `${HEADINGS[outcome]} (${results.length})`);
    for (const entry of results) {
      lines.push(`  ${entry.id}${entry.subject === null ? '' : ` [${visibleLine(entry.subject)}]`}: ${visibleLine(entry.message)}`);
      if (entry.remedy && outcome !== 'pass') lines.push(`    fix: ${visibleLine(entry.remedy)}`);
      if (outcome !== 'pass') lines.push(`    see: ${entry.doc}`);
    }
  }
  for (const note of result.notes) lines.push('', `note: ${visibleLine(note)}`);
  const { summary } = result;
  lines.push('', `${summary.fail} fail, ${summary.error} error, ${summary.warn} warn, ${summary.pass} pass`);
  return lines.join('\n');
}

export default class SupportBundleAnalyze extends BaseCommand<Output.SupportBundleAnalyze> {
  static override summary = 'Analyze a support bundle offline: the preflight checks and known failure patterns.';

  static override description = `Needs no cluster and no network: FILE is all it reads. The preflight analyzers run over the bundled evidence, with requirements from the bundled spec, as of the time the bundle was collected; then the known failure patterns over the bundled objects: image-pull-foreign-registry (ImagePullBackOff on an image not from the spec's mirror), oom-killed (CrashLoopBackOff after OOMKilled), pending-gpu (Pending on Insufficient nvidia.com/gpu), pvc-pending-class (a claim Pending on a storage class that does not exist), migration-job-failed (the chart's migration Job failed).
FILE is read as hostile: entries outside support-bundle/ (.., absolute paths), links and devices, an entry over 8 MiB, more than 256 MiB or 20,000 entries in all, or a file not matching index.json are refused (SUPPORT_BUNDLE_INVALID, exit 2).
Exit codes as preflight: 0 all pass, 1 a check could not run (error), 3 any fail, 4 warnings only, 2 not a readable bundle.
--json prints {file, collectedAt, install, results: [{id, outcome, message, remedy, doc, subject}], summary: {fail, error, warn, pass}, notes, exitCode}.`;

  static override examples = [
    { description: 'Analyze a bundle a customer sent', command: '<%= config.bin %> support-bundle analyze acme-support.tar.gz' },
    { description: 'Machine-readable results', command: '<%= config.bin %> support-bundle analyze acme-support.tar.gz --json' },
  ];

  static override args = {
    file: Args.string({ required: true, description: 'the .tar.gz support-bundle wrote' }),
  };

  async run(): Promise<Output.SupportBundleAnalyze> {
    const { args } = await this.parse(SupportBundleAnalyze);
    const { analyzeSupportBundle } = await import('../../services/support-bundle-analyze.js');
    const result = await analyzeSupportBundle(args.file);
    return this.done(result, formatAnalyzeResult, result.exitCode);
  }
}
