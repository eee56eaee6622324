import * as pulumi from '@pulumi/pulumi';
import * as ec2 from '@pulumi/aws/ec2/index.js';
import * as eks from '@pulumi/aws/eks/index.js';
import * as iam from '@pulumi/aws/iam/index.js';
import * as autoscaling from '@pulumi/aws/autoscaling/index.js';
import type { AwsCloud, ClusterSettings, ExistingClusterSettings, GpuPoolSettings, InstallSettings, NewClusterSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { GPU_TAINT, gpuNodeLabels } from '../decisions/gpu.js';
import { cloudSizes } from '../decisions/sizing.js';
import { EBS_CSI_DEFAULT_STORAGE_CLASS, eksAddonVersions } from '../decisions/eks-addons.js';
import { AWS_LAUNCH_TAGGED, managedPolicyArn, policyDocument } from './common.js';
import { createClusterAutoscalerRole, createCoreDns, createEbsCsiDriver, createNetworkingAddons, type AddonContext } from './addons.js';
import { autoscalerDiscoveryTags, autoscalerNodeTemplateTags } from './autoscaler.js';

export interface AwsClusterArgs {
  installName: string;
  cloud: AwsCloud;
  cluster: ClusterSettings;
  networkMode: InstallSettings['network']['mode'];
  sizing: InstallSettings['sizing'];
  /** GPU pool for self-hosted models; null otherwise. */
  gpuPool: GpuPoolSettings | null;
  privateSubnetIds: pulumi.Input<string[]>;
  /** Sources allowed to reach a public API endpoint (publicApiSources, resolved); null keeps the API private. */
  publicAccessCidrs: pulumi.Input<string[]> | null;
  keyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** Always the private endpoint; a public one only with an allow-list (EKS would default it to 0.0.0.0/0). */
export function awsApiEndpointAccess(publicAccessCidrs: pulumi.Input<string[]> | null): { endpointPrivateAccess: boolean; endpointPublicAccess: boolean; publicAccessCidrs?: pulumi.Input<string[]> } {
  return publicAccessCidrs === null ? { endpointPrivateAccess: true, endpointPublicAccess: false } : { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs };
}

/**
 * EKS: a new cluster (private API endpoint, secrets encrypted with the install's key, IRSA) or
 * the spec's existing one; a system node group; a GPU node group only for self-hosted models,
 * shaped by the GPU preset and tainted nvidia.com/gpu=present:NoSchedule; the pinned EKS add-ons
 * (addons.ts); and the cluster autoscaler's role and tags for every group that can grow (autoscaler.ts).
 */
export class AwsCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The OIDC issuer without https://, as IAM trust conditions need it. */
  readonly oidcIssuer: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  /** The cluster autoscaler's IRSA role, for the runbook's autoscaler install; null when no node group can grow. */
  readonly clusterAutoscalerRoleArn: pulumi.Output<string> | null = null;
  /** The default StorageClass the EBS CSI add-on creates (claims that name no class bind with it). */
  readonly defaultStorageClass: string = EBS_CSI_DEFAULT_STORAGE_CLASS;

  constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Cluster', name, {}, opts);
    const { cluster, gpuPool } = args;
    const versions = eksAddonVersions(cluster.kubernetesVersion);
    requireValid('AwsCluster', [
      cluster.mode === 'new' && cluster.systemNodes.min > cluster.systemNodes.max && 'systemNodes.min exceeds systemNodes.max',
      cluster.mode === 'new' && cluster.apiEndpoint === 'public' && args.networkMode === 'air-gapped' && 'an air-gapped cluster cannot have a public API endpoint',
      args.publicAccessCidrs !== null && (cluster.mode !== 'new' || cluster.apiEndpoint !== 'public' || args.networkMode !== 'connected') && 'publicAccessCidrs without a public API endpoint on a connected network',
      gpuPool !== null && gpuPool.minNodes > gpuPool.maxNodes && 'gpuPool.minNodes exceeds gpuPool.maxNodes',
      gpuPool !== null && gpuPool.shape.gpus < 1 && 'the GPU shape has no GPUs',
      versions === null && `no pinned EKS add-on versions for Kubernetes ${cluster.kubernetesVersion} (add a row to stacks/decisions/eks-addons.ts)`,
    ]);

    const controlPlane = cluster.mode === 'new' ? createControlPlane(this, name, args, cluster) : findExistingCluster(this, cluster);
    this.clusterName = controlPlane.clusterName;
    this.oidcProviderArn = controlPlane.oidcProviderArn;
    this.oidcIssuer = controlPlane.issuerUrl.apply((url) => url.replace(/^https:\/\//, ''));
    // Tag keys need the name before the cluster exists: the install's name for a new cluster, the spec's for an existing one.
    const clusterName = cluster.mode === 'new' ? args.installName : cluster.name;
    const context: AddonContext = {
      component: this,
      name,
      installName: args.installName,
      cloud: args.cloud,
      clusterName: this.clusterName,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      versions: versions!,
      keyArn: args.keyArn,
      tags: args.tags,
    };

    const nodeRole = createNodeRole(this, name, args);
    this.nodeRoleArn = nodeRole.role.arn;
    // An existing cluster keeps its own networking add-ons: the runbook prerequisites check the network policy agent there.
    const networking = cluster.mode === 'new' ? createNetworkingAddons(context, nodeRole.attachments) : [];
    const pools: NodePool[] = [];
    if (cluster.mode === 'new') pools.push(createSystemNodeGroup(this, name, args, cluster, nodeRole, clusterName, networking));
    if (gpuPool) pools.push(createGpuNodeGroup(this, name, args, gpuPool, nodeRole, clusterName, networking));
    const groups = pools.map((pool) => pool.group);
    if (cluster.mode === 'new') createCoreDns(context, groups);
    createEbsCsiDriver(context, groups);
    if (pools.some((pool) => pool.scales)) this.clusterAutoscalerRoleArn = createClusterAutoscalerRole(context, clusterName);
    this.registerOutputs({ clusterName: this.clusterName, oidcProviderArn: this.oidcProviderArn, clusterAutoscalerRoleArn: this.clusterAutoscalerRoleArn, defaultStorageClass: this.defaultStorageClass });
  }
}

/** The control plane as the rest of the component sees it, new or existing. */
interface EksControlPlane {
  clusterName: pulumi.Output<string>;
  /** The cluster's OIDC issuer URL, https:// included. */
  issuerUrl: pulumi.Output<string>;
  oidcProviderArn: pulumi.Output<string>;
}

function assumeRoleBy(service: string): string {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);
}

/** A new EKS cluster with its IAM role and the OIDC provider IRSA trusts. */
function createControlPlane(component: pulumi.Resource, name: string, args: AwsClusterArgs, cluster: NewClusterSettings): EksControlPlane {
  const parent = { parent: component };
  const clusterRole = new iam.Role(`${name}-cluster-role`, { name: `${args.installName}-eks-cluster`, assumeRolePolicy: assumeRoleBy('eks.amazonaws.com'), tags: args.tags }, parent);
  const clusterPolicy = new iam.RolePolicyAttachment(`${name}-cluster-policy`, { role: clusterRole.name, policyArn: managedPolicyArn(args.cloud, 'AmazonEKSClusterPolicy') }, parent);
  const created = new eks.Cluster(
    `${name}-eks`,
    {
      name: args.installName,
      version: cluster.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: { subnetIds: args.privateSubnetIds, ...awsApiEndpointAccess(args.publicAccessCidrs) },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { provider: { keyArn: args.keyArn }, resources: ['secrets'] },
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      tags: args.tags,
    },
    { parent: component, dependsOn: [clusterPolicy] },
  );
  const issuerUrl = created.identities.apply((identities) => identities[0]?.oidcs?.[0]?.issuer ?? '');
  const provider = new iam.OpenIdConnectProvider(`${name}-oidc`, { url: issuerUrl, clientIdLists: ['sts.amazonaws.com'], tags: args.tags }, parent);
  return { clusterName: created.name, issuerUrl, oidcProviderArn: provider.arn };
}

/** The spec's existing cluster and the OIDC provider it already has. */
function findExistingCluster(component: pulumi.Resource, cluster: ExistingClusterSettings): EksControlPlane {
  const existing = eks.getClusterOutput({ name: cluster.name }, { parent: component });
  const issuerUrl = existing.identities.apply((identities) => identities[0]?.oidcs?.[0]?.issuer ?? '');
  return { clusterName: existing.name, issuerUrl, oidcProviderArn: iam.getOpenIdConnectProviderOutput({ url: issuerUrl }, { parent: component }).arn };
}

/** The role every node group's instances run as: worker, CNI and image pull policies, with the attachments to wait for. */
function createNodeRole(component: pulumi.Resource, name: string, args: AwsClusterArgs): { role: iam.Role; attachments: pulumi.Resource[] } {
  const role = new iam.Role(`${name}-node-role`, { name: `${args.installName}-eks-node`, assumeRolePolicy: assumeRoleBy('ec2.amazonaws.com'), tags: args.tags }, { parent: component });
  const attachments = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly'].map(
    (policy) => new iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: role.name, policyArn: managedPolicyArn(args.cloud, policy) }, { parent: component }),
  );
  return { role, attachments };
}

