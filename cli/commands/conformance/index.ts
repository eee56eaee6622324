import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import type * as Output from '../../generated/cli-output.js';

/** The human text: the verdict, where the reports went and, with --cache-dir, what came from the cache. */
export function formatConformanceResult(
  result: Output.ConformanceReport,
  context: { reportDir: string | undefined; cacheDir: string | undefined; pruned: { kept: number; removed: number } | null },
): string {
  const stages = result.cells.flatMap((cell) => cell.stages);
  const prunedText = context.pruned ? `, ${context.pruned.removed} unused entries pruned` : '';
  const edges = result.cells.flatMap((cell) => cell.upgrades);
  const edgesText = edges.length ? ` and ${edges.filter((edge) => edge.cached).length}/${edges.length} upgrade edges` : '';
  const fromCache = context.cacheDir ? `; ${stages.filter((stage) => stage.cached).length}/${stages.length} stages${edgesText} from the cache${prunedText}` : '';
  return `${result.ok ? 'PASS' : 'FAIL'}: ${result.summary.passed}/${result.summary.cells} cells behave as the support matrix says${context.reportDir ? ` (reports in ${context.reportDir})` : ''}${fromCache}`;
}

export default class Conformance extends BaseCommand<Output.ConformanceReport> {
  static override summary = 'Prove the support matrix: every cell through init, validate, render, Pulumi synthesis, Helm and manifest policies.';

  static override description = `Unsupported cells must be rejected by validate with their reason codes; supported and conditional cells must pass every stage (init, validate, render, Pulumi mock synthesis + resource policies, helm lint and template per Helm version, Kubernetes schema validation, manifest policies, upgrade).
The upgrade stage runs the cell's upgrade edges: for each pair of consecutive catalogued releases (releases/), the cell rendered at both, and the upgrade between them must change no immutable Kubernetes field (upgrade-immutable), replace or delete no stateful resource the newer release does not declare (upgrade-stateful-replacement) and leave no chart value under a renamed key (upgrade-unmigrated-value). --no-upgrade-edges leaves the stage out.
Exit 0 only if every selected cell behaves as the matrix says (1 otherwise, 2 on usage errors).
--report-dir writes conformance.json (schemas/conformance-report.schema.json), junit.xml, summary.md and index.html (a heatmap with the commit, date and duration, and for each failed cell the command that reruns it). --json prints the report.
--cache-dir keeps a content-addressed result cache (off unless given): a stage whose inputs (the cell, installctl's build, matrix, schemas, stacks, chart files, the Helm binary: its bytes, realpath and \`helm version\`) are unchanged since a passing run is read from it, not run, and marked "cached" in the report. Failures are never cached. With --work-dir, init, validate and render always run (so the work directory holds every cell's files). --cache-prune then drops the entries this run neither read nor wrote (run it over everything you want to keep cached).
Progress goes to stderr from the start: a live line with an ETA on a terminal; in CI one line per cell and a heartbeat line whenever nothing was printed for 5 seconds.`;

  static override examples = [
    { description: 'The whole matrix with Helm 3 and 4, reports in ./reports', command: '<%= config.bin %> conformance --report-dir reports' },
    { description: 'Only air-gapped AWS cells, Helm 4', command: '<%= config.bin %> conformance --only aws --only air-gapped --helm 4' },
    { description: 'Shard 2 of 4 in a CI matrix', command: '<%= config.bin %> conformance --shard 2/4 --report-dir reports/shard-2' },
    { description: 'Only the cells a branch can change', command: '<%= config.bin %> conformance --affected origin/main' },
    { description: 'Re-run quickly: unchanged cells and stages come from the cache', command: '<%= config.bin %> conformance --cache-dir .cache/conformance' },
    { description: 'Without the upgrade edges (to compare the wall time)', command: '<%= config.bin %> conformance --no-upgrade-edges' },
    {
      description: 'Run everything and keep only the cache entries it used (CI, before saving the cache)',
      command: '<%= config.bin %> conformance --cache-dir .cache/conformance --cache-prune',
    },
  ];

  static override flags = {
    only: Flags.string({
      description: 'cell ids or dimension values (repeat or comma-separate; values of one dimension are alternatives, dimensions combine)',
      multiple: true,
      delimiter: ',',
    }),
    shard: Flags.string({ description: 'run shard i of n (i/n): the selected cells split into n shards of near-equal estimated cost, the same split on every machine' }),
    helm: Flags.string({ description: 'Helm major version(s) to lint and template with', options: ['3', '4', 'both'], default: 'both' }),
    jobs: Flags.integer({ description: 'parallel worker processes (default: the core count)' }),
    'report-dir': Flags.string({ description: 'write conformance.json, junit.xml, summary.md and index.html here' }),
    affected: Flags.string({
      description:
        'run only the cells whose output can change with the files changed since this git ref (why: on stderr, and in the report\'s "affected"); untracked files count only under cli/, charts/, stacks/, matrix/, schemas/ and package files',
    }),
    'work-dir': Flags.string({ description: "keep every cell's spec, rendered output and Helm values here (for debugging a failure)" }),
    'cache-dir': Flags.string({ description: 'read and write the result cache here; unchanged stages are not re-run (default: no cache)' }),
    'cache-prune': Flags.boolean({ description: 'after the run, delete the --cache-dir entries it neither read nor wrote (and older cache formats)', dependsOn: ['cache-dir'] }),
    'upgrade-edges': Flags.boolean({
      description: "run each cell's upgrade edges (its render at every pair of consecutive catalogued releases); --no-upgrade-edges leaves the upgrade stage out",
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<Output.ConformanceReport> {
    const { flags } = await this.parse(Conformance);
    const { conformance, createProgress, DEFAULT_JOBS, describeAffected, parseShard } = await import('../../services/conformance.js');
    const progress = createProgress();
    let pruned = null as { kept: number; removed: number } | null;
    const report = await conformance({
      only: flags.only ?? [],
      shard: flags.shard ? parseShard(flags.shard) : null,
      helm: flags.helm === 'both' ? ['3', '4'] : [flags.helm as '3' | '4'],
      jobs: flags.jobs ?? DEFAULT_JOBS,
      reportDir: flags['report-dir'] ?? null,
      affected: flags.affected ?? null,
      workDir: flags['work-dir'] ?? null,
      cacheDir: flags['cache-dir'] ?? null,
      cachePrune: flags['cache-prune'],
      upgradeEdges: flags['upgrade-edges'],
      onCachePruned: (result) => {
        pruned = result;
      },
      onPhase: (text) => progress.phase(text),
      onAffected: (selection, selected) => {
        if (!this.jsonEnabled()) progress.note(describeAffected(selection, selected));
      },
      onStart: (total, estimate) => progress.start(total, estimate),
      onCell: (result, done, total) => progress.cell(result, done, total),
    }).catch((error: unknown) => {
      progress.stop();
      throw error;
    });
    progress.finish();
    const context = { reportDir: flags['report-dir'], cacheDir: flags['cache-dir'], pruned };
    return this.done(report, (result) => formatConformanceResult(result, context), report.ok ? 0 : 1);
  }
}
