/**
 * What an install needs of a cluster, derived from its spec and its render (settings, the charts'
 * merged values), never a fixed list: GPU checks only for self-hosted models, CRDs only when the
 * values use them, the Secrets and keys the values name. JSON-serialisable, so preflight can print
 * it and support-bundle analyze can re-derive it offline. collectionPlanFor turns it into what the
 * collectors (cli/cluster) fetch: only what some applicable check reads.
 */
import type { Install } from '../generated/install-spec.js';
import type { Cell } from '../matrix/engine.js';
import { settingsFor } from '../emit/settings.js';
import { customerValues, gpuNodeSelector } from '../emit/helm-values.js';
import { baseValues, chartMetadata, chartVersion, mergeValues, type ChartName, type Values } from '../emit/charts.js';
import { specRegistrySource } from '../emit/registry-source.js';
import { gpuSoftware, type GpuSoftware } from '../../stacks/decisions/gpu.js';
import { postgresCaConfigMap, postgresTls, redisCaConfigMap } from '../../stacks/decisions/datastores.js';
import type { AccessCheck, ActivePlan, CollectionPlan, CollectorName, KeyedReference } from './types.js';
import { releaseAccessChecks, releaseKinds } from './release-kinds.js';
import {
  crdNeeds,
  modelRequests,
  platformPodRequests,
  storageClaims,
  valueReferences,
  type CrdNeed,
  type ModelRequest,
  type PodRequest,
  type StorageClaim,
} from './requirements-values.js';
import { activePlanFor } from './requirements-active.js';
import { CHECK_CATALOGUE, checkEntry } from './check-catalogue.js';

export type DistributionName = 'eks' | 'aks' | 'gke' | 'openshift' | 'rke2' | 'k3s' | 'vanilla';

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

/** How the chart's Ingress is served: an IngressClass object, GKE's annotation classes (served by ingress-gce), or OpenShift Routes. */
export type IngressRequirement =
  { kind: 'ingress-class'; className: string } | { kind: 'gce'; className: string; apiGroupVersion: string } | { kind: 'route'; apiGroupVersion: string };

export interface GpuRequirement {
  /** gpuPool.product, e.g. nvidia-h100-80gb. */
  product: string;
  /** The node selector the model-server chart sets: GPU nodes must carry every label. */
  nodeSelector: Record<string, string>;
  /** The label that tells the product on this platform (aws/azure: instance type = the preset shape; gcp: accelerator; on-prem: GPU feature discovery's product). */
  productLabel: { key: string; value: string };
  /** What the chart's pods tolerate (gpu.tolerations). */
  tolerations: Toleration[];
  /** Who runs the device plugin: the chart (EKS, AKS), the platform (GKE), the site's GPU Operator (on-prem). */
  software: GpuSoftware;
  /** The preset node shape (on-prem: existing-nodes with gpuPool.gpusPerNode). */
  shape: { name: string; gpus: number };
  pool: { minNodes: number; maxNodes: number } | null;
  models: ModelRequest[];
}

export interface PreflightRequirements {
  install: { name: string; cell: string };
  platform: 'aws' | 'azure' | 'gcp' | 'onprem';
  /** The distributions the spec's platform runs on (onprem vanilla: any non-cloud, non-OpenShift one). */
  distributions: DistributionName[];
  kubernetes: {
    /** The support calendar's platform key (matrix/kubernetes-versions.yaml). */
    calendarPlatform: string;
    /** spec.platform.kubernetesVersion, e.g. 1.34. */
    specVersion: string;
    charts: Array<{ chart: ChartName; version: string; kubeVersion: string }>;
  };
  /** The install's namespaces (with --namespace-prefix) and the release each holds. */
  namespaces: Array<{ name: string; chart: ChartName }>;
  /** The platform's pods (agent-platform), each replicas x requests; they go to untainted nodes. */
  platformPods: PodRequest[];
  /** null unless models are self-hosted. */
  gpu: GpuRequirement | null;
  storage: { claims: StorageClaim[] };
  ingress: IngressRequirement | null;
  crds: CrdNeed[];
  /** The namespaces whose NetworkPolicies the install relies on (networkPolicy.enabled); empty: none. */
  networkPolicyNamespaces: string[];
  /** Every access review the install needs; namespace creation only matters for namespaces that do not exist yet. */
  access: AccessCheck[];
  secrets: KeyedReference[];
  configMaps: KeyedReference[];
  pullSecret: { name: string; namespaces: string[]; registryHost: string } | null;
  /** What --active probes (the image, endpoints, the public host an air gap must block). */
  active: ActivePlan;
}

export interface RequirementOptions {
  now: Date;
  namespacePrefix?: string | null;
}

function distributionsFor(install: Install): DistributionName[] {
  const platform = install.spec.platform;
  switch (platform.type) {
    case 'aws':
      return ['eks'];
    case 'azure':
      return ['aks'];
    case 'gcp':
      return ['gke'];
    case 'onprem':
      return platform.distribution === 'openshift' ? ['openshift'] : platform.distribution === 'rancher' ? ['rke2', 'k3s'] : ['vanilla', 'rke2', 'k3s'];
  }
}

