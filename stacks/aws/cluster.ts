import * as pulumi from '@pulumi/pulumi';
import * as ec2 from '@pulumi/aws/ec2/index.js';
import * as eks from '@pulumi/aws/eks/index.js';
import * as iam from '@pulumi/aws/iam/index.js';
import type { AwsCloud, ClusterSettings, ExistingClusterSettings, GpuPoolSettings, InstallSettings, NewClusterSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { GPU_TAINT, gpuNodeLabels } from '../decisions/gpu.js';
import { cloudSizes } from '../decisions/sizing.js';
import { serviceAccountSubject } from '../decisions/workloads.js';
import { AWS_LAUNCH_TAGGED, managedPolicyArn, policyDocument } from './common.js';

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
 * shaped by the GPU preset and tainted nvidia.com/gpu=present:NoSchedule; the EBS CSI driver.
 */
export class AwsCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The OIDC issuer without https://, as IAM trust conditions need it. */
  readonly oidcIssuer: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;

  constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Cluster', name, {}, opts);
    const { cluster, gpuPool } = args;
    requireValid('AwsCluster', [
      cluster.mode === 'new' && cluster.systemNodes.min > cluster.systemNodes.max && 'systemNodes.min exceeds systemNodes.max',
      cluster.mode === 'new' && cluster.apiEndpoint === 'public' && args.networkMode === 'air-gapped' && 'an air-gapped cluster cannot have a public API endpoint',
      args.publicAccessCidrs !== null && (cluster.mode !== 'new' || cluster.apiEndpoint !== 'public' || args.networkMode !== 'connected') && 'publicAccessCidrs without a public API endpoint on a connected network',
      gpuPool !== null && gpuPool.minNodes > gpuPool.maxNodes && 'gpuPool.minNodes exceeds gpuPool.maxNodes',
      gpuPool !== null && gpuPool.shape.gpus < 1 && 'the GPU shape has no GPUs',
    ]);

    const controlPlane = cluster.mode === 'new' ? createControlPlane(this, name, args, cluster) : findExistingCluster(this, cluster);
    this.clusterName = controlPlane.clusterName;
    this.oidcProviderArn = controlPlane.oidcProviderArn;
    this.oidcIssuer = controlPlane.issuerUrl.apply((url) => url.replace(/^https:\/\//, ''));

    const nodeRole = createNodeRole(this, name, args);
    this.nodeRoleArn = nodeRole.arn;
    if (cluster.mode === 'new') createSystemNodeGroup(this, name, args, cluster, nodeRole);
    if (gpuPool) createGpuNodeGroup(this, name, args, gpuPool, nodeRole);
    createEbsCsiDriver(this, name, args);
    this.registerOutputs({ clusterName: this.clusterName, oidcProviderArn: this.oidcProviderArn });
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
  new iam.RolePolicyAttachment(`${name}-cluster-policy`, { role: clusterRole.name, policyArn: managedPolicyArn(args.cloud, 'AmazonEKSClusterPolicy') }, parent);
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
    parent,
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

/** The role every node group's instances run as: worker, CNI and image pull policies. */
function createNodeRole(component: pulumi.Resource, name: string, args: AwsClusterArgs): iam.Role {
  const nodeRole = new iam.Role(`${name}-node-role`, { name: `${args.installName}-eks-node`, assumeRolePolicy: assumeRoleBy('ec2.amazonaws.com'), tags: args.tags }, { parent: component });
  ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly'].forEach((policy) =>
    new iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: nodeRole.name, policyArn: managedPolicyArn(args.cloud, policy) }, { parent: component }),
  );
  return nodeRole;
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

function createSystemNodeGroup(component: AwsCluster, name: string, args: AwsClusterArgs, cluster: NewClusterSettings, nodeRole: iam.Role): void {
  new eks.NodeGroup(
    `${name}-system`,
    {
      clusterName: component.clusterName,
      nodeGroupName: 'system',
      nodeRoleArn: nodeRole.arn,
      subnetIds: args.privateSubnetIds,
      instanceTypes: [cloudSizes('aws', args.sizing).systemNode],
      amiType: 'AL2023_x86_64_STANDARD',
      scalingConfig: { minSize: cluster.systemNodes.min, maxSize: cluster.systemNodes.max, desiredSize: cluster.systemNodes.min },
      launchTemplate: createLaunchTemplate(component, name, args, 'system', null),
      labels: { 'installctl.dev/pool': 'system' },
      tags: args.tags,
    },
    { parent: component },
  );
}

function createGpuNodeGroup(component: AwsCluster, name: string, args: AwsClusterArgs, gpuPool: GpuPoolSettings, nodeRole: iam.Role): void {
  new eks.NodeGroup(
    `${name}-gpu`,
    {
      clusterName: component.clusterName,
      nodeGroupName: `gpu-${gpuPool.product}`,
      nodeRoleArn: nodeRole.arn,
      subnetIds: args.privateSubnetIds,
      instanceTypes: [gpuPool.shape.name],
      amiType: 'AL2023_x86_64_NVIDIA',
      scalingConfig: { minSize: gpuPool.minNodes, maxSize: gpuPool.maxNodes, desiredSize: gpuPool.minNodes },
      // With a launch template the root volume is sized there (EKS rejects diskSize next to one).
      launchTemplate: createLaunchTemplate(component, name, args, 'gpu', 500),
      labels: gpuNodeLabels(),
      taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }],
      tags: args.tags,
    },
    { parent: component },
  );
}

/**
 * Persistent volumes (git clone cache, bundled datastores, model weights) need the EBS CSI driver:
 * the add-on and the IRSA role of its controller.
 */
function createEbsCsiDriver(component: AwsCluster, name: string, args: AwsClusterArgs): void {
  const parent = { parent: component };
  const ebsRole = new iam.Role(
    `${name}-ebs-csi`,
    {
      name: `${args.installName}-ebs-csi`,
      assumeRolePolicy: pulumi
        .all([component.oidcProviderArn, component.oidcIssuer])
        .apply(([arn, issuer]) =>
          policyDocument([
            {
              Effect: 'Allow',
              Principal: { Federated: arn },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: { StringEquals: { [`${issuer}:sub`]: serviceAccountSubject('kube-system', 'ebs-csi-controller-sa'), [`${issuer}:aud`]: 'sts.amazonaws.com' } },
            },
          ]),
        ),
      tags: args.tags,
    },
    parent,
  );
  new iam.RolePolicyAttachment(`${name}-ebs-csi`, { role: ebsRole.name, policyArn: managedPolicyArn(args.cloud, 'service-role/AmazonEBSCSIDriverPolicy') }, parent);
  // Volumes the driver creates (bundled datastores, clone caches, weights) carry the install's tags too.
  new eks.Addon(
    `${name}-ebs-csi`,
    { clusterName: component.clusterName, addonName: 'aws-ebs-csi-driver', serviceAccountRoleArn: ebsRole.arn, configurationValues: JSON.stringify({ controller: { extraVolumeTags: args.tags } }), tags: args.tags },
    parent,
  );
}
