/**
 * The preflight service in-process, through the real client against a fixture API server on
 * 127.0.0.1: exit codes 0 (healthy), 3 (a fail), 4 (warnings only), 1 (a collector forbidden: its
 * checks error, the run goes on); --evidence-out writes evidence that validates and --from-evidence
 * re-analyzes to the same checks; the refusals (invalid spec, another install's evidence, flags that
 * conflict, a namespace prefix that makes no DNS label) and the note for another spec revision.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preflight, type PreflightOptions, type PreflightReport } from '../../cli/services/preflight.js';
import { loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { preflightRequirements, type PreflightRequirements } from '../../cli/preflight/requirements.js';
import type { PreflightEvidence } from '../../cli/preflight/types.js';
import { UserError } from '../../cli/lib/errors.js';
import type { FixtureCluster } from '../helpers/fixture-cluster.js';
import { startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { dummySecretValues, healthyFixtureCluster } from '../helpers/fixture-cluster-for.js';
import { FIXTURE_VARIANTS } from '../helpers/fixture-variants.js';
import { evidenceProblems } from '../helpers/preflight-evidence.js';
import { REPO } from '../helpers/cli.js';

const now = calendarAsOf();
const EXAMPLE = join(REPO, 'examples', 'aws-github-saas-connected.yaml');
const servers: FixtureApiServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function specFile(text = readFileSync(EXAMPLE, 'utf8')): string {
  const file = join(mkdtempSync(join(tmpdir(), 'installctl-preflight-')), 'install.yaml');
  writeFileSync(file, text);
  return file;
}

function requirementsOf(file: string, namespacePrefix: string | null = null): PreflightRequirements {
  const loaded = loadSpecFile(file, { now });
  return preflightRequirements(loaded.install!, loaded.cell!, { now, namespacePrefix });
}

/** A fixture server for the spec's healthy cluster, after `breakIt` changes the model. */
async function serve(requirements: PreflightRequirements, breakIt: (cluster: FixtureCluster) => void = () => {}): Promise<FixtureApiServer> {
  const cluster = healthyFixtureCluster(requirements);
  breakIt(cluster);
  const server = await startFixtureApiServer(cluster);
  servers.push(server);
  return server;
}

const options = (overrides: Partial<PreflightOptions>): PreflightOptions => ({
  spec: EXAMPLE,
  kubeconfig: null,
  context: null,
  namespacePrefix: null,
  active: false,
  allowInsecure: false,
  evidenceOut: null,
  fromEvidence: null,
  now,
  env: {},
  ...overrides,
});

const variant = (name: string) => FIXTURE_VARIANTS.find((candidate) => candidate.name === name)!;
const outcomes = (report: PreflightReport, outcome: string) => report.checks.filter((check) => check.outcome === outcome).map((check) => check.id);

