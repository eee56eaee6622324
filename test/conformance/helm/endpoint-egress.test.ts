/**
 * endpoint-egress on hand-built objects: the shapes main rendered before issue 13 (Azure Managed
 * Redis configured and opened on 6379 while the infrastructure says 10000; an SCM on 8443 with only
 * 443 open; AKS workload-identity pods without 443 egress to Entra ID) fail, the fixed shapes pass.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../cli/conformance/helm/helm.js';
import { endpointEgressViolations, type WiredEndpoint } from '../../../cli/conformance/helm/endpoint-egress.js';
import { checkManifests, METADATA_ADDRESSES } from '../../../cli/conformance/helm/manifest-policies.js';

const RELEASE = { 'app.kubernetes.io/instance': 'agent-platform', 'app.kubernetes.io/name': 'agent-platform' };
const ANYWHERE = { ipBlock: { cidr: '0.0.0.0/0', except: METADATA_ADDRESSES.map((address) => `${address}/32`) } };

function deployment(component: string, options: { env?: Record<string, string>; labels?: Record<string, string>; serviceAccount?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: component },
    spec: {
      template: {
        metadata: { labels: { ...RELEASE, 'app.kubernetes.io/component': component, ...options.labels } },
        spec: {
          serviceAccountName: options.serviceAccount ?? 'agent-platform',
          containers: [{ name: component, env: Object.entries(options.env ?? {}).map(([name, value]) => ({ name, value })) }],
        },
      },
    },
  };
}

function policy(name: string, podLabels: Record<string, string>, egress: unknown[]): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: { podSelector: { matchLabels: { ...RELEASE, ...podLabels } }, policyTypes: ['Egress'], egress },
  };
}

const defaultDeny: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny' },
  spec: { podSelector: { matchLabels: RELEASE }, policyTypes: ['Ingress', 'Egress'] },
};
const tcp = (port: number) => ({ protocol: 'TCP', port });

describe('endpoint-egress: a managed datastore on the port the infrastructure output says', () => {
  const redis = (port: number | null): WiredEndpoint => ({
    chart: 'agent-platform',
    name: 'redis',
    host: 'acme-redis.eastus2.redis.azure.net',
    port,
    source: 'the infrastructure output (agentPlatformValues.redis)',
    destination: { kind: 'cidr', cidr: '10.40.0.0/16' },
    clients: { by: 'env', hostVar: 'REDIS_HOST', portVar: 'REDIS_PORT' },
  });
  const objects = (port: number) => [
    defaultDeny,
    deployment('api', { env: { REDIS_HOST: 'acme-redis.eastus2.redis.azure.net', REDIS_PORT: String(port) }, labels: { 'installctl.dev/datastores': 'true' } }),
    policy('external-datastores', { 'installctl.dev/datastores': 'true' }, [{ to: [{ ipBlock: { cidr: '10.40.0.0/16' } }], ports: [tcp(5432), tcp(port)] }]),
  ];

  it('main before issue 13: Azure Managed Redis listens on 10000, the chart says and opens 6379', () => {
    const messages = endpointEgressViolations(objects(6379), [redis(10000)]).map((violation) => `${violation.resource}: ${violation.message}`);
    expect(messages).toEqual([
      expect.stringMatching(
        /^Deployment\/api: reaches redis at acme-redis\.eastus2\.redis\.azure\.net:10000 .* no NetworkPolicy egress rule allows TCP 10000 to 10\.40\.0\.0\/16$/,
      ),
      expect.stringMatching(
        /^Deployment\/api: container api: REDIS_HOST\/REDIS_PORT says redis is at acme-redis\.eastus2\.redis\.azure\.net:6379, but the infrastructure output .* says .*:10000$/,
      ),
    ]);
  });

  it('main before issue 13: the infrastructure output names the host but no port', () => {
    expect(endpointEgressViolations(objects(6379), [redis(null)]).map((violation) => violation.message)).toEqual([
      expect.stringContaining('names redis acme-redis.eastus2.redis.azure.net but no port'),
    ]);
  });

  it('fixed: the port comes from the infrastructure output into the env and the egress rule', () => {
    expect(endpointEgressViolations(objects(10000), [redis(10000)])).toEqual([]);
  });

  it('a rule to another range does not hold the destination', () => {
    const wrongRange = [
      defaultDeny,
      deployment('api', { env: { REDIS_HOST: 'acme-redis.eastus2.redis.azure.net', REDIS_PORT: '10000' } }),
      policy('x', {}, [{ to: [{ ipBlock: { cidr: '192.168.0.0/16' } }], ports: [tcp(10000)] }]),
    ];
    expect(endpointEgressViolations(wrongRange, [redis(10000)])).toHaveLength(1);
  });
});

describe('endpoint-egress: the SCM on the port of its URL', () => {
  const scm: WiredEndpoint = {
    chart: 'agent-platform',
    name: 'scm',
    host: 'ghes.internal',
    port: 8443,
    source: 'spec.scm.url',
    destination: { kind: 'host' },
    clients: { by: 'env-prefix', prefix: 'SCM_' },
  };
  const gitGateway = deployment('git-gateway', { env: { SCM_TOKEN: 'x' }, labels: { 'installctl.dev/egress-https': 'true', 'installctl.dev/scm': 'true' } });
  const config = (url: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'config' },
    data: { 'platform.yaml': `scm:\n  url: ${url}\n  apiUrl: ${url}/api/v3\n` },
  });
  const httpsOnly = policy('https-egress', { 'installctl.dev/egress-https': 'true' }, [{ to: [ANYWHERE], ports: [tcp(443)] }]);

  it('main before issue 13: https://ghes.internal:8443 with only 443 open', () => {
    const violations = endpointEgressViolations([defaultDeny, gitGateway, httpsOnly, config('https://ghes.internal:8443')], [scm]);
    expect(violations.map((violation) => violation.message)).toEqual([expect.stringContaining('no NetworkPolicy egress rule allows TCP 8443')]);
  });

  it('fixed: the scm rule opens the URL port', () => {
    const scmRule = policy('scm', { 'installctl.dev/scm': 'true' }, [{ to: [ANYWHERE], ports: [tcp(8443)] }]);
    expect(endpointEgressViolations([defaultDeny, gitGateway, httpsOnly, scmRule, config('https://ghes.internal:8443')], [scm])).toEqual([]);
  });

  it('a configuration naming the host on another port fails', () => {
    const scmRule = policy('scm', { 'installctl.dev/scm': 'true' }, [{ to: [ANYWHERE], ports: [tcp(8443)] }]);
    const violations = endpointEgressViolations([defaultDeny, gitGateway, scmRule, config('https://ghes.internal')], [scm]);
    expect(violations.map((violation) => `${violation.resource} ${violation.message}`)).toEqual([
      'ConfigMap/config platform.yaml says scm is at port 443, but spec.scm.url says ghes.internal:8443',
      'ConfigMap/config platform.yaml says scm is at port 443, but spec.scm.url says ghes.internal:8443',
    ]);
  });
});

describe('endpoint-egress: workload identity reaches its token endpoint', () => {
  const entra: WiredEndpoint = {
    chart: 'agent-platform',
    name: 'token endpoint (Entra ID, workload identity)',
    host: 'login.microsoftonline.com',
    port: 443,
    source: 'Azure workload identity',
    destination: { kind: 'internet' },
    clients: { by: 'cloud-identity' },
  };
  const account: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'agent-platform', annotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000001' } },
  };
  // The api signs in to the Entra-only PostgreSQL: no egress-https label, so main opened nothing on 443 for it.
  const api = deployment('api', { labels: { 'azure.workload.identity/use': 'true', 'installctl.dev/cloud-identity': 'true' } });
  const httpsOnly = policy('https-egress', { 'installctl.dev/egress-https': 'true' }, [{ to: [ANYWHERE], ports: [tcp(443)] }]);

  it('main before issue 13: an AKS workload-identity pod without 443 egress', () => {
    const violations = endpointEgressViolations([account, defaultDeny, api, httpsOnly], [entra]);
    expect(violations).toEqual([
      { policy: 'endpoint-egress', resource: 'Deployment/api', message: expect.stringContaining('no NetworkPolicy egress rule allows TCP 443 to any address') },
    ]);
  });

  it('air-gapped main: 443 only to allowedCidrs does not reach Entra ID', () => {
    const cidrs = policy('allowed-cidrs', {}, [{ to: [{ ipBlock: { cidr: '10.40.0.0/16' } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }]);
    expect(endpointEgressViolations([account, defaultDeny, api, cidrs], [entra])).toHaveLength(1);
  });

  it('fixed: the cloud-identity rule opens 443 to the pods on workload identity', () => {
    const identity = policy('cloud-identity', { 'installctl.dev/cloud-identity': 'true' }, [{ to: [ANYWHERE], ports: [tcp(443)] }]);
    expect(endpointEgressViolations([account, defaultDeny, api, httpsOnly, identity], [entra])).toEqual([]);
  });

  it('a pod whose service account has no cloud identity is no client', () => {
    expect(endpointEgressViolations([defaultDeny, deployment('portal', { serviceAccount: 'portal' }), httpsOnly], [entra])).toEqual([]);
  });

  it('GKE: the metadata server rule holds its address and port, an ipBlock excepting it does not', () => {
    const gke: WiredEndpoint = { ...entra, name: 'GKE metadata server', host: '', port: 988, destination: { kind: 'cidr', cidr: '169.254.169.252/32' } };
    const gsa: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'agent-platform', annotations: { 'iam.gke.io/gcp-service-account': 'x@p.iam.gserviceaccount.com' } },
    };
    const pod = deployment('api');
    const metadata = policy('gke-metadata', {}, [{ to: [{ ipBlock: { cidr: '169.254.169.252/32' } }], ports: [tcp(988)] }]);
    expect(endpointEgressViolations([gsa, defaultDeny, pod, metadata], [gke])).toEqual([]);
    expect(endpointEgressViolations([gsa, defaultDeny, pod, policy('anywhere', {}, [{ to: [ANYWHERE], ports: [tcp(988)] }])], [gke])).toHaveLength(1);
  });
});

describe('endpoint-egress: in-cluster model servers', () => {
  const model: WiredEndpoint = {
    chart: 'agent-platform',
    name: 'model coder',
    host: 'coder.acme-models.svc.cluster.local',
    port: 8000,
    source: "the model-server chart's Service",
    destination: { kind: 'namespace', namespace: 'acme-models' },
    clients: { by: 'component', component: 'ai-gateway' },
  };
  const gateway = deployment('ai-gateway');
  const gatewayConfig = (port: number): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'gateway' },
    data: { 'gateway.yaml': `models:\n- endpoint: http://coder.acme-models.svc.cluster.local:${port}/v1\n` },
  });
  const models = (port: number) =>
    policy('models', { 'app.kubernetes.io/component': 'ai-gateway' }, [
      { to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['acme-models'] }] } }], ports: [tcp(port)] },
    ]);

  it('the models rule to the namespace on 8000 passes; another port or namespace fails', () => {
    expect(endpointEgressViolations([defaultDeny, gateway, models(8000), gatewayConfig(8000)], [model])).toEqual([]);
    expect(endpointEgressViolations([defaultDeny, gateway, models(8001), gatewayConfig(8000)], [model])).toHaveLength(1);
    expect(endpointEgressViolations([defaultDeny, gateway, models(8000), gatewayConfig(8080)], [model]).map((violation) => violation.message)).toEqual([
      "gateway.yaml says model coder is at port 8080, but the model-server chart's Service says coder.acme-models.svc.cluster.local:8000",
    ]);
    expect(endpointEgressViolations([defaultDeny, gateway, models(8000)], [{ ...model, destination: { kind: 'namespace', namespace: 'other' } }])).toHaveLength(1);
  });

  it('a pod no Egress policy selects may reach anything', () => {
    expect(endpointEgressViolations([gateway], [model])).toEqual([]);
  });

  it('runs inside checkManifests from context.endpoints', () => {
    const context = { network: 'connected' as const, imageRegistry: null, platform: 'azure', publicHosts: [], endpoints: [model] };
    expect(checkManifests([defaultDeny, gateway, models(8001)], context).filter((violation) => violation.policy === 'endpoint-egress')).toHaveLength(1);
  });
});
