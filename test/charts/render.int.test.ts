/**
 * Every values fixture of both charts, with the real Helm 3.17 and Helm 4.1: `helm lint --strict`
 * and `helm template` succeed, both Helm versions render the same objects, every object passes the
 * Kubernetes 1.33 schemas (kube-validate) and every manifest policy holds. Then properties of whole
 * renders: the CA bundle in every outbound workload, global.imageRegistry on every image (hook Job
 * and init containers included), no runtimeClassName unless asked for. Last, golden snapshots of
 * the Helm 3 output for representative fixtures, in test/charts/golden/<chart>__<fixture>: a diff
 * is a change to what installs get; review it, then UPDATE_GOLDEN=1 npx vitest run test/charts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { helmLint, parseManifests, type HelmResult, type KubeObject } from '../../cli/conformance/helm/helm.js';
import { validateObjects } from '../../cli/conformance/helm/kube-validate.js';
import { checkManifests } from '../../cli/conformance/helm/manifest-policies.js';
import { containersOf, podTemplates, type PodTemplate } from '../../cli/conformance/helm/pods.js';
import { REPO } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { CHART_NAMES, CONCURRENCY, chartOptions, contextFor, fixturePath, fixtures, helmBinaries, mapLimit, mergedValues, overrideFile, render, type ChartName, type HelmBinary } from './helpers.js';

interface Run {
  chart: ChartName;
  fixture: string;
  helm: HelmBinary['name'];
  lint: HelmResult;
  template: HelmResult;
  objects: KubeObject[];
}

const cases = CHART_NAMES.flatMap((chart) => fixtures(chart).map((fixture) => ({ chart, fixture })));
const runs = new Map<string, Run>();
const key = (chart: string, fixture: string, helm: string) => `${chart}/${fixture}/${helm}`;

beforeAll(async () => {
  const binaries = await helmBinaries();
  const jobs = cases.flatMap((c) => binaries.map((binary) => ({ ...c, binary })));
  const started = performance.now();
  await mapLimit(jobs, CONCURRENCY, async ({ chart, fixture, binary }) => {
    const files = [fixturePath(chart, fixture)];
    const [lint, rendered] = await Promise.all([helmLint(chartOptions(chart, binary.helm, files)), render(chart, binary.helm, files)]);
    runs.set(key(chart, fixture, binary.name), { chart, fixture, helm: binary.name, lint, template: rendered.result, objects: rendered.objects });
  });
  console.log(`chart renders: ${jobs.length * 2} helm runs in ${Math.round(performance.now() - started)} ms (concurrency ${CONCURRENCY})`);
}, 300_000);

describe.each(CHART_NAMES)('%s', (chart) => {
  describe.each(fixtures(chart))('%s', (fixture) => {
    it.each(['helm3', 'helm4'] as const)('%s: lint --strict and template succeed', (helm) => {
      const run = runs.get(key(chart, fixture, helm))!;
      expect(run.lint.stderr + run.lint.stdout, 'helm lint --strict').not.toMatch(/\[(ERROR|WARNING)\]/);
      expect(run.lint.ok, run.lint.stdout + run.lint.stderr).toBe(true);
      expect(run.template.ok, run.template.stderr).toBe(true);
      expect(run.objects.length).toBeGreaterThan(0);
    });

    it('Helm 3 and Helm 4 render the same objects', () => {
      const helm3 = runs.get(key(chart, fixture, 'helm3'))!;
      const helm4 = runs.get(key(chart, fixture, 'helm4'))!;
      expect(parseManifests(helm4.template.stdout)).toEqual(parseManifests(helm3.template.stdout));
    });

    it('every object is valid for Kubernetes 1.33', async () => {
      const { objects } = runs.get(key(chart, fixture, 'helm3'))!;
      expect(await validateObjects(objects)).toEqual([]);
    });

    it('every manifest policy holds', () => {
      const { objects } = runs.get(key(chart, fixture, 'helm3'))!;
      const context = contextFor(chart, mergedValues(chart, [fixturePath(chart, fixture)]));
      expect(checkManifests(objects, context)).toEqual([]);
    });
  });
});

describe('the fixtures cover', () => {
  const values = (chart: ChartName) => fixtures(chart).map((fixture) => mergedValues(chart, [fixturePath(chart, fixture)]));
  const covered = (chart: ChartName, pick: (v: Record<string, any>) => unknown) => new Set(values(chart).flatMap((v) => [pick(v)].flat()));

  it('every platform, network, SCM type and auth method, AI backend, datastore mode and secret store', () => {
    expect(covered('agent-platform', (v) => v.global.platform)).toEqual(new Set(['aws', 'azure', 'gcp', 'openshift', 'rancher', 'vanilla']));
    expect(covered('agent-platform', (v) => v.global.network)).toEqual(new Set(['connected', 'air-gapped']));
    expect(covered('agent-platform', (v) => v.scm.type)).toEqual(new Set(['github', 'github-enterprise-server', 'gitlab-self-managed', 'bitbucket-data-center']));
    expect(covered('agent-platform', (v) => v.scm.auth.method)).toEqual(new Set(['github-app', 'access-token', 'oauth-app']));
    expect(covered('agent-platform', (v) => v.scm.webhooks.delivery)).toEqual(new Set(['ingress', 'relay', 'polling']));
    expect(covered('agent-platform', (v) => v.aiGatewayBackend.type)).toEqual(new Set(['saas-api', 'bedrock', 'azure-openai', 'vertex', 'in-cluster']));
    expect(covered('agent-platform', (v) => [v.postgres.mode, v.redis.mode, v.rabbitmq.mode])).toEqual(new Set(['external', 'bundled']));
    expect(covered('agent-platform', (v) => v.externalSecrets.map((entry: any) => entry.store))).toEqual(new Set(['vault', 'aws-secrets-manager', 'azure-key-vault', 'gcp-secret-manager']));
    expect(covered('agent-platform', (v) => v.ingress.exposure)).toEqual(new Set(['internal', 'external']));
  });

  it('every weights source, GPU preset and autoscaler', () => {
    expect(covered('model-server', (v) => v.models.map((m: any) => m.weights.source))).toEqual(new Set(['pvc', 'oci', 's3', 'gcs', 'azure-blob', 'hf']));
    expect(covered('model-server', (v) => v.gpu.preset)).toEqual(new Set(['eks', 'aks', 'gke', 'gpu-feature-discovery']));
    expect(covered('model-server', (v) => [v.autoscaling.hpa.enabled && 'hpa', v.autoscaling.keda.enabled && 'keda'])).toEqual(new Set([false, 'hpa', 'keda']));
    expect(covered('model-server', (v) => v.global.network)).toEqual(new Set(['connected', 'air-gapped']));
  });
});

/** The pod templates of a component (by app.kubernetes.io/component prefix). */
const component = (templates: PodTemplate[], prefix: string) => templates.filter((t) => (t.labels['app.kubernetes.io/component'] ?? '').startsWith(prefix));
const TRUST = '/etc/installctl/trust/ca-bundle.crt';

