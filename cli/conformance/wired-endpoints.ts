/**
 * Every endpoint a cell's workloads are wired to, with the port the infrastructure (or the spec)
 * says it listens on: what the manifest policy endpoint-egress (helm/endpoint-egress.ts) checks the
 * NetworkPolicies and the workloads' configuration against. A pure function of the checked spec, its
 * settings and the infrastructure values layer (the stacks' agentPlatformValues / modelServerValues).
 *
 * Destinations, per network mode (what a real EKS / AKS / GKE install reaches):
 *   managed datastores  the install's network (private endpoints, private IPs); an address host is itself
 *   SCM, external datastores, registries  outside hosts of unknown address (allowedCidrs when air-gapped)
 *   in-cluster models   the models namespace, port 8000 (the model-server chart's Service)
 *   token endpoints     AWS STS: the internet, air-gapped the sts interface endpoint in the VPC;
 *                       Entra ID: the internet in both modes (it has no private endpoint: an
 *                       air-gapped AKS reaches it through the site's egress firewall);
 *                       GKE: the metadata server, 169.254.169.254:80 and 169.254.169.252:988
 *   object stores       S3: the internet in both modes (the gateway endpoint routes to S3's public
 *                       prefix list); Cloud Storage: the internet, air-gapped the Private Service
 *                       Connect address; Blob: the internet, air-gapped the private endpoint in the VNet
 */
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { pscAddress } from '../../stacks/gcp/common.js';
import { modelServiceName } from '../emit/helm-values.js';
import { scmOf } from '../dimensions/index.js';
import type { EndpointDestination, WiredEndpoint } from './helm/endpoint-egress.js';
import type { SynthesisOutputs } from './result-cache.js';

/** The model-server chart's Service port (charts/model-server/templates/services.yaml). */
export const MODEL_SERVER_PORT = 8000;

const DATASTORES = {
  postgres: { hostVar: 'DATABASE_HOST', portVar: 'DATABASE_PORT', defaultPort: 5432 },
  redis: { hostVar: 'REDIS_HOST', portVar: 'REDIS_PORT', defaultPort: 6379 },
  rabbitmq: { hostVar: 'RABBITMQ_HOST', portVar: 'RABBITMQ_PORT', defaultPort: 5671 },
} as const;

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** The install's own network, when the spec creates it (an existing one's range is not known here). */
function ownNetwork(settings: InstallSettings): EndpointDestination {
  const cloud = settings.cloud;
  const network = cloud ? (cloud.type === 'azure' ? cloud.vnet : cloud.vpc) : null;
  return network?.mode === 'new' ? { kind: 'cidr', cidr: network.cidr } : { kind: 'host' };
}

function addressOr(host: string, fallback: EndpointDestination): EndpointDestination {
  return IPV4.test(host) ? { kind: 'cidr', cidr: `${host}/32` } : fallback;
}

function portOf(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : (({ 'https:': 443, 'http:': 80, 'ssh:': 22 } as Record<string, number>)[parsed.protocol] ?? 443);
}

function datastoreEndpoints(install: Install, settings: InstallSettings, infra: SynthesisOutputs): WiredEndpoint[] {
  const layer = infra['agent-platform'] ?? {};
  return (Object.keys(DATASTORES) as Array<keyof typeof DATASTORES>).flatMap((kind): WiredEndpoint[] => {
    const { hostVar, portVar } = DATASTORES[kind];
    const clients = { by: 'env' as const, hostVar, portVar };
    const mode = settings.datastores[kind];
    if (mode === 'bundled') return [];
    if (mode === 'managed') {
      const output = (layer[kind] ?? {}) as { host?: unknown; port?: unknown };
      const host = typeof output.host === 'string' ? output.host : '';
      const port = typeof output.port === 'number' ? output.port : null;
      return [
        {
          chart: 'agent-platform',
          name: kind,
          host,
          port,
          source: `the infrastructure output (agentPlatformValues.${kind})`,
          destination: addressOr(host, ownNetwork(settings)),
          clients,
        },
      ];
    }
    const spec = install.spec.datastores?.[kind];
    const external = spec?.mode === 'external' ? spec : null;
    const host = external?.host ?? '';
    return [
      {
        chart: 'agent-platform',
        name: kind,
        host,
        port: external?.port ?? DATASTORES[kind].defaultPort,
        source: `spec.datastores.${kind}`,
        destination: addressOr(host, { kind: 'host' }),
        clients,
      },
    ];
  });
}

function scmEndpoint(install: Install): WiredEndpoint {
  const url = scmOf(install.spec.scm).emit.serverUrl(install.spec.scm as never);
  const host = new URL(url).hostname;
  return {
    chart: 'agent-platform',
    name: 'scm',
    host,
    port: portOf(url),
    source: 'spec.scm.url',
    destination: addressOr(host, { kind: 'host' }),
    clients: { by: 'env-prefix', prefix: 'SCM_' },
  };
}

