/**
 * Preflight end to end through the real client, for every runnable cell's starter spec and every
 * example: a healthy fixture cluster of the platform's distribution (healthyFixtureCluster), served
 * by the fixture API server, collected with connect + collectEvidence and analyzed, passes every
 * check; each broken variant (FIXTURE_VARIANTS, the API twins of EVIDENCE_VARIANTS) turns exactly
 * the checks its evidence variant expects; a 403 on one collector's path errors only the checks
 * that read it; no Secret value reaches the evidence. Integration tier: thousands of HTTP round
 * trips. One server per spec: it reads the cluster model live, so the model is reset and broken in
 * place between variants.
 */
import { describe, expect, it } from 'vitest';
import { connect, type ClusterConnection } from '../../cli/cluster/connect.js';
import { collectEvidence } from '../../cli/cluster/collect.js';
import { analyzeEvidence } from '../../cli/preflight/analyze.js';
import { collectionPlanFor, collectorsFor, preflightRequirements, type PreflightRequirements } from '../../cli/preflight/requirements.js';
import type { CheckOutcome, CheckResult, CollectorName, PreflightEvidence } from '../../cli/preflight/types.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { DISTRIBUTIONS, type FixtureCluster } from '../helpers/fixture-cluster.js';
import { startFixtureApiServer } from '../helpers/fixture-api-server.js';
import { dummySecretValues, fixtureDistributionFor, healthyFixtureCluster } from '../helpers/fixture-cluster-for.js';
import { FIXTURE_VARIANTS, missingTwins } from '../helpers/fixture-variants.js';
import { evidenceProblems } from '../helpers/preflight-evidence.js';
import { preflightSpecs } from '../helpers/preflight-specs.js';

const now = calendarAsOf();
const specs = preflightSpecs().map((entry) => ({ ...entry, requirements: preflightRequirements(entry.install, entry.cell, { now }) }));

/**
 * The forbidden-collector sweep runs on the first spec of each fixture distribution: which checks a
 * 403 errors is the analyzers' rule (test/preflight/analyze.test.ts sweeps every spec); here it is
 * proven that the real client records a 403 on each path as that collector forbidden, on every
 * distribution's cluster, and keeps going.
 */
const forbiddenSweep = new Set([...new Map(specs.map((spec) => [fixtureDistributionFor(spec.requirements), spec.label] as const).reverse()).values()]);

/** The paths a collector reads: a 403 there is that collector forbidden. */
const COLLECTOR_PATHS: Partial<Record<CollectorName, string[]>> = {
  version: ['GET /version'],
  discovery: ['GET /api', 'GET /apis'],
  nodes: ['GET /api/v1/nodes'],
  pods: ['GET /api/v1/pods'],
  daemonSets: ['GET /apis/apps/v1/daemonsets'],
  storageClasses: ['GET /apis/storage.k8s.io/v1/storageclasses'],
  ingressClasses: ['GET /apis/networking.k8s.io/v1/ingressclasses'],
  crds: ['GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions'],
  namespaces: ['GET /api/v1/namespaces/*'],
  accessReviews: ['POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews'],
  secrets: ['GET /api/v1/namespaces/*/secrets/*'],
  configMaps: ['GET /api/v1/namespaces/*/configmaps/*'],
};

const shown = (results: CheckResult[]) => results.map((result) => `${result.id} ${result.outcome} [${result.subject}]: ${result.message}`);

interface Run {
  evidence: PreflightEvidence;
  results: CheckResult[];
}

async function collectAndAnalyze(connection: ClusterConnection, requirements: PreflightRequirements): Promise<Run> {
  const evidence = await collectEvidence(connection, collectionPlanFor(requirements, { active: false }), {
    install: { name: requirements.install.name, cell: requirements.install.cell, specSha256: '0'.repeat(64) },
    namespacePrefix: '',
    installctl: '0.0.0-test',
    now,
  });
  return { evidence, results: analyzeEvidence(requirements, evidence, now) };
}

