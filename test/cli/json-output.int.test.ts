/**
 * Every command's --json output, from the built CLI, validates against its entry in
 * schemas/cli-output.schema.json: one row (or more) per command, successes and failures, with the
 * exit code each keeps under --json. The result types commands return are generated from the same
 * entries, so the compiler checks the shape and this table checks what is really printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../cli/commands.js';
import { runCliAsync, type CliRun } from '../helpers/cli.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { startFakeRegistry, type FakeRegistry } from '../helpers/fake-registry.js';
import { bundledSchema, expectSchemaDef } from '../helpers/schemas.js';
import { healthyEvidence } from '../helpers/preflight-evidence.js';
import { loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { preflightRequirements } from '../../cli/preflight/requirements.js';
import { startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { baseCluster, type FixtureCluster } from '../helpers/fixture-cluster.js';
import { addContainerLog, addEvents, addHelmRelease, addPods, addWorkloads } from '../helpers/fixture-workloads.js';
import { writeSampleBundle } from '../support-bundle/sample-bundle.js';
import { deployment, event, pod } from '../support-bundle/objects.js';

/** An unsupported cell: conformance runs init and validate-rejects only, so a Helm that answers `helm version` is enough. */
const REJECTED_CELL = 'aws/github/saas-api/air-gapped';

let dir: string;
let fixture: BundleFixture;
let bundle: string;
let fake: FakeRegistry;
let fakeHelm: string;
let cluster: FixtureApiServer;
let installNamespaces: string[];

/** The EKS fixture cluster running the install: in each of its namespaces a pod with a log, an event, a deployment and a Helm release. */
function installedCluster(namespaces: readonly string[]): FixtureCluster {
  const model = baseCluster('eks');
  for (const namespace of namespaces) {
    const inNamespace = <T extends { metadata: object }>(object: T): T => ({ ...object, metadata: { ...object.metadata, namespace } });
    addPods(model, inNamespace(pod('api-0')));
    addEvents(model, inNamespace(event('Pulled', 'Pod', 'api-0', 'Successfully pulled image', 'Normal')));
    addWorkloads(model, inNamespace(deployment('api', 1, 1)));
    addHelmRelease(model, { namespace, release: namespace, revision: 1, status: 'deployed' });
    addContainerLog(model, { namespace, pod: 'api-0', container: 'api' }, ['listening on :8080']);
  }
  return model;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-json-output-'));
  writeFileSync(join(dir, 'invalid.yaml'), 'kind: Install\nkind: Install\n');
  writeFileSync(join(dir, 'upgrade.yaml'), readFileSync(AIR_GAPPED_SPEC, 'utf8'));
  fakeHelm = join(dir, 'helm');
  writeFileSync(fakeHelm, '#!/bin/sh\nif [ "$1" = version ]; then echo v4.1.4+gfake; exit 0; fi\nexit 1\n');
  chmodSync(fakeHelm, 0o755);
  fixture = await bundleFixture({ weightsBytes: 1024 });
  bundle = (await makeBundle(fixture, 'acme.bundle')).bundle;
  fake = await startFakeRegistry();
  // Evidence of a cluster too old for the charts: preflight --from-evidence fails it (exit 3) whatever the date.
  const loaded = loadSpecFile(AIR_GAPPED_SPEC, { now: new Date() });
  const requirements = preflightRequirements(loaded.install!, loaded.cell!, { now: new Date() });
  installNamespaces = requirements.namespaces.map((namespace) => namespace.name);
  const evidence = healthyEvidence(requirements);
  evidence.version = { ...evidence.version!, gitVersion: 'v1.29.3-eks-3025e55', minor: '29' };
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify(evidence));
  cluster = await startFixtureApiServer(installedCluster(installNamespaces), { tls: true });
  await writeSampleBundle(join(dir, 'support.tar.gz'));
}, 120_000);
afterAll(async () => {
  await fake?.close();
  await cluster?.close();
});

interface Row {
  /** The oclif command id (cli/commands.ts). */
  command: keyof typeof COMMANDS;
  /** The cli-output.schema.json $defs entry the output must match. */
  def: string;
  args: () => string[];
  status: number;
  env?: () => Record<string, string>;
  /** More than the schema: what this run's output must say. */
  check?: (json: Record<string, unknown>) => void;
}

const render =
  (out: string, ...extra: string[]) =>
  () => ['render', AIR_GAPPED_SPEC, '--out', join(dir, out), ...extra, '--json'];

