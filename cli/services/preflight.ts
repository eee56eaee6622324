/**
 * `installctl preflight SPEC`: what the spec and its render need of the cluster (requirements), what
 * the cluster has (evidence: collected through the Kubernetes API, or read back with
 * --from-evidence), and the verdict of every check (pure analyzers). Collection and analysis are
 * apart so a customer can send the evidence file and the analysis runs anywhere, offline.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { writeFileAtomic, asOutputError } from '../lib/atomic-write.js';
import { packageRoot, packageVersion } from '../lib/package-root.js';
import { readTextCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { visibleLine } from '../lib/visible-text.js';
import { formatPath, type Issue } from '../schema/issue.js';
import { SchemaValidator } from '../schema/schema-validator.js';
import type { JsonSchema } from '../schema/schema-resolver.js';
import validatePreflightEvidence from '../generated/preflight-evidence.validator.js';
import { loadSpecFile } from '../install-spec/load-spec.js';
import type { Install } from '../generated/install-spec.js';
import type { Cell } from '../matrix/engine.js';
import { preflightRequirements, collectionPlanFor, type PreflightRequirements } from '../preflight/requirements.js';
import { analyzeEvidence } from '../preflight/analyze.js';
import { exitCodeFor, type CheckResult, type PreflightEvidence } from '../preflight/types.js';
import type { ClusterConnection, ConnectOptions } from '../cluster/connect.js';
import type { CollectionPlan } from '../preflight/types.js';

export interface PreflightOptions {
  spec: string;
  kubeconfig: string | null;
  /** --context; absent, an on-prem spec's kubeContext, else the kubeconfig's current context. */
  context: string | null;
  namespacePrefix: string | null;
  active: boolean;
  allowInsecure: boolean;
  evidenceOut: string | null;
  fromEvidence: string | null;
  now: Date;
  env: NodeJS.ProcessEnv;
}

/** The cluster side, injected so tests and the bench can count or replace it; the real one loads client-node lazily. */
export interface ClusterAccess {
  connect(options: ConnectOptions): Promise<ClusterConnection>;
  collect(connection: ClusterConnection, plan: CollectionPlan, meta: CollectMeta): Promise<PreflightEvidence>;
}

export interface CollectMeta {
  install: { name: string; cell: string; specSha256: string };
  namespacePrefix: string;
  installctl: string;
  now: Date;
}

const realCluster: ClusterAccess = {
  async connect(options) {
    const { connect } = await import('../cluster/connect.js');
    return connect(options);
  },
  async collect(connection, plan, meta) {
    const { collectEvidence } = await import('../cluster/collect.js');
    return collectEvidence(connection, plan, meta);
  },
};

export interface PreflightReport {
  exitCode: 0 | 1 | 3 | 4;
  install: { name: string; cell: string };
  source: 'cluster' | 'evidence';
  /** --evidence-out (written) or --from-evidence (read); null otherwise. */
  evidenceFile: string | null;
  cluster: { context: string | null; server: string; version: string | null; distribution: string | null };
  /** Why the verdict may not be about this spec (evidence collected for another revision of it). */
  notes: string[];
  summary: { pass: number; warn: number; fail: number; error: number };
  checks: CheckResult[];
}

const EVIDENCE_HINT = 'pass a file written by installctl preflight --evidence-out (or support-bundle: evidence.json)';

let evidenceValidator: SchemaValidator | undefined;

function readEvidence(file: string): PreflightEvidence {
  const text = readTextCapped(file, { what: 'preflight evidence', maxBytes: SIZE_CAPS.preflightEvidence, tooLargeCode: 'PREFLIGHT_EVIDENCE_INVALID', hint: EVIDENCE_HINT });
  return parseEvidence(file, text);
}

