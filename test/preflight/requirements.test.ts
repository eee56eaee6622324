import { describe, expect, it } from 'vitest';
import { collectionPlanFor, preflightRequirements } from '../../cli/preflight/requirements.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { preflightSpecs } from '../helpers/preflight-specs.js';
import { findRelease } from '../../cli/releases/catalog.js';
import { renamesForRelease } from '../../cli/releases/renames.js';
import { exampleAt, RELEASES } from '../helpers/releases.js';

const now = calendarAsOf();
const specs = preflightSpecs().map((entry) => ({ ...entry, requirements: preflightRequirements(entry.install, entry.cell, { now }) }));
const byLabel = (label: string) => specs.find((spec) => spec.label.includes(label))!;

describe('preflight requirements derive from the spec and its render', () => {
  it('asks for GPUs only for self-hosted models, with a model replica per entry', () => {
    for (const { install, requirements, label } of specs) {
      expect(requirements.gpu !== null, label).toBe(install.spec.models.hosting === 'self-hosted');
      if (requirements.gpu) expect(requirements.gpu.models.map((model) => model.workload)).toEqual(install.spec.models.catalog.map((model) => model.name));
    }
  });

  it('needs the ExternalSecrets CRDs only for externalRef secrets, cert-manager only for its TLS', () => {
    for (const { install, requirements, label } of specs) {
      const text = JSON.stringify(install.spec);
      expect(
        requirements.crds.some((crd) => crd.name === 'externalsecrets.external-secrets.io'),
        label,
      ).toBe(text.includes('"externalRef"'));
      expect(
        requirements.crds.some((crd) => crd.name === 'certificates.cert-manager.io'),
        label,
      ).toBe(install.spec.ingress.tls.mode === 'cert-manager');
    }
  });

  it("serves the ingress by Route on OpenShift and by the spec's class elsewhere", () => {
    expect(byLabel('onprem-bitbucket-self-hosted-air-gapped').requirements.ingress).toEqual({ kind: 'route', apiGroupVersion: 'route.openshift.io/v1' });
    expect(byLabel('starter aws/github/saas-api/connected').requirements.ingress).toEqual({ kind: 'ingress-class', className: 'alb' });
    expect(byLabel('onprem-bitbucket-self-hosted-air-gapped').requirements.distributions).toEqual(['openshift']);
    expect(byLabel('onprem-ghes-cloud-managed-connected').requirements.distributions).toEqual(['rke2', 'k3s']);
  });

  it('leaves out Secrets an ExternalSecret of the release creates', () => {
    const { requirements } = byLabel('aws-github-saas-connected');
    const synced = ['northwind-prod-scm-private-key', 'northwind-prod-scm-webhook-secret', 'northwind-prod-model-api-key'];
    expect(requirements.secrets.map((secret) => secret.name).filter((name) => synced.includes(name))).toEqual([]);
  });

  it('names the keys and the values paths that read them', () => {
    const { requirements } = byLabel('starter onprem/gitlab-self-managed/self-hosted/air-gapped');
    const platform = requirements.namespaces.find((entry) => entry.chart === 'agent-platform')!.name;
    const postgres = requirements.secrets.find((secret) => secret.name === 'acme-prod-postgres')!;
    expect(postgres).toEqual({ namespace: platform, name: 'acme-prod-postgres', keys: ['username', 'password'], usedBy: ['agent-platform: postgres.credentials'] });
    expect(requirements.pullSecret).toEqual({ name: 'registry-pull', namespaces: requirements.namespaces.map((entry) => entry.name), registryHost: 'registry.acme.example' });
  });

  it('prefixes every namespace with --namespace-prefix', () => {
    const { install, cell } = byLabel('starter onprem/gitlab-self-managed/self-hosted/air-gapped');
    const prefixed = preflightRequirements(install, cell, { now, namespacePrefix: 'team-' });
    const namespaces = [...prefixed.namespaces.map((entry) => entry.name), ...prefixed.secrets.map((secret) => secret.namespace), ...prefixed.pullSecret!.namespaces];
    for (const check of prefixed.access) if (check.namespace !== null) namespaces.push(check.namespace);
    for (const namespace of namespaces) expect(namespace).toMatch(/^team-acme-prod-/);
  });

  it('sums replicas x requests from the merged values (sizing scales replicas)', () => {
    const medium = byLabel('starter aws/github/saas-api/connected').requirements;
    const api = medium.platformPods.find((pod) => pod.workload === 'agent-platform: api')!;
    expect(api).toEqual({ workload: 'agent-platform: api', replicas: 2, cpuMillis: 500, memoryBytes: 1024 ** 3 });
  });

  it('is JSON-serialisable', () => {
    for (const { requirements } of specs) expect(JSON.parse(JSON.stringify(requirements))).toEqual(requirements);
  });
});

