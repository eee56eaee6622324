/**
 * Spec to stack settings: the one place that turns a validated install spec into the
 * InstallSettings the Pulumi components read. Applies defaults and makes render-time decisions
 * (GPU node shape from the preset table, the cloud registry to create) so the emitted project
 * does not need installctl's data files.
 */
import type { Install } from '../generated/install-spec.js';
import type { CloudSettings, InstallSettings, ModelSettings, DatastoreMode, ObjectStoreWeights } from '../../stacks/settings.js';
import { chooseGpuShape } from '../../stacks/decisions/gpu.js';
import { defaultSystemNodes } from '../../stacks/decisions/sizing.js';
import { cloudRegistryFor } from '../../stacks/decisions/registry.js';
import { workloadsFor } from '../../stacks/decisions/workloads.js';
import { gcpAcceleratorZones, shapesFor } from '../matrix/gpu-presets.js';
import type { Cell } from '../matrix/engine.js';
import { platformOf } from '../dimensions/index.js';

/** The cloud the stacks create resources in (null on-prem): the platform descriptor maps its spec block. */
function cloudOf(spec: Install['spec']): CloudSettings | null {
  return withAzureAttachments(platformOf(spec.platform).emit.cloudSettings(spec.platform), spec);
}

/** Azure: the private DNS zone of the ingress host (spec.ingress.dns), only when the spec names it. */
function withAzureAttachments(cloud: CloudSettings | null, spec: Install['spec']): CloudSettings | null {
  const dns = spec.ingress.dns;
  const zoneId = dns?.privateZoneId;
  if (cloud?.type !== 'azure' || !zoneId) return cloud;
  return { ...cloud, ingressPrivateZoneId: zoneId };
}

/** GKE: the zones of the spec's region that offer the accelerator (null elsewhere, or when the table does not know the region). */
function acceleratorZones(spec: Install['spec'], accelerator: string | null): string[] | null {
  if (spec.platform.type !== 'gcp' || !accelerator) return null;
  return gcpAcceleratorZones(spec.platform.region, accelerator);
}

function modelsOf(spec: Install['spec']): ModelSettings {
  const models = spec.models;
  const platform = spec.platform.type;
  if (models.hosting === 'self-hosted') {
    const pool = models.gpuPool;
    const needed = Math.max(1, ...models.catalog.map((model) => model.gpuCount));
    const presets = platformOf(spec.platform).emit.gpuPresets;
    const shape =
      presets === null
        ? { name: 'existing-nodes', gpus: pool?.gpusPerNode ?? needed, accelerator: null }
        : chooseGpuShape(
            shapesFor(pool?.product ?? '', presets).map((s) => ({ name: s.name, gpus: s.gpus, accelerator: s.accelerator ?? null })),
            needed,
          );
    if (pool && !shape) throw new Error(`no ${pool.product} shape on ${platform} fits ${needed} GPUs (validate should have refused this spec)`);
    return {
      hosting: 'self-hosted',
      provider: null,
      region: null,
      catalog: [],
      gpuPool: pool && shape ? { product: pool.product, minNodes: pool.minNodes, maxNodes: pool.maxNodes, shape, zones: acceleratorZones(spec, shape.accelerator) } : null,
      weights: models.catalog.flatMap((model): ObjectStoreWeights[] => {
        const weights = model.weights;
        if (!weights) return [];
        if (weights.source === 's3' || weights.source === 'gcs')
          return [{ model: model.name, source: weights.source, bucket: weights.bucket, container: null, prefix: weights.prefix }];
        if (weights.source === 'azure-blob')
          return [{ model: model.name, source: 'azure-blob' as const, bucket: weights.account, container: weights.container, prefix: weights.prefix }];
        return [];
      }),
    };
  }
  return {
    hosting: models.hosting,
    provider: models.provider,
    region: models.hosting === 'cloud-managed' ? (models.region ?? null) : null,
    catalog: models.catalog.map((entry) => ({
      name: entry.name,
      role: entry.role,
      deployment: entry.deployment ?? null,
      version: entry.version ?? null,
      capacity: entry.capacity ?? null,
    })),
    gpuPool: null,
    weights: [],
  };
}

