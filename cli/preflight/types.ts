/**
 * The contracts of preflight and support-bundle analysis: what a check reports, what collection is
 * asked for, and how outcomes become an exit code. Collectors (cli/cluster) fill a PreflightEvidence
 * (schemas/preflight-evidence.schema.json) following a CollectionPlan; analyzers (cli/preflight) are
 * pure functions of (requirements derived from the spec and its render, evidence) returning CheckResults.
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';

export type { PreflightEvidence };

/** The collectors, by the name evidence.collectors records their status under. */
export const COLLECTORS = [
  'version',
  'discovery',
  'nodes',
  'pods',
  'daemonSets',
  'storageClasses',
  'ingressClasses',
  'crds',
  'namespaces',
  'accessReviews',
  'secrets',
  'configMaps',
  'active',
] as const;
export type CollectorName = (typeof COLLECTORS)[number];

export type CheckOutcome = 'pass' | 'warn' | 'fail' | 'error';

/** One check's verdict on one subject (a node, a Secret, a storage class; null for the cluster as a whole). */
export interface CheckResult {
  /** Stable id from the check catalogue (cli/preflight/check-catalogue.ts), e.g. gpu-capacity. */
  id: string;
  outcome: CheckOutcome;
  /** What was found, one or two sentences; may quote cluster values (shown escaped). */
  message: string;
  /** What to do about it (empty on pass). */
  remedy: string;
  /** README anchor that explains the check, e.g. README.md#preflight-gpu-capacity. */
  doc: string;
  subject: string | null;
}

/** A Secret or ConfigMap the values name, with the keys they read and where (values paths, for the message). */
export interface KeyedReference {
  namespace: string;
  name: string;
  keys: string[];
  /** Where the reference comes from, e.g. agent-platform: scm.auth.secrets.privateKey. */
  usedBy: string[];
}

/** A SelfSubjectAccessReview to ask: namespace null for cluster-scoped resources. */
export interface AccessCheck {
  namespace: string | null;
  verb: string;
  group: string;
  resource: string;
}

/** --active: what the probe Pods try. Hosts and ports were validated in the spec; still quoted where they land. */
export interface ActivePlan {
  /** A mirrored image by digest (registry/repo@sha256:...): pulling it proves the mirror and the pull secret. */
  image: string;
  pullSecret: string | null;
  /** Endpoints the install will connect to: SCM, datastores, the model endpoint. */
  endpoints: Array<{ id: string; host: string; port: number }>;
  /** Air-gapped: a public host that must NOT be reachable; null when connected. */
  publicHost: string | null;
}

/** What the collectors must look at beyond the cluster-wide lists: derived from the requirements, never a fixed list. */
export interface CollectionPlan {
  namespaces: string[];
  secrets: Array<{ namespace: string; name: string }>;
  configMaps: Array<{ namespace: string; name: string }>;
  accessReviews: AccessCheck[];
  active: ActivePlan | null;
  /** Collectors no check needs for this spec are skipped (status skipped), never run and failed. */
  collectors: CollectorName[];
}

/** Exit codes, as Troubleshoot's preflight: 0 all pass, 1 could not run, 2 usage or invalid spec, 3 a fail, 4 warnings only. */
export const PREFLIGHT_EXITS = { pass: 0, couldNotRun: 1, usage: 2, fail: 3, warn: 4 } as const;

/**
 * A fail beats everything; a check that could not run (error) leaves the verdict unknown (1), and
 * that beats a warning: a run with errors never exits 0 or 4.
 */
export function exitCodeFor(results: readonly Pick<CheckResult, 'outcome'>[]): 0 | 1 | 3 | 4 {
  if (results.some((result) => result.outcome === 'fail')) return PREFLIGHT_EXITS.fail;
  if (results.some((result) => result.outcome === 'error')) return PREFLIGHT_EXITS.couldNotRun;
  if (results.some((result) => result.outcome === 'warn')) return PREFLIGHT_EXITS.warn;
  return PREFLIGHT_EXITS.pass;
}
