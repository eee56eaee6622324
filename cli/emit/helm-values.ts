/**
 * The customer values layer for the agent-platform and model-server charts. Helm merges it over the
 * chart's vendor base (values.yaml); values only the infrastructure knows (database hosts, cloud
 * identities) come from a third layer the Pulumi stack outputs (see RUNBOOK.md). The layer is
 * written for the spec's release: the values below use the current release's keys, then
 * forRelease adds the images the release runs and moves renamed keys to the release's names.
 */
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { chartRunsDevicePlugin, gpuSelectorLabel } from '../../stacks/decisions/gpu.js';
import { defaultIngressClass } from '../../stacks/decisions/ingress.js';
import { storageClassFor } from '../../stacks/decisions/storage.js';
import { productPreset } from '../matrix/gpu-presets.js';
import { azureNames } from '../../stacks/azure/common.js';
import { SecretReferences } from './secrets.js';
import { scmOf } from '../dimensions/index.js';
import { specRegistrySource, type RegistrySource } from './registry-source.js';
import { releaseImageOverrides, type ChartName } from './charts.js';
import { applyRenames, renamesForRelease } from '../releases/renames.js';

export interface HelmLayers {
  agentPlatform: Record<string, unknown>;
  /** Only for self-hosted models. */
  modelServer: Record<string, unknown> | null;
}

const REPLICA_SCALE: Record<InstallSettings['sizing'], number> = { small: 1, medium: 2, large: 4 };

/** The chart's flavour of platform: on-prem installs are flavoured by their distribution. */
export function chartPlatform(settings: InstallSettings): string {
  return settings.platform === 'onprem' ? settings.onprem!.distribution : settings.platform;
}

/** The model-server chart names each model's Service after the model, dots made dashes (DNS-1035). */
export function modelServiceName(model: string): string {
  return model.replace(/\./g, '-');
}

/** The Secret a bundled datastore's credentials live in (created by the runbook, never by render). */
export function bundledCredentialsSecret(installName: string, store: 'postgres' | 'redis' | 'rabbitmq'): string {
  return `${installName}-${store}`;
}

export function modelApiKeySecret(installName: string): string {
  return `${installName}-model-api-key`;
}

function globalValues(spec: Install['spec'], settings: InstallSettings, source: RegistrySource): Record<string, unknown> {
  const proxy = settings.network.egressProxy;
  return {
    imageRegistry: source.mirrored ? source.registry : '',
    // The install's own cloud registry (ECR, Artifact Registry, ACR) is pulled with the nodes' identity.
    imagePullSecrets: spec.registry?.pullSecret && !source.nodeIdentity ? [{ name: spec.registry.pullSecret.name }] : [],
    caBundle: spec.trust ? { configMapName: spec.trust.caBundle.configMapRef.name, key: spec.trust.caBundle.configMapRef.key } : { configMapName: '', key: 'ca.crt' },
    platform: chartPlatform(settings),
    network: settings.network.mode,
    proxy: proxy ? { httpsProxy: proxy.url, noProxy: [...proxy.noProxy, '.svc', '.cluster.local', 'localhost', '127.0.0.1'].join(',') } : { httpsProxy: '', noProxy: '' },
  };
}

function ownNetwork(settings: InstallSettings): string[] {
  const cloud = settings.cloud;
  if (!cloud) return [];
  const vpc = cloud.type === 'azure' ? cloud.vnet : cloud.vpc;
  return vpc.mode === 'new' ? [vpc.cidr] : [];
}