function ingressRequirement(values: Values): IngressRequirement | null {
  const ingress = (values.ingress ?? {}) as Values;
  if (ingress.enabled !== true) return null;
  if ((values.global as Values | undefined)?.platform === 'openshift') return { kind: 'route', apiGroupVersion: 'route.openshift.io/v1' };
  const className = String(ingress.className ?? '');
  // GKE's classes are annotations served by ingress-gce, whose BackendConfig API marks it present.
  if (className.startsWith('gce')) return { kind: 'gce', className, apiGroupVersion: 'cloud.google.com/v1' };
  return { kind: 'ingress-class', className };
}

function gpuRequirement(install: Install, settings: ReturnType<typeof settingsFor>, values: Values | null): GpuRequirement | null {
  const models = install.spec.models;
  if (models.hosting !== 'self-hosted' || !values) return null;
  const gpu = (values.gpu ?? {}) as Values;
  const selector = gpuNodeSelector(install, settings);
  const nodeSelector = { ...((gpu.nodeSelector ?? {}) as Record<string, string>), [selector.key]: selector.value };
  const shape = settings.models.gpuPool?.shape ?? { name: 'existing-nodes', gpus: Math.max(1, ...models.catalog.map((model) => model.gpuCount)), accelerator: null };
  const byInstanceType = settings.platform === 'aws' || settings.platform === 'azure';
  return {
    product: models.gpuPool?.product ?? '',
    nodeSelector,
    productLabel: byInstanceType ? { key: 'node.kubernetes.io/instance-type', value: shape.name } : selector,
    tolerations: ((gpu.tolerations ?? []) as Toleration[]).map((toleration) => ({ ...toleration })),
    software: gpuSoftware(settings.platform),
    shape: { name: shape.name, gpus: shape.gpus },
    pool: settings.models.gpuPool ? { minNodes: settings.models.gpuPool.minNodes, maxNodes: settings.models.gpuPool.maxNodes } : null,
    models: modelRequests(values),
  };
}

/** The runbook creates the install's namespaces (kubectl create namespace): cluster-scoped, needed only where one is missing. */
const NAMESPACE_CREATE: AccessCheck = { namespace: null, verb: 'create', group: '', resource: 'namespaces' };

export function preflightRequirements(install: Install, cell: Cell, options: RequirementOptions): PreflightRequirements {
  const settings = settingsFor(install, cell);
  const prefix = options.namespacePrefix ?? '';
  const source = specRegistrySource(install.spec.registry?.mirror ?? null, settings.registry !== null);
  const layers = customerValues(install, settings, source);
  const charts: Array<{ chart: ChartName; namespace: string; values: Values }> = [
    ...(layers.modelServer
      ? [{ chart: 'model-server' as const, namespace: `${prefix}${settings.workloads.modelsNamespace}`, values: mergeValues(baseValues('model-server'), layers.modelServer) }]
      : []),
    { chart: 'agent-platform', namespace: `${prefix}${settings.workloads.platformNamespace}`, values: mergeValues(baseValues('agent-platform'), layers.agentPlatform) },
  ];
  const platformValues = charts.find((entry) => entry.chart === 'agent-platform')!.values;
  const modelValues = charts.find((entry) => entry.chart === 'model-server')?.values ?? null;
  const references = { secrets: [] as KeyedReference[], configMaps: [] as KeyedReference[] };
  for (const entry of charts) valueReferences(entry.chart, entry.values, entry.namespace, references);
  references.configMaps.push(...infrastructureConfigMaps(settings, `${prefix}${settings.workloads.platformNamespace}`));
  const pullSecretName = ((platformValues.global as Values).imagePullSecrets as Array<{ name: string }>)[0]?.name ?? null;
  const namespaces = charts.map((entry) => entry.namespace);
  return {
    install: { name: install.metadata.name, cell: cell.id },
    platform: settings.platform,
    distributions: distributionsFor(install),
    kubernetes: {
      calendarPlatform: settings.platform,
      specVersion: install.spec.platform.kubernetesVersion,
      // The spec's release: its chart version and Kubernetes floor come from the release catalog (emit/charts.ts).
      charts: charts.map((entry) => ({
        chart: entry.chart,
        version: chartVersion(entry.chart, settings.release),
        kubeVersion: chartMetadata(entry.chart, settings.release).kubeVersion,
      })),
    },
    namespaces: charts.map((entry) => ({ name: entry.namespace, chart: entry.chart })),
    platformPods: platformPodRequests(platformValues),
    gpu: gpuRequirement(install, settings, modelValues),
    storage: { claims: charts.flatMap((entry) => storageClaims(entry.chart, entry.values, entry.namespace)) },
    ingress: ingressRequirement(platformValues),
    crds: dedupeCrds(charts.flatMap((entry) => crdNeeds(entry.chart, entry.values))),
    networkPolicyNamespaces: charts.filter((entry) => (entry.values.networkPolicy as Values | undefined)?.enabled === true).map((entry) => entry.namespace),
    access: [{ ...NAMESPACE_CREATE }, ...charts.flatMap((entry) => releaseAccessChecks(entry.namespace, releaseKinds(entry.chart, entry.values)))],
    secrets: references.secrets,
    configMaps: references.configMaps,
    pullSecret: pullSecretName ? { name: pullSecretName, namespaces, registryHost: source.host } : null,
    active: activePlanFor(install, settings, platformValues, pullSecretName),
  };
}