/** Managed node groups tag only themselves; the launch template tags what each node launches. */
function createLaunchTemplate(component: pulumi.Resource, name: string, args: AwsClusterArgs, suffix: string, rootVolumeGiB: number | null): { id: pulumi.Output<string>; version: pulumi.Output<string> } {
  const template = new ec2.LaunchTemplate(
    `${name}-${suffix}`,
    {
      namePrefix: `${args.installName}-${suffix}-`,
      updateDefaultVersion: true,
      ...(rootVolumeGiB ? { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: rootVolumeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }] } : {}),
      tagSpecifications: AWS_LAUNCH_TAGGED.map((resourceType) => ({ resourceType, tags: { ...args.tags, Name: `${args.installName}-${suffix}` } })),
      tags: args.tags,
    },
    { parent: component },
  );
  return { id: template.id, version: template.latestVersion.apply((version) => String(version)) };
}

/** A node group and whether the autoscaler may resize it (min below max). */
interface NodePool {
  group: eks.NodeGroup;
  scales: boolean;
}

/** What the system and GPU groups share: the shape of the group, as each passes it. */
interface NodeGroupShape {
  suffix: string;
  nodeGroupName: string;
  instanceType: string;
  amiType: string;
  minSize: number;
  maxSize: number;
  rootVolumeGiB: number | null;
  labels: Record<string, string>;
  taints: Array<{ key: string; value: string; effect: 'NO_SCHEDULE' }>;
}