function scmValues(spec: Install['spec'], secrets: SecretReferences): Record<string, unknown> {
  const scm = spec.scm;
  const auth = scm.auth;
  const descriptor = scmOf(scm);
  const authSecrets: Record<string, unknown> = { webhookSecret: secrets.ref(auth.webhookSecret, 'scm-webhook-secret') };
  if (auth.method === 'github-app') authSecrets.privateKey = secrets.ref(auth.privateKey, 'scm-private-key');
  if (auth.method === 'access-token') authSecrets.token = secrets.ref(auth.token, 'scm-token');
  if (auth.method === 'oauth-app') authSecrets.clientSecret = secrets.ref(auth.clientSecret, 'scm-client-secret');
  const webhooks = scm.webhooks;
  const ca = descriptor.emit.caBundle(scm);
  const caBundle = ca ? { configMapName: ca.configMapRef.name, key: ca.configMapRef.key } : { configMapName: '', key: 'ca.crt' };
  return {
    type: scm.type,
    url: descriptor.emit.serverUrl(scm),
    scopes: [...descriptor.emit.scopes(scm)],
    auth: {
      method: auth.method,
      appId: auth.method === 'github-app' ? String(auth.appId) : '',
      clientId: auth.method === 'oauth-app' ? auth.clientId : '',
      secrets: authSecrets,
    },
    webhooks: {
      delivery: webhooks?.delivery ?? 'ingress',
      url: webhooks && webhooks.delivery !== 'polling' ? webhooks.url : '',
      path: '/scm/webhooks',
      pollIntervalSeconds: webhooks?.delivery === 'polling' ? (webhooks.intervalSeconds ?? 300) : 300,
    },
    caBundle,
  };
}

function aiGatewayBackend(spec: Install['spec'], settings: InstallSettings, secrets: SecretReferences): Record<string, unknown> {
  const models = spec.models;
  if (models.hosting === 'self-hosted') {
    return {
      type: 'in-cluster',
      provider: '',
      baseUrl: '',
      region: '',
      project: '',
      credentials: { secretName: modelApiKeySecret(settings.name), key: 'api-key' },
      models: models.catalog.map((model) => ({
        name: model.name,
        role: model.role,
        baseUrl: `http://${modelServiceName(model.name)}.${settings.workloads.modelsNamespace}.svc.cluster.local:8000/v1`,
      })),
    };
  }
  const credentials =
    models.hosting === 'saas-api'
      ? secrets.ref(models.apiKey, 'model-api-key')
      : models.credentials
        ? secrets.ref(models.credentials, 'model-credentials')
        : { secretName: '', key: '' };
  const cloud = settings.cloud;
  return {
    type: models.hosting === 'saas-api' ? 'saas-api' : models.provider,
    provider: models.hosting === 'saas-api' ? models.provider : '',
    baseUrl:
      models.hosting === 'saas-api'
        ? (models.baseUrl ?? '')
        : models.provider === 'azure-openai' && cloud?.type === 'azure'
          ? `https://${azureNames(settings.name, cloud).openAi}.openai.azure.com/`
          : '',
    region: models.hosting === 'cloud-managed' ? (models.region ?? (cloud?.type === 'aws' ? cloud.region : cloud?.type === 'gcp' ? cloud.region : '')) : '',
    project: models.hosting === 'cloud-managed' && models.provider === 'vertex' ? (models.account ?? (cloud?.type === 'gcp' ? cloud.projectId : '')) : '',
    credentials: { secretName: credentials.secretName, key: credentials.key },
    models: models.catalog.map((entry) => ({ name: entry.name, role: entry.role, ...(entry.deployment ? { deployment: entry.deployment } : {}) })),
  };
}

/**
 * Whether the managed cache authenticates with a password the runbook stores in NAME-redis: ElastiCache
 * (AUTH token) and Memorystore (AUTH string) do; Azure Managed Redis uses Entra ID through the
 * service accounts' identities, so a Secret named there would never exist and every pod would stop
 * at CreateContainerConfigError.
 */
function managedRedisUsesPassword(settings: InstallSettings): boolean {
  const cloud = settings.cloud;
  if (!cloud) return false;
  switch (cloud.type) {
    case 'aws':
    case 'gcp':
      return true;
    case 'azure':
      return false;
  }
}