/** The zone the stack records the hostname in (spec ingress.dns), with the hostname; nothing when the spec names none. */
function ingressDnsOf(ingress: Install['spec']['ingress']): Pick<NonNullable<InstallSettings['ingress']>, 'hostname' | 'dns'> {
  const dns = ingress.dns;
  if (dns?.zoneId) return { dns: { zoneId: dns.zoneId } };
  if (!dns?.managedZone) return {};
  return { hostname: ingress.hostname, dns: { managedZone: dns.managedZone, project: dns.project ?? null } };
}

export function settingsFor(install: Install, cell: Cell): InstallSettings {
  const { spec, metadata } = install;
  const cloud = cloudOf(spec);
  const platform = spec.platform;
  const sizing = spec.sizing ?? 'medium';
  const airGapped = spec.network.mode === 'air-gapped';
  const defaultMode: DatastoreMode = platformOf(platform).emit.defaultDatastores;
  const datastores = spec.datastores ?? {};
  const privateEndpoints = spec.network.privateEndpoints ?? {};
  const egressProxy =
    spec.network.mode === 'connected' && spec.network.egressProxy ? { url: spec.network.egressProxy.url, noProxy: [...(spec.network.egressProxy.noProxy ?? [])] } : null;
  return {
    name: metadata.name,
    customer: metadata.customer,
    labels: { ...(metadata.labels ?? {}) } as Record<string, string>,
    cell: cell.id,
    release: spec.release.version,
    sizing,
    platform: platform.type,
    network: {
      mode: spec.network.mode,
      egressProxy,
      privateEndpoints: {
        modelService: privateEndpoints.modelService ?? (airGapped && spec.models.hosting === 'cloud-managed'),
        objectStorage: privateEndpoints.objectStorage ?? airGapped,
      },
      allowedEgressCidrs: [...(spec.network.allowedEgressCidrs ?? [])],
    },
    cluster:
      platform.type === 'onprem'
        ? { mode: 'existing', kubernetesVersion: platform.kubernetesVersion, name: platform.kubeContext }
        : platform.cluster.mode === 'new'
          ? {
              mode: 'new',
              kubernetesVersion: platform.kubernetesVersion,
              apiEndpoint: platform.cluster.apiEndpoint ?? 'private',
              systemNodes: platform.cluster.systemNodes ?? defaultSystemNodes(sizing),
            }
          : { mode: 'existing', kubernetesVersion: platform.kubernetesVersion, name: platform.cluster.name },
    cloud,
    onprem:
      platform.type === 'onprem'
        ? {
            distribution: platform.distribution,
            kubeContext: platform.kubeContext,
            storageClass: platform.storageClass,
            ingressClass: platform.distribution === 'openshift' ? null : (platform.ingressClass ?? 'nginx'),
          }
        : null,
    models: modelsOf(spec),
    datastores: {
      postgres: datastores.postgres?.mode ?? defaultMode,
      redis: datastores.redis?.mode ?? defaultMode,
      rabbitmq: datastores.rabbitmq?.mode ?? 'bundled',
      highAvailability: datastores.postgres?.mode === 'managed' && datastores.postgres.highAvailability !== undefined ? datastores.postgres.highAvailability : sizing !== 'small',
    },
    registry: cloudRegistryFor(spec.registry?.mirror ?? null, cloud),
    workloads: workloadsFor(metadata.name),
    ingress: { exposure: spec.ingress?.exposure ?? 'internal', ...ingressDnsOf(spec.ingress) },
    // Only lts changes what the stacks build (GKE's STABLE channel); absent means stable.
    ...(spec.release.channel === 'lts' ? { releaseChannel: 'lts' as const } : {}),
  };
}
