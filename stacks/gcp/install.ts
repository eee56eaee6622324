import * as pulumi from '@pulumi/pulumi';
import type { InstallSettings } from '../settings.js';
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
import { infraValuesLayer, type InfraLayer } from '../helm-layer.js';
import { redisCaConfigMap } from '../decisions/datastores.js';

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
    const encryption = new GcpEncryption(`${name}-encryption`, { installName: settings.name, cloud, project, keyUsers: keyUsers(settings), labels }, parent);
    const network = new GcpNetwork(`${name}-network`, { installName: settings.name, cloud, project, network: settings.network, googleApis, privateServicesAccess: managedServices, labels }, parent);
    const cluster = new GcpCluster(
      `${name}-cluster`,
      {
        installName: settings.name,
        cloud,
        project,
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
        labels,
      },
      parent,
    );
    const data = new GcpData(
      `${name}-data`,
      { installName: settings.name, cloud, project, sizing: settings.sizing, datastores: settings.datastores, servicesNetworkId: network.servicesNetworkId, keyId: encryption.keyId, labels },
      parent,
    );
    const registry = settings.registry
      ? new GcpRegistry(`${name}-registry`, { cloud, project, registry: settings.registry, keyId: encryption.keyId, nodeServiceAccountEmail: cluster.nodeServiceAccountEmail, labels }, parent)
      : null;
    const identity = new GcpIdentity(
      `${name}-identity`,
      {
        installName: settings.name,
        cloud,
        project,
        models: settings.models,
        workloads: settings.workloads,
        workloadPool: cluster.workloadPool,
        bucketName: data.bucketName,
        postgresInstanceName: settings.datastores.postgres === 'managed' ? data.postgresInstanceName.apply((instance) => instance!) : null,
      },
      parent,
    );
    const models = settings.models.hosting === 'cloud-managed' ? new GcpModels(`${name}-models`, { cloud, models: settings.models, googleApis, privateModelService: endpoints.modelService }, parent) : null;

    // Workload Identity: each Kubernetes service account names the Google service account it acts as.
    const gsaAnnotation = (serviceAccount: string) => {
      const email = identity.serviceAccountEmails[serviceAccount];
      return email ? { 'iam.gke.io/gcp-service-account': email } : undefined;
    };
    const accounts = settings.workloads.serviceAccounts;
    this.helmValues = infraValuesLayer({
      postgresHost: data.postgresPrivateIp,
      postgresUser: identity.databaseUser,
      redisHost: data.redisHost,
      redisPort: data.redisPort,
      // Memorystore serves in-transit encryption with its own CA; the runbook puts it in this ConfigMap.
      redisCaBundle: settings.datastores.redis === 'managed' ? { configMapName: redisCaConfigMap(settings.name), key: 'ca.crt' } : null,
      serviceAccountAnnotations: { platform: gsaAnnotation(accounts.platform), aiGateway: gsaAnnotation(accounts.aiGateway), modelServer: gsaAnnotation(accounts.modelServer) },
    });
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
    };
    this.registerOutputs(this.outputs);
  }
}