function datastore(kind: 'postgres' | 'redis' | 'rabbitmq', spec: Install['spec'], settings: InstallSettings, secrets: SecretReferences): Record<string, unknown> {
  const config = spec.datastores?.[kind];
  const mode = settings.datastores[kind];
  if (mode === 'bundled') {
    const storage = {
      ...(config?.mode === 'bundled' && config.storageGiB ? { size: `${config.storageGiB}Gi` } : {}),
      // Named on every platform: EKS >= 1.30 has no default class (stacks/decisions/storage.ts).
      storageClass: storageClassFor(settings.platform, settings.onprem),
    };
    const secretName = bundledCredentialsSecret(settings.name, kind);
    return {
      mode: 'bundled',
      ...(kind === 'postgres' ? { auth: 'password' } : {}),
      credentials: kind === 'redis' ? { secretName, passwordKey: 'password' } : { secretName, usernameKey: 'username', passwordKey: 'password' },
      bundled: { storage },
    };
  }
  if (mode === 'managed') {
    // Host and identity come from the Pulumi outputs layer; managed services use cloud identity where they can.
    // sslMode and the server's CA (postgres.serverCa) come from the infrastructure layer too: they depend on the cloud's service.
    if (kind === 'postgres') return { mode: 'external', host: '', auth: 'iam' };
    return { mode: 'external', host: '', tls: true, credentials: { secretName: managedRedisUsesPassword(settings) ? `${settings.name}-redis` : '', passwordKey: 'password' } };
  }
  const external = config?.mode === 'external' ? config : null;
  const credentials = external ? secrets.ref(external.credentials, `${kind}-credentials`) : null;
  const values: Record<string, unknown> = { mode: 'external', host: external?.host ?? '', port: external?.port ?? (kind === 'postgres' ? 5432 : kind === 'redis' ? 6379 : 5671) };
  if (kind === 'postgres') values.credentials = { secretName: credentials?.secretName ?? '', usernameKey: 'username', passwordKey: credentials?.key ?? 'password' };
  else values.credentials = { secretName: credentials?.secretName ?? '', ...(kind === 'rabbitmq' ? { usernameKey: 'username' } : {}), passwordKey: credentials?.key ?? 'password' };
  return values;
}

/**
 * The agent-platform chart's postgres values alone, as customerValues writes them: what the upgrade
 * steps need to reach an external database, without building (and depending on) the whole layer.
 */
export function postgresValues(install: Install, settings: InstallSettings): Record<string, unknown> {
  return datastore('postgres', install.spec, settings, new SecretReferences(settings.name));
}

/** The class the chart serves the platform with; named explicitly so the runbook can check that it exists. */
export function ingressClassOf(spec: Install['spec'], settings: InstallSettings): string {
  return spec.ingress.className ?? defaultIngressClass(settings, spec.ingress.exposure ?? 'internal') ?? '';
}

function ingressValues(spec: Install['spec'], settings: InstallSettings): Record<string, unknown> {
  const ingress = spec.ingress;
  return {
    enabled: true,
    hostname: ingress.hostname,
    exposure: ingress.exposure ?? 'internal',
    className: ingressClassOf(spec, settings),
    tls: ingressTlsValues(ingress),
  };
}

/** The chart's ingress.tls: a Secret (existing or cert-manager's), or the ACM certificate the ALB serves (alb.ingress.kubernetes.io/certificate-arn). */
function ingressTlsValues(ingress: Install['spec']['ingress']): Record<string, unknown> {
  const tls = ingress.tls;
  switch (tls.mode) {
    case 'secret':
      return { secretName: tls.secretName, certManager: { issuer: '', kind: 'ClusterIssuer' } };
    case 'cert-manager':
      return { secretName: `${ingress.hostname.split('.')[0]}-tls`, certManager: { issuer: tls.issuer, kind: tls.issuerKind ?? 'ClusterIssuer' } };
    case 'acm':
      return { secretName: '', certManager: { issuer: '', kind: 'ClusterIssuer' }, certificateArn: tls.certificateArn };
  }
}

