/**
 * support-bundle end to end without a real cluster: the real connect() and bundle collectors
 * through @kubernetes/client-node against the fixture API server (test/helpers/fixture-api-server.ts),
 * the preflight side (requirements, plan, evidence) injected; then the archive is scanned for every secret
 * planted in the cluster's answers, written twice for byte-identity, and analyzed offline.
 */
import { sampleEvidence } from './sample-bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { supportBundle, parseSince, type SupportBundleDeps, type SupportBundleOptions } from '../../cli/services/support-bundle.js';
import { analyzeSupportBundle, type AnalyzeDeps } from '../../cli/services/support-bundle-analyze.js';
import { collectBundleObjects } from '../../cli/cluster/bundle-collect.js';
import { readBundleArchive } from '../../cli/support-bundle/archive-read.js';
import type { PreflightEvidence } from '../../cli/generated/preflight-evidence.js';
import type { CheckResult, CollectionPlan } from '../../cli/preflight/types.js';
import { UserError } from '../../cli/lib/errors.js';
import { AIR_GAPPED_SPEC } from '../helpers/bundles.js';
import { connect } from '../../cli/cluster/connect.js';
import { startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { baseCluster, type KubeObject } from '../helpers/fixture-cluster.js';
import { addContainerLog, addEvents, addHelmRelease, addPersistentVolumeClaims, addPods, addWorkloads } from '../helpers/fixture-workloads.js';
import { classNotFound, event, imagePullBackOff, job, NS, oomCrashLoop, pod, pvc } from './objects.js';

// Planted in the cluster's answers; assembled at run time so no secret-shaped literal is in the repository.
const GITHUB_TOKEN = ['ghp', '_', 'Pl4nt3dT0k3nZx9Qw2Lm4Np6Rt8Vb1Cd3'].join('');
const RANDOM_TOKEN = ['Zq8wE3rT6yU1', 'iO4pA7sD2fG5', 'hJ9kL0xC'].join('');
const AWS_SECRET = ['tB3nK8sQ2wE5', 'rT7yU1iO4pA6sD9fG2hJ5kL8', 'zX1c'].join('');
const ASSIGNED_PASSWORD = 'hunter2-planted';
const HELM_VALUES_PASSWORD = 'helm-values-password-planted';
const NEVER_COLLECTED = ['env-password-never-kept', 'hunter2-in-annotation', HELM_VALUES_PASSWORD];
const PLANTED = [GITHUB_TOKEN, RANDOM_TOKEN, AWS_SECRET, ASSIGNED_PASSWORD, ...NEVER_COLLECTED];

const NOW = new Date('2026-12-02T21:00:00.000Z');

const crashing = oomCrashLoop('indexer-0');
(crashing.status.containerStatuses[0]!.lastState as { terminated: Record<string, unknown> }).terminated.message = `aws secret ${AWS_SECRET}`;

let server: FixtureApiServer;
let dir: string;
let releases: KubeObject[];

const evidence = (): PreflightEvidence => sampleEvidence(server.url);

const plan: CollectionPlan = { namespaces: [NS], secrets: [], configMaps: [], accessReviews: [], active: null, collectors: ['version', 'storageClasses'] };

function deps(overrides: Partial<SupportBundleDeps> = {}): SupportBundleDeps {
  return {
    now: () => NOW,
    env: {},
    requirements: (() => ({ fake: true })) as unknown as SupportBundleDeps['requirements'],
    plan: () => plan,
    connect: (connectOptions) => connect({ ...connectOptions, kubeconfig: server.kubeconfigFile, requestTimeoutMs: 5000 }),
    collectEvidence: async () => evidence(),
    collectObjects: collectBundleObjects,
    ...overrides,
  };
}

const options = (out: string, extra: Partial<SupportBundleOptions> = {}): SupportBundleOptions => ({
  spec: AIR_GAPPED_SPEC,
  out: join(dir, out),
  force: false,
  since: '24h',
  maxLogLines: 3,
  kubeconfig: null,
  context: null,
  namespacePrefix: null,
  render: null,
  allowInsecure: false,
  ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-sb-service-'));
  const cluster = baseCluster('eks');
  cluster.token = 'support-bearer-token';
  addPods(cluster, pod('api-0'), crashing, imagePullBackOff('redis-0', 'docker.io/bitnami/redis:7.2.4'));
  addEvents(cluster, event('Failed', 'Pod', 'api-0', `Error: failed to authenticate: password=${ASSIGNED_PASSWORD}`), classNotFound('data-postgres-0', 'fast-ssd'));
  addWorkloads(cluster, job('acme-gov-migrations', true));
  addPersistentVolumeClaims(cluster, pvc('data-postgres-0', 'fast-ssd', 'Pending'));
  releases = [
    addHelmRelease(cluster, { namespace: NS, release: 'acme-gov', revision: 1, status: 'deployed', values: { postgres: { password: HELM_VALUES_PASSWORD } } }),
    addHelmRelease(cluster, { namespace: NS, release: 'acme-gov', revision: 2, status: 'failed', values: { postgres: { password: HELM_VALUES_PASSWORD } } }),
  ];
  cluster.statusOverrides.set(`GET /apis/apps/v1/namespaces/${NS}/statefulsets`, 403);
  addContainerLog(cluster, { namespace: NS, pod: 'api-0', container: 'api' }, [
    'line 1 dropped by --max-log-lines',
    `{"level":"debug","cfg":{"x9":"${GITHUB_TOKEN}","q7":"${RANDOM_TOKEN}"}}`,
    'connected to postgres',
    'ready',
  ]);
  addContainerLog(cluster, { namespace: NS, pod: 'indexer-0', container: 'api' }, ['starting']);
  addContainerLog(cluster, { namespace: NS, pod: 'indexer-0', container: 'api', previous: true }, ['loading index', 'Killed'], '2026-12-02T20:58:00Z');
  server = await startFixtureApiServer(cluster);
}, 30_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('support-bundle', () => {
  let result: Awaited<ReturnType<typeof supportBundle>>;
  beforeAll(async () => {
    result = await supportBundle(options('one.tar.gz'), deps());
  }, 60_000);

  it("writes a bundle of the install's namespaces and says what was cut, redacted and not collected", () => {
    expect(result).toMatchObject({ install: { name: 'acme-gov' }, namespaces: [NS], exitCode: 0, collectedAt: NOW.toISOString() });
    expect(result.truncated).toEqual([`logs/${NS}/api-0/api.log`]);
    expect(result.problems).toEqual([{ namespace: NS, collector: 'statefulSets', status: 'forbidden', httpStatus: 403 }]);
    expect(result.redactions.byRule).toMatchObject({ 'github-token': 1, 'random-token': 1, 'credential-assignment': 1 });
    expect(result.redactions.total).toBeGreaterThanOrEqual(4);
  });

  it('holds no planted secret anywhere in the archive, and the report counts without values', async () => {
    const tar = gunzipSync(readFileSync(result.out)).toString('latin1');
    for (const secret of PLANTED) expect(tar.includes(secret), secret.slice(0, 6)).toBe(false);
    for (const release of releases) expect(tar.includes((release.data as { release: string }).release.slice(0, 40))).toBe(false);
    // Nor did the API server ever send it: the release Secrets went out as metadata only.
    const sent = JSON.stringify(server.requests.map((request) => request.response));
    expect(sent).not.toContain('helm.sh/release.v1');
    expect(sent).not.toContain(HELM_VALUES_PASSWORD);
    const bundle = await readBundleArchive(result.out);
    const report = JSON.parse(bundle.files.get('redaction-report.json')!.toString()) as { files: Array<{ path: string; rules: Record<string, number> }> };
    expect(report.files.find((file) => file.path === `logs/${NS}/api-0/api.log`)!.rules).toEqual({ 'github-token': 1, 'random-token': 1 });
    expect(report.files.find((file) => file.path === `cluster/${NS}/events.json`)!.rules).toEqual({ 'credential-assignment': 1 });
    const log = bundle.files.get(`logs/${NS}/api-0/api.log`)!.toString();
    expect(log.split('\n')).toHaveLength(4);
    expect(log).toContain('"x9":"[REDACTED:github-token]"');
    expect(bundle.files.get(`logs/${NS}/indexer-0/api.previous.log`)!.toString()).toBe('2026-12-02T20:58:00.000000000Z loading index\n2026-12-02T20:58:01.000000000Z Killed\n');
    const helm = JSON.parse(bundle.files.get(`cluster/${NS}/helm-releases.json`)!.toString()) as Array<{ status: string; revision: number }>;
    expect(helm.map((release) => [release.revision, release.status])).toEqual([
      [1, 'deployed'],
      [2, 'failed'],
    ]);
    expect(bundle.index.install).toMatchObject({ name: 'acme-gov', cell: 'aws/github-enterprise-server/self-hosted/air-gapped' });
    expect(JSON.parse(bundle.files.get('render/manifest.json')!.toString())).toMatchObject({ kind: 'RenderManifest', install: 'acme-gov' });
    expect(JSON.parse(bundle.files.get('versions.json')!.toString())).toMatchObject({ cluster: { version: { gitVersion: 'v1.35.2-eks-3025e55' } } });
  });

  it('is byte-identical when collected again from the same cluster at the same time', async () => {
    // A second later: anything that leaked the wall clock (an HTTP Date header in a message) would differ.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await supportBundle(options('two.tar.gz'), deps());
    expect(readFileSync(again.out).equals(readFileSync(result.out))).toBe(true);
    expect(again.sha256).toBe(result.sha256);
  }, 60_000);

  it('analyze finds the known failure patterns offline, with the preflight results, and exits 3', async () => {
    const preflightResult: CheckResult = {
      id: 'storage-class',
      outcome: 'pass',
      message: 'gp3 is the default',
      remedy: '',
      doc: 'README.md#preflight-storage-class',
      subject: null,
    };
    let seen: { evidence: PreflightEvidence; now: Date } | null = null;
    const prefixes: unknown[] = [];
    const analyzeDeps: AnalyzeDeps = {
      requirements: ((_install: unknown, _cell: unknown, requirementOptions: { namespacePrefix?: string | null }) => {
        prefixes.push(requirementOptions.namespacePrefix);
        return { fake: true };
      }) as unknown as AnalyzeDeps['requirements'],
      analyze: (_requirements, bundled, now) => {
        seen = { evidence: bundled, now };
        return [preflightResult];
      },
    };
    const analysis = await analyzeSupportBundle(result.out, analyzeDeps);
    expect(seen!.now.toISOString()).toBe(NOW.toISOString());
    // As at collection: --namespace-prefix was not given.
    expect(prefixes).toEqual([null]);
    expect(seen!.evidence.version?.gitVersion).toBe('v1.35.2-eks-3025e55');
    const failed = analysis.results.filter((entry) => entry.outcome === 'fail').map((entry) => [entry.id, entry.subject]);
    expect(failed).toEqual([
      ['image-pull-foreign-registry', `Pod ${NS}/redis-0`],
      ['oom-killed', `Pod ${NS}/indexer-0`],
      ['pvc-pending-class', `PersistentVolumeClaim ${NS}/data-postgres-0`],
      ['migration-job-failed', `Job ${NS}/acme-gov-migrations`],
    ]);
    expect(analysis.results[0]).toEqual(preflightResult);
    expect(analysis.summary).toMatchObject({ fail: 4, error: 0 });
    expect(analysis.exitCode).toBe(3);
    expect(analysis.notes).toEqual([]);
  }, 60_000);

  it('refuses an existing --out without --force, a spec with errors and a bad --since before touching the cluster', async () => {
    let connected = false;
    const watching = deps({
      connect: async () => {
        connected = true;
        throw new Error('must not connect');
      },
    });
    const code = async (run: Promise<unknown>) =>
      (
        (await run.then(
          () => null,
          (error: unknown) => error,
        )) as UserError | null
      )?.code;
    expect(await code(supportBundle(options('one.tar.gz'), watching))).toBe('SUPPORT_BUNDLE_OUT_EXISTS');
    expect(await code(supportBundle(options('x.zip'), watching))).toBe('SUPPORT_BUNDLE_OUT_EXISTS');
    expect(await code(supportBundle(options('no-such-dir/x.tar.gz'), watching))).toBe('OUTPUT_NOT_WRITABLE');
    writeFileSync(join(dir, 'invalid.yaml'), 'kind: Install\n');
    expect(await code(supportBundle(options('x.tar.gz', { spec: join(dir, 'invalid.yaml') }), watching))).toBe('PREFLIGHT_SPEC_INVALID');
    expect(await code(supportBundle(options('x.tar.gz', { since: '1y' }), watching))).toBe('USAGE');
    expect(await code(supportBundle(options('x.tar.gz', { render: dir }), watching))).toBe('SUPPORT_BUNDLE_RENDER_INVALID');
    expect(await code(supportBundle(options('x.tar.gz', { namespacePrefix: 'Bad_Prefix' }), watching))).toBe('PREFLIGHT_NAMESPACE_PREFIX_INVALID');
    expect(connected).toBe(false);
  });

  it('exits 1 when nothing at all could be read from the cluster (the bundle is still written)', async () => {
    const unreachable = await supportBundle(
      options('unreachable.tar.gz'),
      deps({
        connect: async () => {
          const closed = await startFixtureApiServer(baseCluster('eks'));
          await closed.close();
          return connect({ kubeconfig: closed.kubeconfigFile, context: null, allowInsecure: false, env: {}, requestTimeoutMs: 2000 });
        },
        collectEvidence: async () => ({ ...evidence(), version: null, collectors: { version: { status: 'failed', httpStatus: null, message: 'ECONNREFUSED' } } }),
      }),
    );
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.problems.every((problem) => problem.status === 'failed')).toBe(true);
  }, 30_000);
});

describe('--since', () => {
  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['24h', 86400],
    ['7d', 604800],
    ['30d', 2592000],
  ])('%s is %i seconds', (text, seconds) => expect(parseSince(text)).toBe(seconds));

  it.each(['', '24', 'h', '0h', '31d', '1y', '-1h', '1.5h', '24h '])('refuses %j', (text) => {
    expect(() => parseSince(text)).toThrow(UserError);
  });
});