/** Evidence from a file someone sent: JSON, then the schema; nothing else of it is trusted. */
export function parseEvidence(file: string, text: string): PreflightEvidence {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(visibleLine(`${file} is not JSON: ${(error as Error).message}`), { code: 'PREFLIGHT_EVIDENCE_INVALID', hint: EVIDENCE_HINT });
  }
  if ((parsed as { kind?: unknown } | null)?.kind !== 'PreflightEvidence')
    throw new UserError(visibleLine(`${file} is not preflight evidence (kind PreflightEvidence)`), { code: 'PREFLIGHT_EVIDENCE_INVALID', hint: EVIDENCE_HINT });
  evidenceValidator ??= new SchemaValidator(
    () => JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'preflight-evidence.schema.json'), 'utf8')) as JsonSchema,
    validatePreflightEvidence,
  );
  const problems = evidenceValidator.check(parsed);
  if (problems.length) {
    const first = problems[0]!;
    throw new UserError(visibleLine(`${file}: ${formatPath(first.path) || 'the document'}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`), {
      code: 'PREFLIGHT_EVIDENCE_INVALID',
      hint: EVIDENCE_HINT,
    });
  }
  return parsed as PreflightEvidence;
}

export interface ClusterSpec {
  install: Install;
  cell: Cell;
  text: string;
  sha256: string;
}

/**
 * The spec of a command that reads a cluster (preflight, support-bundle): an invalid one stops it with
 * exit 2 (usage), as Troubleshoot does; its issues travel in --json details.
 */