function agentPlatformValues(install: Install, settings: InstallSettings, source: RegistrySource): Record<string, unknown> {
  const { spec, metadata } = install;
  const secrets = new SecretReferences(settings.name);
  const scale = REPLICA_SCALE[settings.sizing];
  const values: Record<string, unknown> = {
    global: globalValues(spec, settings, source),
    install: { name: metadata.name, customer: metadata.customer, release: spec.release.version },
    portal: { replicas: Math.max(2, scale) },
    api: { replicas: Math.max(2, scale) },
    aiGateway: { replicas: Math.max(2, scale) },
    agents: {
      workers: [
        { name: 'code-review', queue: 'review', replicas: scale },
        { name: 'test-generation', queue: 'testgen', replicas: Math.max(1, scale / 2) },
      ],
    },
    gitGateway: {
      replicas: settings.sizing === 'large' ? 2 : 1,
      storage: { size: settings.sizing === 'large' ? '200Gi' : '50Gi', storageClass: storageClassFor(settings.platform, settings.onprem) },
    },
    scm: scmValues(spec, secrets),
    aiGatewayBackend: aiGatewayBackend(spec, settings, secrets),
    postgres: datastore('postgres', spec, settings, secrets),
    redis: datastore('redis', spec, settings, secrets),
    rabbitmq: datastore('rabbitmq', spec, settings, secrets),
    ingress: ingressValues(spec, settings),
    networkPolicy: {
      enabled: true,
      allowedCidrs: [...new Set([...ownNetwork(settings), ...(spec.network.allowedEgressCidrs ?? [])])],
      dnsNamespace: settings.onprem?.distribution === 'openshift' ? 'openshift-dns' : 'kube-system',
    },
    serviceAccounts: {
      platform: { name: settings.workloads.serviceAccounts.platform, annotations: {} },
      aiGateway: { name: settings.workloads.serviceAccounts.aiGateway, annotations: {} },
    },
  };
  values.externalSecrets = secrets.external;
  return values;
}

type Weights = NonNullable<Extract<Install['spec']['models'], { hosting: 'self-hosted' }>['catalog'][number]['weights']>;

/**
 * A claim the release creates (weights.create): its class defaults to the platform's
 * (storageClassFor), and its Job pulls the artifact `bundle push` wrote, MIRROR/models/<model>:weights.
 */
function weightsClaim(
  create: NonNullable<Extract<Weights, { source: 'pvc' }>['create']>,
  model: string,
  settings: InstallSettings,
  source: RegistrySource,
): Record<string, unknown> {
  return {
    size: create.size,
    accessMode: create.accessMode,
    storageClass: create.storageClass ?? storageClassFor(settings.platform, settings.onprem),
    reference: source.mirrored ? `${source.registry}/models/${model}:weights` : '',
  };
}

function weightsValues(weights: Weights, secrets: SecretReferences, settings: InstallSettings, model: string, source: RegistrySource): Record<string, unknown> {
  switch (weights.source) {
    case 'pvc':
      return {
        source: 'pvc',
        claimName: weights.claimName,
        path: weights.path ?? '',
        ...(weights.create ? { create: weightsClaim(weights.create, model, settings, source) } : {}),
      };
    case 'oci':
      return { source: 'oci', reference: weights.reference };
    case 's3':
      return { source: 's3', bucket: weights.bucket, prefix: weights.prefix, region: settings.cloud?.type === 'aws' ? settings.cloud.region : '' };
    case 'gcs':
      return { source: 'gcs', bucket: weights.bucket, prefix: weights.prefix };
    case 'azure-blob':
      return { source: 'azure-blob', account: weights.account, container: weights.container, prefix: weights.prefix };
    case 'hf':
      return { source: 'hf', repo: weights.repo, revision: weights.revision, ...(weights.token ? { token: secrets.ref(weights.token, 'hf-token') } : {}) };
  }
}