/** What is wrong with a run against its expectation: expected ids with their outcome, every other check pass; the evidence valid and free of Secret values. */
function problemsOf(label: string, run: Run, expected: Record<string, CheckOutcome>, secretValues: string[]): string[] {
  const problems = evidenceProblems(run.evidence).map((problem) => `${label}: invalid evidence ${problem}`);
  for (const [id, outcome] of Object.entries(expected))
    if (!run.results.some((result) => result.id === id && result.outcome === outcome))
      problems.push(`${label}: expected ${id} ${outcome}, got ${shown(run.results.filter((result) => result.id === id)).join(' | ') || 'nothing'}`);
  const unexpected = run.results.filter((result) => result.outcome !== 'pass' && expected[result.id] !== result.outcome);
  problems.push(...shown(unexpected).map((line) => `${label}: unexpected ${line}`));
  const json = JSON.stringify(run.evidence);
  for (const value of secretValues)
    if (json.includes(value) || json.includes(Buffer.from(value).toString('base64'))) problems.push(`${label}: the evidence carries the Secret value ${value}`);
  return problems;
}

/** The forbidden-collector case: exactly the checks that read the collector report error; everything else passes. */
function forbiddenProblems(collector: CollectorName, run: Run, requirements: PreflightRequirements): string[] {
  const readers = new Set(run.results.map((result) => result.id).filter((id) => collectorsFor(id, requirements).includes(collector)));
  const errored = new Set(run.results.filter((result) => result.outcome === 'error').map((result) => result.id));
  const problems = [...readers].filter((id) => !errored.has(id)).map((id) => `403 on ${collector}: ${id} did not report error`);
  problems.push(...shown(run.results.filter((result) => result.outcome !== 'pass' && !readers.has(result.id))).map((line) => `403 on ${collector}: unexpected ${line}`));
  return problems;
}

/** Puts the healthy model back in place (the server holds this object). */
const reset = (cluster: FixtureCluster, healthy: FixtureCluster) => Object.assign(cluster, structuredClone(healthy));

describe('preflight through the real client against fixture clusters', () => {
  it('every evidence variant has an API twin, and every twin an evidence variant', () => {
    expect(missingTwins()).toEqual({ withoutTwin: [], orphanTwins: [] });
  });

  it('the specs cover every recorded distribution', () => {
    expect(new Set(specs.map((spec) => fixtureDistributionFor(spec.requirements)))).toEqual(new Set(DISTRIBUTIONS));
  });

  it.concurrent.each(specs.map((spec) => [spec.label, spec] as const))('%s: healthy passes; each broken cluster fails the right checks', async (label, { requirements }) => {
    const healthy = healthyFixtureCluster(requirements);
    const cluster = structuredClone(healthy);
    const server = await startFixtureApiServer(cluster);
    const problems: string[] = [];
    try {
      const connection = await connect({ kubeconfig: server.kubeconfigFile, context: null, allowInsecure: false, env: {} });
      const secretValues = dummySecretValues(requirements);
      const run = await collectAndAnalyze(connection, requirements);
      problems.push(...problemsOf(`${label} healthy`, run, {}, secretValues));
      expect(run.evidence.distribution?.name).toBe(healthy.distribution);
      for (const variant of FIXTURE_VARIANTS) {
        const expected = variant.expect(requirements, now);
        if (!expected) continue;
        reset(cluster, healthy);
        variant.apply(cluster, requirements, now);
        problems.push(...problemsOf(variant.name, await collectAndAnalyze(connection, requirements), expected, secretValues));
      }
      for (const collector of forbiddenSweep.has(label) ? collectionPlanFor(requirements, { active: false }).collectors : []) {
        reset(cluster, healthy);
        for (const path of COLLECTOR_PATHS[collector] ?? []) cluster.statusOverrides.set(path, 403);
        problems.push(...forbiddenProblems(collector, await collectAndAnalyze(connection, requirements), requirements));
      }
    } finally {
      await server.close();
    }
    expect(problems).toEqual([]);
  });

  it('over TLS with the kubeconfig CA, the first cell passes too', async () => {
    const { requirements } = specs[0]!;
    const server = await startFixtureApiServer(healthyFixtureCluster(requirements), { tls: true });
    try {
      const connection = await connect({ kubeconfig: server.kubeconfigFile, context: null, allowInsecure: false, env: {} });
      expect(connection.server).toBe(server.url);
      const run = await collectAndAnalyze(connection, requirements);
      expect(problemsOf('tls healthy', run, {}, dummySecretValues(requirements))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