// In order: later rows read what earlier ones wrote (render --diff an earlier render, conformance merge the report).
const ROWS: Row[] = [
  { command: 'validate', def: 'validate', args: () => ['validate', AIR_GAPPED_SPEC, '--json'], status: 0 },
  { command: 'validate', def: 'validate', args: () => ['validate', AIR_GAPPED_SPEC, join(dir, 'invalid.yaml'), '--json'], status: 1 },
  { command: 'validate', def: 'error', args: () => ['validate', '--no-such-flag', '--json'], status: 2 },
  { command: 'preflight', def: 'preflight', args: () => ['preflight', AIR_GAPPED_SPEC, '--from-evidence', join(dir, 'evidence.json'), '--json'], status: 3 },
  { command: 'preflight', def: 'error', args: () => ['preflight', join(dir, 'invalid.yaml'), '--from-evidence', join(dir, 'evidence.json'), '--json'], status: 2 },
  { command: 'matrix', def: 'matrix', args: () => ['matrix', '--network', 'air-gapped', '--json'], status: 0 },
  { command: 'matrix', def: 'error', args: () => ['matrix', '--platform', 'awz', '--json'], status: 2 },
  { command: 'matrix:explain', def: 'matrixExplain', args: () => ['matrix', 'explain', REJECTED_CELL, '--json'], status: 0 },
  { command: 'matrix:explain', def: 'error', args: () => ['matrix', 'explain', 'no/such/cell/id', '--json'], status: 2 },
  { command: 'version', def: 'version', args: () => ['version', '--json'], status: 0 },
  { command: 'help', def: 'help', args: () => ['help', 'bundle', '--json'], status: 0 },
  { command: 'help', def: 'error', args: () => ['help', 'bundel', '--json'], status: 2 },
  { command: 'completion', def: 'completion', args: () => ['completion', 'zsh', '--json'], status: 0 },
  {
    command: 'init',
    def: 'init',
    args: () => ['init', '--platform', 'aws', '--scm', 'github-enterprise-server', '--models', 'self-hosted', '--network', 'air-gapped', '--json'],
    status: 0,
  },
  { command: 'init', def: 'error', args: () => ['init', '--platform', 'aws', '--scm', 'github', '--models', 'saas-api', '--network', 'air-gapped', '--json'], status: 1 },
  { command: 'render', def: 'renderDryRun', args: render('out', '--dry-run'), status: 0 },
  { command: 'render', def: 'render', args: render('out'), status: 0 },
  { command: 'render', def: 'renderDiff', args: render('out', '--diff'), status: 0 },
  { command: 'render', def: 'renderDiff', args: render('elsewhere', '--diff'), status: 1 },
  { command: 'render', def: 'render', args: () => ['render', join(dir, 'invalid.yaml'), '--out', join(dir, 'invalid-out'), '--json'], status: 1 },
  // status of the render above: in sync with its spec; drifted against another; a directory that is no render.
  {
    command: 'status',
    def: 'status',
    args: () => ['status', join(dir, 'out'), '--spec', AIR_GAPPED_SPEC, '--json'],
    status: 0,
    check: (json) => expect(json).toMatchObject({ inSync: true, spec: { state: 'unchanged', foundBy: 'flag' }, files: { drifted: 0 } }),
  },
  {
    command: 'status',
    def: 'status',
    args: () => ['status', join(dir, 'out'), '--spec', join(dir, 'invalid.yaml'), '--json'],
    status: 1,
    check: (json) => expect(json).toMatchObject({ inSync: false, spec: { state: 'changed' } }),
  },
  {
    command: 'status',
    def: 'error',
    args: () => ['status', dir, '--json'],
    status: 2,
    check: (json) => expect(json).toMatchObject({ error: { code: 'STATUS_NOT_A_RENDER' } }),
  },
  { command: 'bundle:keygen', def: 'bundleKeygen', args: () => ['bundle', 'keygen', '--out', join(dir, 'keys', 'release'), '--json'], status: 0 },
  { command: 'bundle:keygen', def: 'error', args: () => ['bundle', 'keygen', '--out', join(dir, 'keys', 'release'), '--json'], status: 2 },
  {
    command: 'bundle:create',
    def: 'bundleCreate',
    args: () => ['bundle', 'create', AIR_GAPPED_SPEC, '--out', join(dir, 'created.bundle'), '--images-from', `oci-layout:${fixture.layout}`, '--key', fixture.privateKey, '--json'],
    status: 0,
  },
  { command: 'bundle:verify', def: 'bundleVerify', args: () => ['bundle', 'verify', bundle, '--key', fixture.publicKey, '--json'], status: 0 },
  { command: 'bundle:verify', def: 'bundleVerify', args: () => ['bundle', 'verify', bundle, '--key', join(dir, 'keys', 'release.pub'), '--json'], status: 3 },
  {
    command: 'bundle:push',
    def: 'bundlePush',
    args: () => ['bundle', 'push', bundle, '--registry', `${fake.host}/site`, '--plain-http', '--key', fixture.publicKey, '--dry-run', '--json'],
    status: 0,
  },
  {
    command: 'bundle:push',
    def: 'bundlePush',
    args: () => ['bundle', 'push', bundle, '--registry', `${fake.host}/site`, '--plain-http', '--key', fixture.publicKey, '--json'],
    status: 0,
  },
  { command: 'bundle:push', def: 'error', args: () => ['bundle', 'push', bundle, '--registry', `${fake.host}/site`, '--json'], status: 2 },
  {
    command: 'conformance',
    def: 'conformance',
    args: () => ['conformance', '--only', REJECTED_CELL, '--helm', '4', '--jobs', '1', '--report-dir', join(dir, 'reports'), '--json'],
    env: () => ({ INSTALLCTL_HELM4: fakeHelm }),
    status: 0,
  },
  {
    command: 'conformance:merge',
    def: 'conformance',
    args: () => ['conformance', 'merge', join(dir, 'reports', 'conformance.json'), '--report-dir', join(dir, 'merged'), '--json'],
    status: 0,
  },
  {
    command: 'support-bundle',
    def: 'supportBundle',
    args: () => ['support-bundle', AIR_GAPPED_SPEC, '--out', join(dir, 'collected.tar.gz'), '--kubeconfig', cluster.kubeconfigFile, '--json'],
    status: 0,
    // Every namespaced list of every install namespace answered (none forbidden or not found).
    check: (json) => {
      expect(json.namespaces).toEqual(installNamespaces);
      expect(json.problems).toEqual([]);
      expect(cluster.requests.filter((request) => request.path.endsWith('/log')).length).toBe(installNamespaces.length);
    },
  },
  { command: 'support-bundle', def: 'error', args: () => ['support-bundle', join(dir, 'invalid.yaml'), '--out', join(dir, 'invalid.tar.gz'), '--json'], status: 2 },
  // The sample bundle holds a container crash-looping after an OOM kill: a fail.
  { command: 'support-bundle:analyze', def: 'supportBundleAnalyze', args: () => ['support-bundle', 'analyze', join(dir, 'support.tar.gz'), '--json'], status: 3 },
  { command: 'support-bundle:analyze', def: 'error', args: () => ['support-bundle', 'analyze', join(dir, 'invalid.yaml'), '--json'], status: 2 },
  { command: 'conformance:merge', def: 'error', args: () => ['conformance', 'merge', join(dir, 'invalid.yaml'), '--report-dir', join(dir, 'merged-invalid'), '--json'], status: 2 },
  { command: 'upgrade:apply-spec', def: 'upgradeApplySpec', args: () => ['upgrade', 'apply-spec', join(dir, 'upgrade.yaml'), '--to', '2026.12.0', '--json'], status: 0 },
  { command: 'upgrade:apply-spec', def: 'error', args: () => ['upgrade', 'apply-spec', join(dir, 'upgrade.yaml'), '--to', '2026.10.2', '--json'], status: 1 },
  { command: 'upgrade:plan', def: 'upgradePlan', args: () => ['upgrade', 'plan', AIR_GAPPED_SPEC, '--to', '2026.12.0', '--json'], status: 0 },
  // A downgrade is a blocked plan (exit 1), not an error.
  { command: 'upgrade:plan', def: 'upgradePlan', args: () => ['upgrade', 'plan', AIR_GAPPED_SPEC, '--to', '2026.10.2', '--json'], status: 1 },
  { command: 'upgrade:plan', def: 'error', args: () => ['upgrade', 'plan', AIR_GAPPED_SPEC, '--to', '2027.1.0', '--json'], status: 2 },
];