/**
 * A managed node group that runs as the node role once its policies are attached (and after the
 * networking add-ons of a new cluster). The autoscaler owns the desired size of a group that can
 * grow: the stack sets it once and ignores it afterwards, so `pulumi up` does not scale the group
 * back to its minimum. Such a group carries the autoscaler's discovery tags.
 */
function createNodeGroup(component: AwsCluster, name: string, args: AwsClusterArgs, shape: NodeGroupShape, nodeRole: { role: iam.Role; attachments: pulumi.Resource[] }, clusterName: string, networking: pulumi.Resource[]): NodePool {
  const scales = shape.minSize < shape.maxSize;
  const group = new eks.NodeGroup(
    `${name}-${shape.suffix}`,
    {
      clusterName: component.clusterName,
      nodeGroupName: shape.nodeGroupName,
      nodeRoleArn: nodeRole.role.arn,
      subnetIds: args.privateSubnetIds,
      instanceTypes: [shape.instanceType],
      amiType: shape.amiType,
      scalingConfig: { minSize: shape.minSize, maxSize: shape.maxSize, desiredSize: shape.minSize },
      // With a launch template the root volume is sized there (EKS rejects diskSize next to one).
      launchTemplate: createLaunchTemplate(component, name, args, shape.suffix, shape.rootVolumeGiB),
      labels: shape.labels,
      ...(shape.taints.length > 0 ? { taints: shape.taints } : {}),
      tags: { ...args.tags, ...(scales ? autoscalerDiscoveryTags(clusterName) : {}) },
    },
    { parent: component, dependsOn: [...nodeRole.attachments, ...networking], ignoreChanges: scales ? ['scalingConfig.desiredSize'] : [] },
  );
  return { group, scales };
}

function createSystemNodeGroup(component: AwsCluster, name: string, args: AwsClusterArgs, cluster: NewClusterSettings, nodeRole: { role: iam.Role; attachments: pulumi.Resource[] }, clusterName: string, networking: pulumi.Resource[]): NodePool {
  const shape: NodeGroupShape = {
    suffix: 'system',
    nodeGroupName: 'system',
    instanceType: cloudSizes('aws', args.sizing).systemNode,
    amiType: 'AL2023_x86_64_STANDARD',
    minSize: cluster.systemNodes.min,
    maxSize: cluster.systemNodes.max,
    rootVolumeGiB: null,
    labels: { 'installctl.dev/pool': 'system' },
    taints: [],
  };
  return createNodeGroup(component, name, args, shape, nodeRole, clusterName, networking);
}

/**
 * The GPU group, and the node-template tags on its Auto Scaling group: the autoscaler reads them to
 * scale the group up from zero (EKS does not copy a node group's labels, taints or GPUs there).
 */
function createGpuNodeGroup(component: AwsCluster, name: string, args: AwsClusterArgs, gpuPool: GpuPoolSettings, nodeRole: { role: iam.Role; attachments: pulumi.Resource[] }, clusterName: string, networking: pulumi.Resource[]): NodePool {
  const shape: NodeGroupShape = {
    suffix: 'gpu',
    nodeGroupName: `gpu-${gpuPool.product}`,
    instanceType: gpuPool.shape.name,
    amiType: 'AL2023_x86_64_NVIDIA',
    minSize: gpuPool.minNodes,
    maxSize: gpuPool.maxNodes,
    rootVolumeGiB: 500,
    labels: gpuNodeLabels(),
    taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }],
  };
  const pool = createNodeGroup(component, name, args, shape, nodeRole, clusterName, networking);
  if (pool.scales) {
    const asgName = pool.group.resources.apply((resources) => resources?.[0]?.autoscalingGroups?.[0]?.name ?? '');
    const templateTags = autoscalerNodeTemplateTags({ ...shape.labels, 'node.kubernetes.io/instance-type': gpuPool.shape.name }, [GPU_TAINT], gpuPool.shape);
    Object.entries(templateTags).forEach(
      ([key, value], index) =>
        new autoscaling.Tag(`${name}-gpu-template-${index}`, { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } }, { parent: component }),
    );
  }
  return pool;
}
