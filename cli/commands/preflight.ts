import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import { visibleLine } from '../lib/visible-text.js';
import type * as Output from '../generated/cli-output.js';

const GROUPS: ReadonlyArray<[Output.CheckResult['outcome'], string]> = [
  ['fail', 'FAIL'],
  ['error', 'COULD NOT CHECK'],
  ['warn', 'WARN'],
  ['pass', 'PASS'],
];

/** Checks grouped by outcome, worst first; each with its subject, what was found, what to do and where it is explained. */
export function formatChecks(checks: readonly Output.CheckResult[], summary: Output.PreflightSummary): string {
  const lines: string[] = [];
  for (const [outcome, title] of GROUPS) {
    const group = checks.filter((check) => check.outcome === outcome);
    if (!group.length) continue;
    lines.push(`${title} (${group.length})`);
    for (const check of group) {
      lines.push(`  ${check.id}${check.subject === null ? '' : ` [${visibleLine(check.subject)}]`}: ${visibleLine(check.message)}`);
      if (check.remedy) lines.push(`    what to do: ${visibleLine(check.remedy)}`);
      if (outcome !== 'pass') lines.push(`    see ${check.doc}`);
    }
  }
  lines.push(`${summary.pass} passed, ${summary.warn} warned, ${summary.fail} failed, ${summary.error} could not be checked`);
  return lines.join('\n');
}

export function formatPreflightResult(result: Output.Preflight): string {
  const cluster = result.cluster;
  const head = [
    `install ${result.install.name} (cell ${result.install.cell}) against ${visibleLine(cluster.server)}${cluster.context ? ` (context ${visibleLine(cluster.context)})` : ''}: ${cluster.distribution ?? 'unknown distribution'}, ${cluster.version ?? 'unknown version'}`,
  ];
  if (result.source === 'evidence') head.push(`analyzed offline from ${visibleLine(result.evidenceFile ?? '')}`);
  else if (result.evidenceFile) head.push(`evidence written to ${visibleLine(result.evidenceFile)}`);
  for (const note of result.notes) head.push(`note: ${visibleLine(note)}`);
  return [...head, formatChecks(result.checks, result.summary)].join('\n');
}

export default class Preflight extends BaseCommand<Output.Preflight> {
  static override summary = "Check the customer's cluster before installing: version, nodes and GPUs, storage, ingress, CRDs, RBAC, referenced Secrets.";

  static override description = `The checks come from the spec and its render: what the charts' values and the sizing need of the cluster. Collectors read the cluster through the Kubernetes API (your kubeconfig) and record what they saw as evidence; pure analyzers judge it. A collector that is forbidden or fails marks only the checks that need it (COULD NOT CHECK), never the whole run. Secrets are read for their key names only; their values are never kept or written.
--evidence-out FILE saves the evidence (JSON, schemas/preflight-evidence.schema.json); --from-evidence FILE analyzes it offline, e.g. evidence a customer sent.
--active also creates a short-lived probe Pod (deleted afterwards) that pulls a mirrored image by digest, connects to the SCM, datastores and model endpoint and, air-gapped, proves a public host is NOT reachable.
Exit codes: 0 all pass, 1 could not run (cluster unreachable, no credentials, or a check could not be checked), 2 usage error or invalid spec, 3 a check failed, 4 warnings only.
--json prints {exitCode, install, source, evidenceFile, cluster, notes, summary, checks: [{id, outcome, message, remedy, doc, subject}]}.`;

  static override examples = [
    { description: "Check the cluster of the kubeconfig's current context", command: '<%= config.bin %> preflight acme.yaml' },
    {
      description: 'Another kubeconfig and context; keep the evidence to send',
      command: '<%= config.bin %> preflight acme.yaml --kubeconfig site.kubeconfig --context prod --evidence-out evidence.json',
    },
    { description: 'Analyze evidence a customer sent, offline', command: '<%= config.bin %> preflight acme.yaml --from-evidence evidence.json' },
    { description: 'Also probe from inside the cluster: image pull, endpoints, the air gap', command: '<%= config.bin %> preflight acme.yaml --active' },
    { description: 'For CI or a script', command: '<%= config.bin %> preflight acme.yaml --json' },
  ];

  static override args = {
    spec: Args.string({ required: true, description: 'install spec file (YAML or JSON)' }),
  };

  static override flags = {
    kubeconfig: Flags.string({ description: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)', exclusive: ['from-evidence'] }),
    context: Flags.string({ description: "kubeconfig context (default: an on-prem spec's kubeContext, else the current context)", exclusive: ['from-evidence'] }),
    'namespace-prefix': Flags.string({ description: "prefix of the install's namespaces (default: metadata.name, as render emits: NAME-platform, NAME-models)" }),
    active: Flags.boolean({ default: false, description: 'also run probe Pods in the cluster (image pull, endpoints, air gap); they are deleted afterwards' }),
    'evidence-out': Flags.string({ description: 'write the evidence collected to FILE (JSON) for offline analysis' }),
    'from-evidence': Flags.string({ description: 'analyze evidence from FILE instead of reading a cluster (offline)' }),
    'insecure-skip-tls-verify': Flags.boolean({
      default: false,
      description: "accept a kubeconfig cluster with insecure-skip-tls-verify (refused otherwise): the API server's identity is then unproven",
    }),
  };

  async run(): Promise<Output.Preflight> {
    const { args, flags } = await this.parse(Preflight);
    const { preflight } = await import('../services/preflight.js');
    const result = await preflight({
      spec: args.spec,
      kubeconfig: flags.kubeconfig ?? null,
      context: flags.context ?? null,
      namespacePrefix: flags['namespace-prefix'] ?? null,
      active: flags.active,
      allowInsecure: flags['insecure-skip-tls-verify'],
      evidenceOut: flags['evidence-out'] ?? null,
      fromEvidence: flags['from-evidence'] ?? null,
      now: new Date(),
      env: process.env,
    });
    return this.done(result, formatPreflightResult, result.exitCode);
  }
}