const AP = 'agent-platform' as const;
const MS = 'model-server' as const;
/** The objects of a fixture's render, per Helm version. */
const both = (chart: ChartName, fixture: string) => (['helm3', 'helm4'] as const).map((helm) => runs.get(key(chart, fixture, helm))!);

describe('whole renders', () => {
  it('a CA bundle is mounted and used in every workload that makes outbound TLS calls', async () => {
    const outbound = ['api', 'agent-', 'git-gateway', 'indexer', 'ai-gateway', 'identity', 'migrations'];
    const caOnlyScm = overrideFile('scm-ca-only', { global: { caBundle: { configMapName: '' } } });
    const binaries = await helmBinaries();
    const scmOnly = await Promise.all(binaries.map((binary) => render(AP, binary.helm, [fixturePath(AP, 'aws-gitlab-bedrock-air-gapped.yaml'), caOnlyScm])));
    for (const { objects } of [...both(AP, 'aws-ghes-bedrock-connected.yaml'), ...scmOnly]) {
      expect(objects.length).toBeGreaterThan(0);
      {
        const templates = podTemplates(objects);
        for (const prefix of outbound) {
          const matching = component(templates, prefix);
          expect(matching.length, prefix).toBeGreaterThan(0);
          for (const template of matching) {
            const volumes = (template.spec.volumes ?? []).filter((v) => v.configMap?.name === 'acme-ca' || v.configMap?.name === 'gitlab-ca').map((v) => v.name);
            expect(volumes.length, `${template.owner} mounts the CA ConfigMap`).toBeGreaterThan(0);
            const init = (template.spec.initContainers ?? []).find((c) => c.name === 'ca-bundle');
            expect(init?.volumeMounts?.map((m) => m.name), template.owner).toEqual(expect.arrayContaining(volumes));
            const main = template.spec.containers![0]!;
            expect(main.env, template.owner).toEqual(expect.arrayContaining([{ name: 'SSL_CERT_FILE', value: TRUST }, { name: 'NODE_EXTRA_CA_CERTS', value: TRUST }, { name: 'REQUESTS_CA_BUNDLE', value: TRUST }]));
            expect(main.volumeMounts, template.owner).toEqual(expect.arrayContaining([{ name: 'ca-trust', mountPath: '/etc/installctl/trust', readOnly: true }]));
          }
        }
        for (const template of component(templates, 'portal')) expect(template.spec.initContainers, 'the portal makes no outbound calls').toBeUndefined();
      }
    }
    const [connected] = both(AP, 'aws-ghes-bedrock-connected.yaml');
    for (const template of [...component(podTemplates(connected!.objects), 'ai-gateway'), ...component(podTemplates(connected!.objects), 'git-gateway')]) {
      expect(template.spec.containers![0]!.env).toEqual(expect.arrayContaining([{ name: 'HTTPS_PROXY', value: 'http://proxy.acme.internal:3128' }, { name: 'NO_PROXY', value: 'localhost,127.0.0.1,.svc,.svc.cluster.local,.cluster.local,.acme.internal,10.0.0.0/8' }]));
    }
    for (const { objects } of both(MS, 'openshift-s3-air-gapped.yaml')) {
      for (const template of podTemplates(objects)) {
        for (const name of ['vllm', 'fetch-weights']) {
          const container = containersOf(template.spec).find((c) => c.container.name === name)!.container;
          expect(container.env, `${template.owner} ${name}`).toEqual(expect.arrayContaining([{ name: 'SSL_CERT_FILE', value: TRUST }]));
          expect(container.volumeMounts?.some((m) => m.mountPath === '/etc/installctl/trust')).toBe(true);
        }
      }
    }
  });

  it('global.imageRegistry is the registry of every image: hook Job, datastores and init containers included', () => {
    for (const [chart, fixture, registry] of [[AP, 'aws-gitlab-bedrock-air-gapped.yaml', '123456789012.dkr.ecr.us-east-1.amazonaws.com/installctl/'], [MS, 'eks-pvc-oci-air-gapped.yaml', 'registry.acme.internal:5000/installctl/']] as const) {
      for (const { objects } of both(chart, fixture)) {
        const images = podTemplates(objects).flatMap((t) => containersOf(t.spec).map(({ container, init }) => ({ owner: t.owner, name: container.name, init, image: container.image ?? '' })));
        expect(images.filter((i) => !i.image.startsWith(registry))).toEqual([]);
        expect(images.some((i) => i.init)).toBe(true);
        if (chart === AP) {
          // Bundled datastores: the migration is a regular Job of the release (see the migrations test).
          expect(images.some((i) => i.owner === 'Job/acme-migrations-r1' && !i.init)).toBe(true);
          expect(images.some((i) => i.owner === 'StatefulSet/acme-postgres')).toBe(true);
          expect(images.some((i) => i.name === 'wait-for-schema')).toBe(true);
        } else {
          expect(images.some((i) => i.name === 'fetch-weights')).toBe(true);
        }
      }
    }
  });

  it('migrations: a hook with external datastores; with a bundled one, a regular Job the database clients wait for', async () => {
    const external = overrideFile('all-external', { rabbitmq: { mode: 'external', host: 'mq.acme.internal' } });
    const [binary] = await helmBinaries();
    const hooked = await render(AP, binary!.helm, [fixturePath(AP, 'aws-ghes-bedrock-connected.yaml'), external]);
    expect(hooked.result.ok, hooked.result.stderr).toBe(true);
    const hookJob = hooked.objects.find((o) => o.kind === 'Job')!;
    expect(hookJob.metadata.name).toBe('acme-migrations');
    expect(hookJob.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation', 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-1' });
    expect(hooked.objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'agent-platform-migrations')!.metadata.annotations).toMatchObject({ 'helm.sh/hook-weight': '-10' });
    expect(podTemplates(hooked.objects).flatMap((t) => containersOf(t.spec)).some(({ container }) => container.name === 'wait-for-schema')).toBe(false);

    for (const { objects } of both(AP, 'aws-ghes-bedrock-connected.yaml')) {
      const job = objects.find((o) => o.kind === 'Job')!;
      expect(job.metadata.name).toBe('acme-migrations-r1');
      expect(Object.keys(job.metadata.annotations ?? {}).filter((key) => key.startsWith('helm.sh/'))).toEqual([]);
      expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync' });
      const clients = podTemplates(objects).filter((t) => t.object.kind !== 'Job' && t.labels['installctl.dev/datastores'] === 'true');
      expect(clients.map((t) => t.owner).sort()).toEqual(['Deployment/acme-agent-code-review', 'Deployment/acme-agent-test-generation', 'Deployment/acme-api', 'Deployment/acme-identity', 'Deployment/acme-indexer', 'StatefulSet/acme-git-gateway']);
      for (const template of clients) {
        const init = template.spec.initContainers ?? [];
        const wait = init.find((c) => c.name === 'wait-for-schema');
        expect(wait?.args, template.owner).toEqual(['migrate', '--wait-for-schema=1800s']);
        expect(wait?.image).toBe(job.spec && (job.spec as any).template.spec.containers[0].image);
        expect(init.map((c) => c.name).indexOf('ca-bundle'), 'the trust bundle is written first').toBeLessThan(init.map((c) => c.name).indexOf('wait-for-schema'));
        expect(wait?.env).toEqual(expect.arrayContaining([{ name: 'DATABASE_USER', value: 'agents_app' }, { name: 'SSL_CERT_FILE', value: TRUST }]));
      }
    }
  });

  it('runtimeClassName is absent unless set', () => {
    for (const fixture of ['aks-azure-blob-hpa-connected.yaml', 'eks-pvc-oci-air-gapped.yaml', 'gke-gcs-keda-air-gapped.yaml', 'vanilla-hf-connected.yaml']) {
      for (const { objects } of both(MS, fixture)) {
        for (const template of podTemplates(objects)) expect(template.spec.runtimeClassName, `${fixture} ${template.owner}`).toBeUndefined();
      }
    }
    for (const { objects } of both(MS, 'openshift-s3-air-gapped.yaml')) {
      expect(podTemplates(objects).map((t) => t.spec.runtimeClassName)).toEqual(['nvidia']);
    }
  });
});

const GOLDEN_DIR = join(REPO, 'test', 'charts', 'golden');
const GOLDEN: Array<[ChartName, string]> = [
  ['agent-platform', 'aws-gitlab-bedrock-air-gapped.yaml'],
  ['agent-platform', 'openshift-gitlab-in-cluster-air-gapped.yaml'],
  ['model-server', 'eks-pvc-oci-air-gapped.yaml'],
];

describe('golden manifests', () => {
  it.each(GOLDEN)('%s with %s', (chart, fixture) => {
    const { template } = runs.get(key(chart, fixture, 'helm3'))!;
    expect(template.ok, template.stderr).toBe(true);
    expectGolden(join(GOLDEN_DIR, `${chart}__${fixture}`), template.stdout);
  });
});