/**
 * The CA ConfigMaps the infrastructure values layer (Pulumi outputs, known after render) points the
 * platform at, which the runbook creates: the RDS global bundle (managed PostgreSQL on AWS) and the
 * Memorystore server CA (managed Redis on GCP).
 */
function infrastructureConfigMaps(settings: ReturnType<typeof settingsFor>, namespace: string): KeyedReference[] {
  const found: KeyedReference[] = [];
  if (postgresTls(settings.platform, settings.datastores.postgres).serverCa === 'rds-global-bundle')
    found.push({ namespace, name: postgresCaConfigMap(settings.name), keys: ['ca.crt'], usedBy: ['agent-platform: postgres.serverCa (infrastructure values layer)'] });
  if (settings.platform === 'gcp' && settings.datastores.redis === 'managed')
    found.push({ namespace, name: redisCaConfigMap(settings.name), keys: ['ca.crt'], usedBy: ['agent-platform: redis.caBundle (infrastructure values layer)'] });
  return found;
}

function dedupeCrds(needs: CrdNeed[]): CrdNeed[] {
  const byName = new Map<string, CrdNeed>();
  for (const need of needs) {
    const known = byName.get(need.name);
    byName.set(need.name, known ? { ...known, reason: known.reason.includes(need.reason) ? known.reason : `${known.reason}; ${need.reason}` } : need);
  }
  return [...byName.values()];
}

/**
 * Whether a check has anything to look at for this install: GPU checks only for self-hosted models,
 * crds only when the values need one, the active checks only with --active (air gap: only air-gapped).
 */
export function checkApplies(id: string, requirements: PreflightRequirements): boolean {
  switch (id) {
    case 'gpu-capacity':
    case 'gpu-product':
    case 'gpu-taints':
    case 'gpu-device-plugin':
      return requirements.gpu !== null;
    case 'storage-class':
      return requirements.storage.claims.length > 0;
    case 'ingress-class':
      return requirements.ingress !== null;
    case 'crds':
      return requirements.crds.length > 0;
    case 'network-policy-enforcement':
      return requirements.networkPolicyNamespaces.length > 0;
    case 'secret-refs':
      return requirements.secrets.length > 0;
    case 'configmap-refs':
      return requirements.configMaps.length > 0;
    case 'pull-secret':
      return requirements.pullSecret !== null;
    case 'active-air-gap':
      return requirements.active.publicHost !== null;
    case 'active-endpoints':
      return requirements.active.endpoints.length > 0;
    default:
      return true;
  }
}

/**
 * The collectors a check reads for this install: the catalogue's, narrowed where the requirement
 * says which half it needs (a Route needs discovery, not IngressClasses), so a forbidden collector
 * nobody needs errors nothing.
 */
export function collectorsFor(id: string, requirements: PreflightRequirements): CollectorName[] {
  if (id === 'ingress-class' && requirements.ingress) return requirements.ingress.kind === 'ingress-class' ? ['ingressClasses'] : ['discovery'];
  return [...checkEntry(id).collectors];
}

export function collectionPlanFor(requirements: PreflightRequirements, options: { active: boolean }): CollectionPlan {
  const checks = CHECK_CATALOGUE.filter((entry) => (entry.layer === 'preflight' || (options.active && entry.layer === 'active')) && checkApplies(entry.id, requirements));
  const collectors = new Set<CollectorName>(checks.flatMap((entry) => collectorsFor(entry.id, requirements)));
  const wantsSecrets = collectors.has('secrets');
  const secrets = wantsSecrets ? [...requirements.secrets.map(({ namespace, name }) => ({ namespace, name }))] : [];
  if (wantsSecrets && requirements.pullSecret) for (const namespace of requirements.pullSecret.namespaces) secrets.push({ namespace, name: requirements.pullSecret.name });
  return {
    namespaces: requirements.namespaces.map((entry) => entry.name),
    secrets: uniqueObjects(secrets),
    configMaps: collectors.has('configMaps') ? uniqueObjects(requirements.configMaps.map(({ namespace, name }) => ({ namespace, name }))) : [],
    accessReviews: collectors.has('accessReviews') ? requirements.access.map((check) => ({ ...check })) : [],
    active: options.active ? { ...requirements.active, endpoints: requirements.active.endpoints.map((endpoint) => ({ ...endpoint })) } : null,
    collectors: [...collectors].sort(),
  };
}

function uniqueObjects(objects: Array<{ namespace: string; name: string }>): Array<{ namespace: string; name: string }> {
  const seen = new Map(objects.map((object) => [`${object.namespace}/${object.name}`, object]));
  return [...seen.values()].sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.namespace < b.namespace ? -1 : 1));
}