describe('support-bundle analyze of a damaged bundle', () => {
  it('refuses a bundle whose spec.json is not JSON (a user error, not a crash)', async () => {
    const { writeBundleArchive } = await import('../../cli/support-bundle/archive.js');
    const file = join(dir, 'damaged.tar.gz');
    const header = {
      apiVersion: 'installctl.dev/v1alpha1',
      kind: 'SupportBundle',
      installctl: '0.1.0',
      collectedAt: NOW.toISOString(),
      install: { name: 'a', cell: 'c', specSha256: 'a'.repeat(64) },
      options: {},
    } as const;
    writeFileSync(file, (await writeBundleArchive(header, [{ path: 'spec.json', content: '{not json', truncated: null }])).bytes);
    const error = await analyzeSupportBundle(file).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('SUPPORT_BUNDLE_INVALID');
  });

  it('reports notes and exits 1 (never 0) when the bundle holds no usable evidence', async () => {
    const { writeBundleArchive } = await import('../../cli/support-bundle/archive.js');
    const file = join(dir, 'no-evidence.tar.gz');
    const header = {
      apiVersion: 'installctl.dev/v1alpha1',
      kind: 'SupportBundle',
      installctl: '0.1.0',
      collectedAt: NOW.toISOString(),
      install: { name: 'a', cell: 'c', specSha256: 'a'.repeat(64) },
      options: {},
    } as const;
    writeFileSync(file, (await writeBundleArchive(header, [{ path: 'collectors.json', content: '{"namespaces":[]}', truncated: null }])).bytes);
    const analysis = await analyzeSupportBundle(file, { requirements: (() => ({})) as never, analyze: () => [] });
    expect(analysis.notes.length).toBe(2);
    expect(analysis.exitCode).toBe(1);
  });
});