describe('--json output of every command', () => {
  it('has a row for every command, and every command entry of cli-output.schema.json is exercised', () => {
    expect([...new Set(ROWS.map((row) => row.command))].sort()).toEqual(Object.keys(COMMANDS).sort());
    const defs = bundledSchema('cli-output.schema.json').$defs as Record<string, { description?: string }>;
    // The command-level entries (the others are parts they share: issue, cell, fileValidation, ...).
    const commandEntries = Object.keys(defs).filter((def) => def === 'error' || defs[def]!.description?.startsWith('installctl '));
    expect(commandEntries.length).toBeGreaterThanOrEqual(15);
    expect([...new Set(ROWS.map((row) => row.def))].sort()).toEqual(commandEntries.sort());
  });

  it.each(ROWS.map((row, index) => [`${index + 1}: ${row.command} -> ${row.def}, exit ${row.status}`, row] as const))(
    '%s',
    async (_, row) => {
      const run: CliRun = await runCliAsync(row.args(), { env: row.env?.() });
      expect(run.status, run.stderr).toBe(row.status);
      const json: unknown = run.json();
      expectSchemaDef('cli-output.schema.json', row.def, json);
      if (row.def !== 'error') expect(json).not.toHaveProperty('error');
      row.check?.(json as Record<string, unknown>);
    },
    60_000,
  );
});