function modelEndpoints(install: Install, settings: InstallSettings): WiredEndpoint[] {
  const models = install.spec.models;
  if (models.hosting !== 'self-hosted') return [];
  const namespace = settings.workloads.modelsNamespace;
  return models.catalog.map((model) => ({
    chart: 'agent-platform' as const,
    name: `model ${model.name}`,
    host: `${modelServiceName(model.name)}.${namespace}.svc.cluster.local`,
    port: MODEL_SERVER_PORT,
    source: "the model-server chart's Service",
    destination: { kind: 'namespace' as const, namespace },
    clients: { by: 'component' as const, component: 'ai-gateway' },
  }));
}

/** The token endpoints a pod with a cloud identity exchanges its token at, per chart. */
function tokenEndpoints(settings: InstallSettings, chart: WiredEndpoint['chart']): WiredEndpoint[] {
  const cloud = settings.cloud;
  const airGapped = settings.network.mode === 'air-gapped';
  const clients = { by: 'cloud-identity' as const };
  if (!cloud) return [];
  switch (cloud.type) {
    case 'aws': {
      const host = `sts.${cloud.region}.amazonaws.com`;
      return [{ chart, name: 'token endpoint (AWS STS, IRSA)', host, port: 443, source: 'IRSA', destination: airGapped ? ownNetwork(settings) : { kind: 'internet' }, clients }];
    }
    case 'azure':
      return [
        {
          chart,
          name: 'token endpoint (Entra ID, workload identity)',
          host: 'login.microsoftonline.com',
          port: 443,
          source: 'Azure workload identity',
          destination: { kind: 'internet' },
          clients,
        },
      ];
    case 'gcp':
      return [
        {
          chart,
          name: 'GKE metadata server (workload identity)',
          host: '',
          port: 80,
          source: 'GKE workload identity',
          destination: { kind: 'cidr', cidr: '169.254.169.254/32' },
          clients,
        },
        {
          chart,
          name: 'GKE metadata server (workload identity)',
          host: '',
          port: 988,
          source: 'GKE workload identity',
          destination: { kind: 'cidr', cidr: '169.254.169.252/32' },
          clients,
        },
      ];
  }
}

/** Where the model servers' weights come from, when the fetcher reads them over the network. */
function weightsEndpoints(install: Install, settings: InstallSettings): WiredEndpoint[] {
  const models = install.spec.models;
  if (models.hosting !== 'self-hosted') return [];
  const airGapped = settings.network.mode === 'air-gapped';
  const cloud = settings.cloud;
  const clients = { by: 'component' as const, component: 'model' };
  return models.catalog.flatMap((model): WiredEndpoint[] => {
    const weights = model.weights;
    const endpoint = (host: string, port: number, destination: EndpointDestination): WiredEndpoint[] => [
      { chart: 'model-server', name: `weights of ${model.name} (${weights!.source})`, host, port, source: `spec.models.catalog[${model.name}].weights`, destination, clients },
    ];
    switch (weights?.source) {
      case undefined:
      case 'pvc':
        return [];
      case 's3':
        return endpoint(`s3.${cloud?.type === 'aws' ? cloud.region : 'us-east-1'}.amazonaws.com`, 443, { kind: 'internet' });
      case 'gcs':
        return endpoint('storage.googleapis.com', 443, airGapped && cloud?.type === 'gcp' ? { kind: 'cidr', cidr: `${pscAddress(cloud.vpc)}/32` } : { kind: 'internet' });
      case 'azure-blob':
        return endpoint(`${weights.account}.blob.core.windows.net`, 443, airGapped ? ownNetwork(settings) : { kind: 'internet' });
      case 'hf':
        return endpoint('huggingface.co', 443, { kind: 'internet' });
      case 'oci': {
        const registry = weights.reference.split('/')[0]!;
        const port = /:(\d+)$/.exec(registry)?.[1];
        return endpoint(registry.replace(/:\d+$/, ''), port ? Number(port) : 443, { kind: 'host' });
      }
    }
  });
}

export function wiredEndpoints(install: Install, settings: InstallSettings, infra: SynthesisOutputs): WiredEndpoint[] {
  const selfHosted = install.spec.models.hosting === 'self-hosted';
  return [
    ...datastoreEndpoints(install, settings, infra),
    scmEndpoint(install),
    ...modelEndpoints(install, settings),
    ...tokenEndpoints(settings, 'agent-platform'),
    ...(selfHosted ? [...tokenEndpoints(settings, 'model-server'), ...weightsEndpoints(install, settings)] : []),
  ];
}
