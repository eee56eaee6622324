import * as pulumi from '@pulumi/pulumi';
import type { InstallSettings } from '../settings.js';
import { cloudOf } from '../settings.js';
import { awsIngressDns } from '../decisions/ingress.js';
import { resourceTags } from '../tags.js';
import { planEndpoints, publicApiSources } from '../decisions/endpoints.js';
import { AwsEncryption } from './encryption.js';
import { AwsNetwork } from './network.js';
import { AwsCluster } from './cluster.js';
import { AwsData } from './data.js';
import { AwsRegistry } from './registry.js';
import { AwsIdentity } from './identity.js';
import { AwsModels } from './models.js';
import { AwsDns } from './dns.js';
import { infraValuesLayer, type InfraLayer } from '../helm-layer.js';
import { postgresCaConfigMap, postgresTls } from '../decisions/datastores.js';

export interface AwsInstallArgs {
  settings: InstallSettings;
  /** ElastiCache AUTH token, from `pulumi config set --secret installctl:redisAuthToken` (managed Redis only). */
  redisAuthToken?: pulumi.Input<string>;
}

/** The whole AWS install: one component per concern, wired together. */
export class AwsInstall extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Input<unknown>>;
  /** The infrastructure values layer for the Helm charts. */
  readonly helmValues: InfraLayer;

  constructor(name: string, args: AwsInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Install', name, {}, opts);
    const { settings } = args;
    const cloud = cloudOf(settings, 'aws');
    const tags = resourceTags(settings);
    const endpoints = planEndpoints({ ...settings, newNetwork: cloud.vpc.mode === 'new' });
    const parent = { parent: this };

    const encryption = new AwsEncryption(`${name}-encryption`, { installName: settings.name, cloud, tags }, parent);
    const network = new AwsNetwork(`${name}-network`, { installName: settings.name, cloud, network: settings.network, endpoints, tags }, parent);
    const sources = publicApiSources(settings.cluster, settings.network.mode, network.natPublicIps !== null);
    const publicAccessCidrs =
      sources.kind === 'cidrs' ? pulumi.output(sources.cidrs) : sources.kind === 'own-egress' ? network.natPublicIps!.apply((ips) => ips.map((ip) => `${ip}/32`)) : null;
    const cluster = new AwsCluster(
      `${name}-cluster`,
      { installName: settings.name, cloud, cluster: settings.cluster, networkMode: settings.network.mode, sizing: settings.sizing, gpuPool: settings.models.gpuPool, privateSubnetIds: network.privateSubnetIds, publicAccessCidrs, keyArn: encryption.keyArn, tags },
      parent,
    );
    const data = new AwsData(
      `${name}-data`,
      { installName: settings.name, release: settings.release, cloud, sizing: settings.sizing, datastores: settings.datastores, vpcId: network.vpcId, vpcCidr: network.vpcCidr, privateSubnetIds: network.privateSubnetIds, keyArn: encryption.keyArn, redisAuthToken: args.redisAuthToken, tags },
      parent,
    );
    const registry = settings.registry ? new AwsRegistry(`${name}-registry`, { installName: settings.name, cloud, registry: settings.registry, keyArn: encryption.keyArn, tags }, parent) : null;
    const identity = new AwsIdentity(
      `${name}-identity`,
      { installName: settings.name, cloud, models: settings.models, workloads: settings.workloads, oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer, bucketArn: data.bucketArn, keyArn: encryption.keyArn, postgresResourceId: data.postgresResourceId, tags },
      parent,
    );
    const models =
      settings.models.hosting === 'cloud-managed'
        ? new AwsModels(`${name}-models`, { installName: settings.name, cloud, models: settings.models, endpoints, vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds, endpointSecurityGroupId: network.endpointSecurityGroupId, tags }, parent)
        : null;

    const dns = new AwsDns(`${name}-dns`, { cloud, dns: awsIngressDns(settings), vpcId: network.vpcId }, parent);

    const roleAnnotation = (serviceAccount: string) => {
      const arn = identity.roleArns[serviceAccount];
      return arn ? { 'eks.amazonaws.com/role-arn': arn } : undefined;
    };
    const accounts = settings.workloads.serviceAccounts;
    this.helmValues = infraValuesLayer({
      postgresHost: data.postgresEndpoint,
      postgresPort: data.postgresPort,
      postgresUser: identity.databaseUser,
      // RDS: verify-full against the RDS global bundle, which the runbook puts in this ConfigMap (no public root signs RDS).
      postgresTls:
        settings.datastores.postgres === 'managed'
          ? { sslMode: postgresTls('aws', 'managed').sslMode, serverCa: { configMapName: postgresCaConfigMap(settings.name), key: 'ca.crt' } }
          : null,
      redisHost: data.redisEndpoint,
      redisPort: data.redisPort,
      serviceAccountAnnotations: { platform: roleAnnotation(accounts.platform), aiGateway: roleAnnotation(accounts.aiGateway), modelServer: roleAnnotation(accounts.modelServer) },
    });
    this.outputs = {
      clusterName: cluster.clusterName,
      region: cloud.region,
      vpcId: network.vpcId,
      postgresEndpoint: data.postgresEndpoint,
      postgresAdminSecretArn: data.postgresAdminSecretArn,
      redisEndpoint: data.redisEndpoint,
      bucketName: data.bucketName,
      registryUrl: registry?.registryUrl ?? null,
      serviceAccountRoleArns: identity.roleArns,
      loadBalancerControllerRoleArn: identity.loadBalancerControllerRoleArn,
      modelEndpoint: models?.runtimeEndpoint ?? null,
      clusterAutoscalerRoleArn: cluster.clusterAutoscalerRoleArn,
      defaultStorageClass: cluster.defaultStorageClass,
      // The key the runbook's gp3 StorageClass encrypts volumes with (AWS_STORAGE_CLASS).
      kmsKeyArn: encryption.keyArn,
      ingressZoneId: dns.zoneId,
    };
    this.registerOutputs(this.outputs);
  }
}
