import * as pulumi from '@pulumi/pulumi';
import type { GcpCloud, InstallSettings } from '../settings.js';
import { cloudOf } from '../settings.js';
import { gcpLabels } from '../tags.js';
import { planEndpoints } from '../decisions/endpoints.js';
import { gcpProjectApis, keyUsers, privateGoogleApis } from './common.js';
import { GcpServices } from './services.js';
import { GcpEncryption } from './encryption.js';
import { GcpNetwork } from './network.js';
import { GcpCluster } from './cluster.js';
import { GcpData } from './data.js';
import { GcpRegistry } from './registry.js';
import { GcpIdentity } from './identity.js';
import { GcpModels } from './models.js';
import { GcpHubAttachment } from './attachment.js';
import { GcpIngressDns, ingressDnsZone } from './ingress-dns.js';
import { infraValuesLayer, type InfraLayer } from '../helm-layer.js';
import { postgresTls, redisCaConfigMap } from '../decisions/datastores.js';

export interface GcpInstallArgs {
  settings: InstallSettings;
}

/** The whole GCP install: one component per concern, wired together. */
export class GcpInstall extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Input<unknown>>;
  /** The infrastructure values layer for the Helm charts. */
  readonly helmValues: InfraLayer;

  constructor(name: string, args: GcpInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Install', name, {}, opts);
    const { settings } = args;
    const cloud = cloudOf(settings, 'gcp');
    const labels = gcpLabels(settings);
    const googleApis = privateGoogleApis({ ...settings, cloud });
    const endpoints = planEndpoints({ ...settings, newNetwork: cloud.vpc.mode === 'new' });
    const managedServices = settings.datastores.postgres === 'managed' || settings.datastores.redis === 'managed';
    const parent = { parent: this };

    const { project } = new GcpServices(`${name}-services`, { cloud, apis: gcpProjectApis({ ...settings, cloud }) }, parent);
    const base: InstallBase = { cloud, project, labels };
    const encryption = new GcpEncryption(`${name}-encryption`, { ...base, installName: settings.name, keyUsers: keyUsers(settings) }, parent);
    const network = new GcpNetwork(`${name}-network`, { ...base, installName: settings.name, network: settings.network, googleApis, privateServicesAccess: managedServices }, parent);
    const hub = cloud.hub ? new GcpHubAttachment(`${name}-hub`, { ...base, installName: settings.name, hub: cloud.hub, networkId: network.networkId }, parent) : null;
    const cluster = createCluster(this, name, settings, base, network, encryption);
    const ingressDns = createIngressDns(this, name, settings, base, network);
    const data = new GcpData(
      `${name}-data`,
      { ...base, installName: settings.name, release: settings.release, sizing: settings.sizing, datastores: settings.datastores, servicesNetworkId: network.servicesNetworkId, keyId: encryption.keyId },
      parent,
    );
    const registry = settings.registry
      ? new GcpRegistry(`${name}-registry`, { ...base, registry: settings.registry, keyId: encryption.keyId, nodeServiceAccountEmail: cluster.nodeServiceAccountEmail }, parent)
      : null;
    const identity = createIdentity(this, name, settings, base, cluster, data);
    const models = settings.models.hosting === 'cloud-managed' ? new GcpModels(`${name}-models`, { cloud, models: settings.models, googleApis, privateModelService: endpoints.modelService }, parent) : null;

    this.helmValues = withIngressAnnotations(gcpHelmValues(settings, data, identity), ingressDns?.ingressAnnotations ?? null);
    this.outputs = {
      clusterName: cluster.clusterName,
      project: cloud.projectId,
      region: cloud.region,
      network: network.networkId,
      postgresPrivateIp: data.postgresPrivateIp,
      postgresConnectionName: data.postgresConnectionName,
      redisHost: data.redisHost,
      redisInstance: data.redisInstanceName,
      redisServerCa: data.redisServerCa,
      bucketName: data.bucketName,
      registryUrl: registry?.registryUrl ?? null,
      serviceAccountEmails: identity.serviceAccountEmails,
      workloadPool: cluster.workloadPool,
      vertexEndpoint: models?.endpoint ?? null,
      hubPeering: hub?.peeringName ?? null,
      ingressAddress: ingressDns?.address ?? null,
    };
    this.registerOutputs(this.outputs);
  }
}