/** The node label the model pods (and the device plugin) select: what the GPU nodes carry. */
export function gpuNodeSelector(install: Install, settings: InstallSettings): { key: string; value: string } {
  const models = install.spec.models;
  const gfdProduct = models.hosting === 'self-hosted' ? (productPreset(models.gpuPool?.product ?? '')?.gpuFeatureDiscoveryProduct ?? '') : '';
  return gpuSelectorLabel(settings.platform, settings.models.gpuPool?.shape ?? null, gfdProduct);
}

export function modelServerValues(install: Install, settings: InstallSettings, source: RegistrySource): Record<string, unknown> | null {
  const { spec } = install;
  const models = spec.models;
  if (models.hosting !== 'self-hosted') return null;
  const secrets = new SecretReferences(settings.name);
  const selector = gpuNodeSelector(install, settings);
  const preset = { aws: 'eks', azure: 'aks', gcp: 'gke', onprem: 'gpu-feature-discovery' }[settings.platform];
  const values: Record<string, unknown> = {
    global: globalValues(spec, settings, source),
    gpu: { preset, selectorValue: selector.value },
    devicePlugin: { enabled: chartRunsDevicePlugin(settings.platform) },
    // The volume fetched weights land in is a claim too: named like every other (stacks/decisions/storage.ts).
    defaults: { weightsVolume: { storageClass: storageClassFor(settings.platform, settings.onprem) } },
    models: models.catalog.map((model) => ({
      name: model.name,
      role: model.role,
      tensorParallelSize: model.tensorParallelSize,
      gpuCount: model.gpuCount,
      replicas: model.replicas ?? 1,
      ...(model.maxModelLen ? { maxModelLen: model.maxModelLen } : {}),
      weights: model.weights ? weightsValues(model.weights, secrets, settings, model.name, source) : { source: 'pvc', claimName: `weights-${model.name}`, path: '' },
      resources: { requests: { cpu: String(4 * model.gpuCount), memory: `${24 * model.gpuCount}Gi` }, limits: { memory: `${32 * model.gpuCount}Gi` } },
    })),
    apiKey: { secretName: modelApiKeySecret(settings.name), key: 'api-key' },
    serviceAccount: { name: settings.workloads.serviceAccounts.modelServer, annotations: {} },
    networkPolicy: {
      enabled: true,
      allowedNamespaces: [settings.workloads.platformNamespace],
      allowedCidrs: [...new Set([...ownNetwork(settings), ...(spec.network.allowedEgressCidrs ?? [])])],
      dnsNamespace: settings.onprem?.distribution === 'openshift' ? 'openshift-dns' : 'kube-system',
    },
  };
  if (secrets.external.length) values.externalSecrets = secrets.external;
  return values;
}

/**
 * A layer written with the current release's keys, made the layer of `release`: the images of the
 * release that the chart's values.yaml does not pin (none for the current release, so its render
 * is unchanged) and each renamed value under the release's name (renamesForRelease).
 */
export function forRelease(chart: ChartName, layer: Record<string, unknown>, release: string): Record<string, unknown> {
  const images = releaseImageOverrides(chart, release);
  const withImages = Object.keys(images).length ? { ...layer, images } : layer;
  return applyRenames(withImages, renamesForRelease(chart, release)).values;
}

/** source: the registry the images are pulled from (registry-source.ts); by default the spec's mirror. Both layers are settings.release's. */
export function customerValues(
  install: Install,
  settings: InstallSettings,
  source: RegistrySource = specRegistrySource(install.spec.registry?.mirror ?? null, settings.registry !== null),
): HelmLayers {
  const modelServer = modelServerValues(install, settings, source);
  return {
    agentPlatform: forRelease('agent-platform', agentPlatformValues(install, settings, source), settings.release),
    modelServer: modelServer && forRelease('model-server', modelServer, settings.release),
  };
}