async function refusal(run: Promise<unknown>): Promise<UserError> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('preflight service', () => {
  it('exits 0 on a healthy cluster, with every check passing and the cluster named', async () => {
    const requirements = requirementsOf(EXAMPLE);
    const server = await serve(requirements);
    const report = await preflight(options({ kubeconfig: server.kubeconfigFile }));
    expect(report.checks.filter((check) => check.outcome !== 'pass')).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report).toMatchObject({ source: 'cluster', cluster: { context: 'fixture', server: server.url, distribution: 'eks' }, notes: [] });
    expect(report.summary.pass).toBe(report.checks.length);
  });

  it('exits 3 when a check fails (the storage class the claims name is gone)', async () => {
    const requirements = requirementsOf(EXAMPLE);
    const server = await serve(requirements, (cluster) => variant('missing storage class').apply(cluster, requirements, now));
    const report = await preflight(options({ kubeconfig: server.kubeconfigFile }));
    expect(report.exitCode).toBe(3);
    expect(outcomes(report, 'fail')).toContain('storage-class');
  });

  it('exits 4 on warnings only (nothing enforces NetworkPolicies)', async () => {
    const requirements = requirementsOf(EXAMPLE);
    const server = await serve(requirements, (cluster) => variant('no NetworkPolicy enforcer').apply(cluster, requirements, now));
    const report = await preflight(options({ kubeconfig: server.kubeconfigFile }));
    expect(outcomes(report, 'warn')).toEqual(['network-policy-enforcement']);
    expect(report.exitCode).toBe(4);
  });

  it('exits 1 when a collector is forbidden: the checks reading it error, the others still run', async () => {
    const requirements = requirementsOf(EXAMPLE);
    const server = await serve(requirements, (cluster) => cluster.statusOverrides.set('GET /api/v1/nodes', 403));
    const report = await preflight(options({ kubeconfig: server.kubeconfigFile }));
    expect(report.exitCode).toBe(1);
    expect(outcomes(report, 'error')).toContain('node-resources');
    expect(outcomes(report, 'pass')).toContain('storage-class');
    expect(report.checks.find((check) => check.outcome === 'error')!.message).toMatch(/nodes/);
  });

  it('checks the prefixed namespaces with --namespace-prefix', async () => {
    const requirements = requirementsOf(EXAMPLE, 'team-a-');
    const server = await serve(requirements);
    const report = await preflight(options({ kubeconfig: server.kubeconfigFile, namespacePrefix: 'team-a-' }));
    expect(report.checks.filter((check) => check.outcome !== 'pass')).toEqual([]);
    expect(report.checks.some((check) => check.subject?.startsWith('team-a-'))).toBe(true);
  });

  it('--from-evidence analyzes the namespaces the collection used, and refuses another --namespace-prefix', async () => {
    const server = await serve(requirementsOf(EXAMPLE, 'team-a-'));
    const evidenceOut = join(mkdtempSync(join(tmpdir(), 'installctl-evidence-')), 'evidence.json');
    const collected = await preflight(options({ kubeconfig: server.kubeconfigFile, namespacePrefix: 'team-a-', evidenceOut }));
    const replayed = await preflight(options({ fromEvidence: evidenceOut }));
    expect(replayed.checks).toEqual(collected.checks);
    expect(replayed.exitCode).toBe(0);
    const other = await refusal(preflight(options({ fromEvidence: evidenceOut, namespacePrefix: 'team-b-' })));
    expect(other.code).toBe('PREFLIGHT_EVIDENCE_MISMATCH');
  });

  it('--evidence-out writes valid evidence without Secret values, and --from-evidence re-analyzes it to the same checks', async () => {
    const requirements = requirementsOf(EXAMPLE);
    const server = await serve(requirements, (cluster) => variant('storage class binds Immediate').apply(cluster, requirements, now));
    const evidenceOut = join(mkdtempSync(join(tmpdir(), 'installctl-evidence-')), 'evidence.json');
    const collected = await preflight(options({ kubeconfig: server.kubeconfigFile, evidenceOut }));
    const text = readFileSync(evidenceOut, 'utf8');
    const evidence = JSON.parse(text) as PreflightEvidence;
    expect(evidenceProblems(evidence)).toEqual([]);
    for (const value of dummySecretValues(requirements)) expect(text).not.toContain(value);
    const requests = server.requests.length;
    const replayed = await preflight(options({ fromEvidence: evidenceOut }));
    expect(server.requests.length).toBe(requests);
    expect(replayed.source).toBe('evidence');
    expect(replayed.checks).toEqual(collected.checks);
    expect(replayed.exitCode).toBe(collected.exitCode);
    expect(collected.exitCode).toBe(4);
    expect(replayed.notes).toEqual([]);
  });

  it('notes evidence collected for another revision of the spec, and refuses another install', async () => {
    const requirements = requirementsOf(EXAMPLE);
    const server = await serve(requirements);
    const evidenceOut = join(mkdtempSync(join(tmpdir(), 'installctl-evidence-')), 'evidence.json');
    await preflight(options({ kubeconfig: server.kubeconfigFile, evidenceOut }));
    const revised = await preflight(options({ spec: specFile(`${readFileSync(EXAMPLE, 'utf8')}\n# revised: one more comment\n`), fromEvidence: evidenceOut }));
    expect(revised.notes).toHaveLength(1);
    expect(revised.notes[0]).toMatch(/another revision/);
    const evidence = JSON.parse(readFileSync(evidenceOut, 'utf8')) as PreflightEvidence;
    writeFileSync(evidenceOut, JSON.stringify({ ...evidence, install: { ...evidence.install, name: 'someone-else' } }));
    const mismatch = await refusal(preflight(options({ fromEvidence: evidenceOut })));
    expect(mismatch.code).toBe('PREFLIGHT_EVIDENCE_MISMATCH');
    expect(mismatch.exitCode).toBe(2);
  });

  it('refuses an invalid spec with exit 2 before reaching any cluster, its issues in details', async () => {
    const requirements = requirementsOf(EXAMPLE);
    const server = await serve(requirements);
    const broken = specFile(readFileSync(EXAMPLE, 'utf8').replace(/kubernetesVersion: .*/, 'kubernetesVersion: "not-a-version"'));
    const error = await refusal(preflight(options({ spec: broken, kubeconfig: server.kubeconfigFile })));
    expect(error.code).toBe('PREFLIGHT_SPEC_INVALID');
    expect(error.exitCode).toBe(2);
    expect((error.details as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    expect(server.requests).toEqual([]);
  });

  it('refuses --from-evidence with --active or --evidence-out, and a prefix that makes no DNS label', async () => {
    const conflicts = [options({ fromEvidence: 'evidence.json', active: true }), options({ fromEvidence: 'evidence.json', evidenceOut: 'out.json' })];
    for (const conflict of conflicts) expect((await refusal(preflight(conflict))).code).toBe('PREFLIGHT_FLAGS_CONFLICT');
    for (const prefix of ['Team_A-', 'x'.repeat(60), '-team-'])
      expect((await refusal(preflight(options({ namespacePrefix: prefix, fromEvidence: null })))).code, prefix).toBe('PREFLIGHT_NAMESPACE_PREFIX_INVALID');
  });
});
