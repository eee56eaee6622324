import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { formatBytes } from '../../lib/sizes.js';
import { visibleLine } from '../../lib/visible-text.js';
import type * as Output from '../../generated/cli-output.js';

/** The human text: what was written, what was cut or left out, what was redacted, which collectors did not succeed. */
export function formatSupportBundleResult(result: Output.SupportBundle): string {
  const lines = [`wrote ${visibleLine(result.out)} (${formatBytes(result.bytes)}, ${result.files} files, sha256 ${result.sha256})`];
  lines.push(`install ${result.install.name}, cell ${result.install.cell}; namespaces: ${result.namespaces.join(', ') || 'none'}`);
  const rules = Object.entries(result.redactions.byRule).map(([rule, count]) => `${rule} ${count}`);
  lines.push(
    `redacted: ${result.redactions.total} value${result.redactions.total === 1 ? '' : 's'}${rules.length ? ` (${rules.join(', ')})` : ''}; redaction-report.json in the bundle says where`,
  );
  if (result.truncated.length) lines.push(`truncated to a cap: ${result.truncated.length} file${result.truncated.length === 1 ? '' : 's'} (index.json says which)`);
  if (result.omitted.length) lines.push(`left out (total cap): ${result.omitted.map(visibleLine).join(', ')}`);
  for (const problem of result.problems) {
    lines.push(`not collected: ${problem.collector} in ${visibleLine(problem.namespace)}: ${problem.status}${problem.httpStatus === null ? '' : ` (HTTP ${problem.httpStatus})`}`);
  }
  if (result.exitCode !== 0) lines.push('nothing could be read from the cluster: check --kubeconfig, --context and that the API server is reachable');
  return lines.join('\n');
}

export default class SupportBundle extends BaseCommand<Output.SupportBundle> {
  static override summary = 'Collect a redacted support bundle of an install: preflight evidence, pods, events, workloads, Helm history, logs.';

  static override description = `Collects, from the cluster of the current kubeconfig context (or --kubeconfig/--context), in the install's namespaces: the preflight evidence; pods, events, deployments, statefulsets, jobs and persistent volume claims (trimmed to the fields diagnosis needs: no env, volumes or annotations); Helm release history as metadata only (release Secrets are listed as PartialObjectMetadata: their payload, the values, is never downloaded); container logs (--max-log-lines per container, --since); the render's manifest.json (--render DIR, or rendered in memory) and the spec; installctl's and the cluster's versions.
Redaction by schema first (the spec is written as parsed: keys the install schema does not define are dropped, free text that may hold a credential is replaced), then the secret detectors of validate over every string from the cluster (logs, event and termination messages), plus credential-named assignments and random-looking tokens; redaction-report.json in the bundle counts what each rule replaced, per file (never the values). Secret data is never collected.
The bundle is one deterministic .tar.gz (fixed order, times and owners), each file within 8 MiB, 256 MiB in all (logs left out first, noted in index.json with every file's SHA-256), written atomically with mode 0600.
A collector that is forbidden or fails is recorded in collectors.json and the others go on. Exit codes: 0 written, 1 written but nothing could be read from the cluster, 2 usage, invalid spec (PREFLIGHT_SPEC_INVALID), --out exists (SUPPORT_BUNDLE_OUT_EXISTS).
--json prints {out, bytes, sha256, collectedAt, install, namespaces, files, truncated, omitted, redactions: {total, byRule}, problems: [{namespace, collector, status, httpStatus}], exitCode}.`;

  static override examples = [
    { description: 'Collect a bundle of the last day', command: '<%= config.bin %> support-bundle acme.yaml --out acme-support.tar.gz' },
    {
      description: 'Another context, the last 2 hours, at most 200 lines per container',
      command: '<%= config.bin %> support-bundle acme.yaml --out acme-support.tar.gz --context acme-prod --since 2h --max-log-lines 200',
    },
    {
      description: 'Include the manifest of the render that was installed',
      command: '<%= config.bin %> support-bundle acme.yaml --render ./acme-render --out acme-support.tar.gz',
    },
    { description: 'Analyze it offline (the vendor side)', command: '<%= config.bin %> support-bundle analyze acme-support.tar.gz' },
  ];

  static override args = {
    spec: Args.string({ required: true, description: 'install spec file (YAML or JSON)' }),
  };

  static override flags = {
    out: Flags.string({ required: true, description: 'the .tar.gz to write' }),
    force: Flags.boolean({ default: false, description: 'replace --out if it exists' }),
    since: Flags.string({ default: '24h', description: 'logs of this long back: 90s, 30m, 24h, 7d (at most 30d)' }),
    'max-log-lines': Flags.integer({ default: 1000, min: 1, max: 100_000, description: 'the newest lines kept per container log' }),
    kubeconfig: Flags.string({ description: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' }),
    context: Flags.string({ description: 'kubeconfig context (default: its current-context)' }),
    'namespace-prefix': Flags.string({ description: "prefix of the install's namespaces, as preflight's --namespace-prefix" }),
    'insecure-skip-tls-verify': Flags.boolean({
      default: false,
      description: "accept a kubeconfig cluster with insecure-skip-tls-verify (refused otherwise), as preflight: the API server's identity is then unproven",
    }),
    render: Flags.string({ description: 'the render directory whose manifest.json to include (default: render the spec in memory)' }),
  };

  async run(): Promise<Output.SupportBundle> {
    const { args, flags } = await this.parse(SupportBundle);
    const { supportBundle } = await import('../../services/support-bundle.js');
    const result = await supportBundle({
      spec: args.spec,
      out: flags.out,
      force: flags.force,
      since: flags.since,
      maxLogLines: flags['max-log-lines'],
      kubeconfig: flags.kubeconfig ?? null,
      context: flags.context ?? null,
      namespacePrefix: flags['namespace-prefix'] ?? null,
      render: flags.render ?? null,
      allowInsecure: flags['insecure-skip-tls-verify'],
    });
    return this.done(result, formatSupportBundleResult, result.exitCode);
  }
}