export function loadValidSpec(file: string, now: Date): ClusterSpec {
  const loaded = loadSpecFile(file, { now });
  if (loaded.install && loaded.cell && loaded.text !== null && loaded.exitCode === 0)
    return { install: loaded.install, cell: loaded.cell, text: loaded.text, sha256: createHash('sha256').update(loaded.text).digest('hex') };
  const errors = loaded.issues.filter((issue: Issue) => issue.severity === 'error');
  const first = errors[0];
  throw new UserError(
    visibleLine(
      `${file} is not a valid install spec${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    ),
    {
      code: 'PREFLIGHT_SPEC_INVALID',
      hint: `installctl validate ${file} lists every issue with its line`,
      details: { issues: loaded.issues },
    },
  );
}

function checkEvidenceFits(evidence: PreflightEvidence, install: Install, sha256: string, file: string): string[] {
  if (evidence.install.name !== install.metadata.name)
    throw new UserError(visibleLine(`${file} was collected for install ${evidence.install.name}, not ${install.metadata.name}`), {
      code: 'PREFLIGHT_EVIDENCE_MISMATCH',
      hint: 'analyze evidence with the spec it was collected for (its install.name), or collect again with this spec',
    });
  return evidence.install.specSha256 === sha256
    ? []
    : [
        `the evidence was collected for another revision of ${install.metadata.name}'s spec (sha256 ${evidence.install.specSha256.slice(0, 12)}): checks that read references the spec names may differ`,
      ];
}

/** --namespace-prefix is prepended to NAME-platform and NAME-models: the results must stay DNS-1123 labels (63 characters). */
export function checkNamespacePrefix(prefix: string | null, install: Install): void {
  if (prefix === null) return;
  const longest = `${prefix}${install.metadata.name}-platform`;
  if (/^[a-z0-9][-a-z0-9]*$/.test(prefix) && longest.length <= 63) return;
  throw new UserError(visibleLine(`--namespace-prefix ${prefix} does not make DNS-1123 namespace names (${longest})`), {
    code: 'PREFLIGHT_NAMESPACE_PREFIX_INVALID',
    hint: 'use lowercase letters, digits and -, starting with a letter or digit, such that PREFIX + NAME-platform is at most 63 characters',
  });
}

/** --namespace-prefix with --from-evidence: absent, the collection's; given, it must be the collection's. */
function checkEvidencePrefix(evidence: PreflightEvidence, prefix: string | null, file: string): string {
  const collected = evidence.cluster.namespacePrefix;
  if (prefix === null || prefix === collected) return collected;
  throw new UserError(visibleLine(`${file} was collected with --namespace-prefix '${collected}', not '${prefix}'`), {
    code: 'PREFLIGHT_EVIDENCE_MISMATCH',
    hint: 'leave --namespace-prefix out: --from-evidence analyzes the namespaces the collection looked in',
  });
}

function summarize(checks: readonly CheckResult[]): PreflightReport['summary'] {
  const summary = { pass: 0, warn: 0, fail: 0, error: 0 };
  for (const check of checks) summary[check.outcome] += 1;
  return summary;
}

function defaultContext(options: PreflightOptions, install: Install): string | null {
  if (options.context) return options.context;
  return install.spec.platform.type === 'onprem' ? install.spec.platform.kubeContext : null;
}

async function collect(
  options: PreflightOptions,
  requirements: PreflightRequirements,
  spec: { install: Install; cell: Cell; sha256: string },
  cluster: ClusterAccess,
): Promise<PreflightEvidence> {
  const connection = await cluster.connect({
    kubeconfig: options.kubeconfig,
    context: defaultContext(options, spec.install),
    allowInsecure: options.allowInsecure,
    env: options.env,
  });
  const plan = collectionPlanFor(requirements, { active: options.active });
  return cluster.collect(connection, plan, {
    install: { name: spec.install.metadata.name, cell: spec.cell.id, specSha256: spec.sha256 },
    namespacePrefix: options.namespacePrefix ?? '',
    installctl: packageVersion(),
    now: options.now,
  });
}

export async function preflight(options: PreflightOptions, cluster: ClusterAccess = realCluster): Promise<PreflightReport> {
  if (options.fromEvidence && (options.active || options.evidenceOut))
    throw new UserError('--from-evidence analyzes a file: it cannot be combined with --active or --evidence-out', {
      code: 'PREFLIGHT_FLAGS_CONFLICT',
      hint: 'collect with --active --evidence-out FILE, then analyze FILE elsewhere with --from-evidence',
    });
  const spec = loadValidSpec(options.spec, options.now);
  checkNamespacePrefix(options.namespacePrefix, spec.install);
  let evidence: PreflightEvidence;
  let notes: string[] = [];
  let requirements: PreflightRequirements;
  if (options.fromEvidence) {
    evidence = readEvidence(options.fromEvidence);
    notes = checkEvidenceFits(evidence, spec.install, spec.sha256, options.fromEvidence);
    // The namespaces are the ones the collection looked in: analyzed with others, every reference would be missing.
    const namespacePrefix = checkEvidencePrefix(evidence, options.namespacePrefix, options.fromEvidence);
    requirements = preflightRequirements(spec.install, spec.cell, { now: options.now, namespacePrefix });
  } else {
    requirements = preflightRequirements(spec.install, spec.cell, { now: options.now, namespacePrefix: options.namespacePrefix });
    evidence = await collect(options, requirements, spec, cluster);
    if (options.evidenceOut) writeEvidence(options.evidenceOut, evidence);
  }
  const checks = analyzeEvidence(requirements, evidence, options.now);
  return {
    exitCode: exitCodeFor(checks),
    install: { name: spec.install.metadata.name, cell: spec.cell.id },
    source: options.fromEvidence ? 'evidence' : 'cluster',
    evidenceFile: options.fromEvidence ?? options.evidenceOut,
    cluster: {
      context: evidence.cluster.context,
      server: evidence.cluster.server,
      version: evidence.version?.gitVersion ?? null,
      distribution: evidence.distribution?.name ?? null,
    },
    notes,
    summary: summarize(checks),
    checks,
  };
}

/** The evidence as a customer sends it: stable key order, one trailing newline, written whole or not at all. */
export function writeEvidence(file: string, evidence: PreflightEvidence): void {
  try {
    writeFileAtomic(file, JSON.stringify(evidence, null, 2) + '\n');
  } catch (error) {
    throw asOutputError(error, file);
  }
}