/** The arguments most GCP components share. */
interface InstallBase {
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  labels: Record<string, string>;
}

/** GKE on the network's subnetwork and ranges, its secrets encrypted with the install's key. */
function createCluster(component: pulumi.Resource, name: string, settings: InstallSettings, base: InstallBase, network: GcpNetwork, encryption: GcpEncryption): GcpCluster {
  return new GcpCluster(
    `${name}-cluster`,
    {
      installName: settings.name,
      cloud: base.cloud,
      project: base.project,
      cluster: settings.cluster,
      networkMode: settings.network.mode,
      sizing: settings.sizing,
      gpuPool: settings.models.gpuPool,
      networkId: network.networkId,
      subnetworkId: network.subnetworkId,
      podRangeName: network.podRangeName,
      serviceRangeName: network.serviceRangeName,
      internalCidr: network.internalCidr,
      keyId: encryption.keyId,
      labels: base.labels,
      releaseChannel: settings.releaseChannel,
    },
    { parent: component },
  );
}

/** The hostname's record in the spec's Cloud DNS zone, on an address reserved for the Ingress; null without ingress.dns. */
function createIngressDns(component: pulumi.Resource, name: string, settings: InstallSettings, base: InstallBase, network: GcpNetwork): GcpIngressDns | null {
  const zone = ingressDnsZone(settings);
  const hostname = settings.ingress?.hostname;
  if (!zone || !hostname) return null;
  return new GcpIngressDns(
    `${name}-ingress-dns`,
    { ...base, installName: settings.name, hostname, exposure: settings.ingress?.exposure ?? 'internal', zone, subnetworkId: network.subnetworkId },
    { parent: component },
  );
}

/** The chart's Ingress asks GKE for the reserved address (its annotation), when the stack reserved one. */
function withIngressAnnotations(layer: InfraLayer, annotations: Record<string, string> | null): InfraLayer {
  if (!annotations) return layer;
  return { ...layer, agentPlatform: layer.agentPlatform.apply((values): Record<string, unknown> => ({ ...values, ingress: { annotations } })) };
}

/** The Google service accounts of the workloads, bound through the cluster's Workload Identity pool. */
function createIdentity(component: pulumi.Resource, name: string, settings: InstallSettings, base: InstallBase, cluster: GcpCluster, data: GcpData): GcpIdentity {
  return new GcpIdentity(
    `${name}-identity`,
    {
      installName: settings.name,
      cloud: base.cloud,
      project: base.project,
      models: settings.models,
      workloads: settings.workloads,
      workloadPool: cluster.workloadPool,
      bucketName: data.bucketName,
      postgresInstanceName: settings.datastores.postgres === 'managed' ? data.postgresInstanceName.apply((instance) => instance!) : null,
    },
    { parent: component },
  );
}

/** The charts' infrastructure values: datastore hosts and the Workload Identity annotations. */
function gcpHelmValues(settings: InstallSettings, data: GcpData, identity: GcpIdentity): InfraLayer {
  // Workload Identity: each Kubernetes service account names the Google service account it acts as.
  const gsaAnnotation = (serviceAccount: string) => {
    const email = identity.serviceAccountEmails[serviceAccount];
    return email ? { 'iam.gke.io/gcp-service-account': email } : undefined;
  };
  const accounts = settings.workloads.serviceAccounts;
  return infraValuesLayer({
    postgresHost: data.postgresPrivateIp,
    postgresPort: data.postgresPort,
    postgresUser: identity.databaseUser,
    // Cloud SQL on its private IP: verify-ca against the instance's own server CA (postgresTls says why not verify-full).
    postgresTls: settings.datastores.postgres === 'managed' ? { sslMode: postgresTls('gcp', 'managed').sslMode, serverCa: {} } : null,
    postgresServerCaPem: data.postgresServerCa,
    redisHost: data.redisHost,
    redisPort: data.redisPort,
    // Memorystore serves in-transit encryption with its own CA; the runbook puts it in this ConfigMap.
    redisCaBundle: settings.datastores.redis === 'managed' ? { configMapName: redisCaConfigMap(settings.name), key: 'ca.crt' } : null,
    serviceAccountAnnotations: { platform: gsaAnnotation(accounts.platform), aiGateway: gsaAnnotation(accounts.aiGateway), modelServer: gsaAnnotation(accounts.modelServer) },
  });
}