describe('the collection plan', () => {
  it('collects only what an applicable check reads', () => {
    const saas = collectionPlanFor(byLabel('starter azure/github/saas-api/connected').requirements, { active: false });
    expect(saas.collectors).not.toContain('active');
    expect(saas.collectors).not.toContain('configMaps');
    expect(saas.collectors).not.toContain('crds');
    expect(saas.active).toBeNull();
    const openshift = collectionPlanFor(byLabel('onprem-bitbucket-self-hosted-air-gapped').requirements, { active: true });
    expect(openshift.collectors).not.toContain('ingressClasses');
    expect(openshift.collectors).toEqual(expect.arrayContaining(['discovery', 'configMaps', 'active', 'namespaces']));
    expect(openshift.active?.publicHost).not.toBeNull();
  });

  it('asks for every referenced Secret and the pull Secret in each namespace, once', () => {
    const { requirements } = byLabel('starter onprem/gitlab-self-managed/self-hosted/air-gapped');
    const plan = collectionPlanFor(requirements, { active: false });
    const ids = plan.secrets.map((secret) => `${secret.namespace}/${secret.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const namespace of requirements.pullSecret!.namespaces) expect(ids).toContain(`${namespace}/registry-pull`);
    for (const secret of requirements.secrets) expect(ids).toContain(`${secret.namespace}/${secret.name}`);
  });

  it('pulls a mirrored image by digest with the pull secret, air-gapped', () => {
    const plan = collectionPlanFor(byLabel('starter onprem/gitlab-self-managed/self-hosted/air-gapped').requirements, { active: true });
    expect(plan.active!.image).toMatch(/^registry\.acme\.example\/installctl\/agent-platform\/portal@sha256:[0-9a-f]{64}$/);
    expect(plan.active!.pullSecret).toBe('registry-pull');
  });
});

describe('references the infrastructure layer adds', () => {
  it('asks for the RDS CA bundle ConfigMap with managed PostgreSQL on AWS and the Memorystore CA with managed Redis on GCP', () => {
    for (const { requirements, install, label } of specs) {
      const names = requirements.configMaps.map((reference) => reference.name);
      const managed = (store: 'postgres' | 'redis') => (install.spec.datastores?.[store]?.mode ?? (install.spec.platform.type === 'onprem' ? 'bundled' : 'managed')) === 'managed';
      expect(names.includes(`${install.metadata.name}-postgres-ca`), label).toBe(install.spec.platform.type === 'aws' && managed('postgres'));
      expect(names.includes(`${install.metadata.name}-redis-ca`), label).toBe(install.spec.platform.type === 'gcp' && managed('redis'));
    }
  });
});

describe('preflight requirements of a release other than the current one', () => {
  it.each(RELEASES)("%s: the release's chart versions and Kubernetes floor; the git gateway's claim under the release's key", (release) => {
    const loaded = exampleAt('aws-ghes-self-hosted-air-gapped.yaml', release);
    const requirements = preflightRequirements(loaded.install, loaded.cell!, { now });
    expect(requirements.kubernetes.charts).toEqual(
      (['model-server', 'agent-platform'] as const).map((chart) => ({
        chart,
        version: findRelease(release)!.charts[chart].version,
        kubeVersion: `>=${findRelease(release)!.kubernetes.min}.0-0`,
      })),
    );
    const key = renamesForRelease('agent-platform', release).some((rename) => rename.to === 'gitGateway.persistence') ? 'gitGateway.persistence' : 'gitGateway.storage';
    expect(requirements.storage.claims.find((claim) => claim.usedBy.startsWith('agent-platform: gitGateway'))).toEqual({
      storageClass: 'gp3',
      namespace: requirements.namespaces.find((entry) => entry.chart === 'agent-platform')!.name,
      usedBy: `agent-platform: ${key}`,
    });
  });
});
