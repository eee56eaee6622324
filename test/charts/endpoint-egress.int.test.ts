/**
 * Issue 13 points 1-2 (chart side): the NetworkPolicies derive egress from what the workloads are
 * wired to. Real Helm 3 and 4 render both charts with an SCM on 8443, an external Redis on 6380,
 * Azure / GKE workload identity and oci weights from a registry on 5000, connected and air-gapped;
 * the manifest policy endpoint-egress holds for each endpoint, and fails when the endpoint's port
 * is not the one the chart was configured with.
 */
import { describe, expect, it } from 'vitest';
import { endpointEgressViolations, type WiredEndpoint } from '../../cli/conformance/helm/endpoint-egress.js';
import { fixturePath, helmBinaries, overrideFile, render, type ChartName } from './helpers.js';

const AGENT = 'azure-bitbucket-azure-openai-connected.yaml';
const scm: WiredEndpoint = { chart: 'agent-platform', name: 'scm', host: 'bitbucket.contoso.com', port: 8443, source: 'scm.url', destination: { kind: 'host' }, clients: { by: 'env-prefix', prefix: 'SCM_' } };
const redis: WiredEndpoint = {
  chart: 'agent-platform',
  name: 'redis',
  host: 'contoso.redis.cache.windows.net',
  port: 6380,
  source: 'redis.port',
  destination: { kind: 'host' },
  clients: { by: 'env', hostVar: 'REDIS_HOST', portVar: 'REDIS_PORT' },
};
const entra: WiredEndpoint = {
  chart: 'agent-platform',
  name: 'Entra ID',
  host: 'login.microsoftonline.com',
  port: 443,
  source: 'Azure workload identity',
  destination: { kind: 'internet' },
  clients: { by: 'cloud-identity' },
};
const gkeMetadata = (port: number, cidr: string): WiredEndpoint => ({
  chart: 'model-server',
  name: 'GKE metadata server',
  host: '',
  port,
  source: 'GKE workload identity',
  destination: { kind: 'cidr', cidr },
  clients: { by: 'cloud-identity' },
});
const gcs: WiredEndpoint = {
  chart: 'model-server',
  name: 'weights (gcs)',
  host: 'storage.googleapis.com',
  port: 443,
  source: 'weights',
  destination: { kind: 'internet' },
  clients: { by: 'component', component: 'model' },
};
const registry: WiredEndpoint = {
  chart: 'model-server',
  name: 'weights (oci)',
  host: 'registry.acme.internal',
  port: 5000,
  source: 'weights',
  destination: { kind: 'host' },
  clients: { by: 'component', component: 'model' },
};

const CASES: Array<{ name: string; chart: ChartName; files: () => string[]; endpoints: WiredEndpoint[] }> = [
  {
    name: 'agent-platform, azure connected: SCM on 8443, Redis on 6380, Entra ID for workload identity',
    chart: 'agent-platform',
    files: () => [fixturePath('agent-platform', AGENT), overrideFile('ep-scm-8443', { scm: { url: 'https://bitbucket.contoso.com:8443' } })],
    endpoints: [scm, redis, entra],
  },
  {
    name: 'agent-platform, azure air-gapped: the same through allowedCidrs, Entra ID through the site egress',
    chart: 'agent-platform',
    files: () => [
      fixturePath('agent-platform', AGENT),
      overrideFile('ep-scm-8443-airgap', { global: { network: 'air-gapped' }, scm: { url: 'https://bitbucket.contoso.com:8443' }, networkPolicy: { allowedCidrs: ['10.40.0.0/16'] } }),
    ],
    endpoints: [scm, redis, entra],
  },
  {
    name: 'model-server, gke air-gapped: the metadata server and Cloud Storage for the weights fetcher',
    chart: 'model-server',
    files: () => [fixturePath('model-server', 'gke-gcs-keda-air-gapped.yaml')],
    endpoints: [gkeMetadata(80, '169.254.169.254/32'), gkeMetadata(988, '169.254.169.252/32'), gcs],
  },
  {
    name: 'model-server, connected: oci weights from a registry on 5000',
    chart: 'model-server',
    files: () => [
      fixturePath('model-server', 'vanilla-hf-connected.yaml'),
      overrideFile('ep-oci-5000', { models: [{ name: 'coder', role: 'chat', tensorParallelSize: 1, gpuCount: 1, weights: { source: 'oci', reference: `registry.acme.internal:5000/models/coder@sha256:${'a'.repeat(64)}` } }] }),
    ],
    endpoints: [registry],
  },
];

describe('endpoint-egress over the rendered charts', () => {
  it.each(CASES)('$name', async ({ chart, files, endpoints }) => {
    const valuesFiles = files();
    for (const binary of await helmBinaries()) {
      const { result, objects } = await render(chart, binary.helm, valuesFiles);
      expect(result.ok, `${binary.name}: ${result.stderr}`).toBe(true);
      expect(endpointEgressViolations(objects, endpoints), binary.name).toEqual([]);
      // Another port than the one the chart was given: no rule opens it, and the env or config disagrees.
      const moved = endpoints.filter((endpoint) => endpoint.port !== 80 && endpoint.port !== 988).map((endpoint) => ({ ...endpoint, port: 9999 }));
      const violations = endpointEgressViolations(objects, moved);
      for (const endpoint of moved) expect(violations.some((violation) => violation.message.includes(`${endpoint.name} `)), `${binary.name} ${endpoint.name}`).toBe(true);
    }
  });
});
