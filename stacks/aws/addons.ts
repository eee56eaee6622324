/**
 * The EKS add-ons and the in-cluster identities of the AWS cluster component, created under it:
 * vpc-cni (with its network policy agent, so the charts' NetworkPolicies are enforced) and
 * kube-proxy before any node joins; coredns and the EBS CSI driver (with the default StorageClass
 * EKS 1.30+ lacks, and use of the install's key for the encrypted gp3 class) once nodes exist; the cluster autoscaler's IRSA role. Every add-on
 * is pinned to the version of stacks/decisions/eks-addons.ts for the cluster's Kubernetes minor, and
 * everything that runs as a role waits for that role's policy attachments (an add-on or node group
 * created first fails, or comes up without the permissions it was started with).
 */
import * as pulumi from '@pulumi/pulumi';
import * as eks from '@pulumi/aws/eks/index.js';
import * as iam from '@pulumi/aws/iam/index.js';
import { VPC_CNI_CONFIGURATION, type EksAddon } from '../decisions/eks-addons.js';
import { serviceAccountSubject } from '../decisions/workloads.js';
import type { AwsCloud } from '../settings.js';
import { CLUSTER_AUTOSCALER, clusterAutoscalerRoleName, clusterAutoscalerStatements } from './autoscaler.js';
import { managedPolicyArn, partitionOf, policyDocument } from './common.js';

/** What the add-ons need from the cluster component. */
export interface AddonContext {
  component: pulumi.Resource;
  name: string;
  installName: string;
  cloud: AwsCloud;
  clusterName: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuer: pulumi.Input<string>;
  versions: Readonly<Record<EksAddon, string>>;
  /** The install's KMS key: the EBS CSI driver encrypts the charts' volumes with it (class AWS_STORAGE_CLASS). */
  keyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** A role only the given kube-system service account may assume, through the cluster's OIDC provider (IRSA). */
function irsaRole(context: AddonContext, resourceName: string, roleName: string, serviceAccount: string): iam.Role {
  return new iam.Role(
    resourceName,
    {
      name: roleName,
      assumeRolePolicy: pulumi.all([context.oidcProviderArn, context.oidcIssuer]).apply(([arn, issuer]) =>
        policyDocument([
          {
            Effect: 'Allow',
            Principal: { Federated: arn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { [`${issuer}:sub`]: serviceAccountSubject('kube-system', serviceAccount), [`${issuer}:aud`]: 'sts.amazonaws.com' } },
          },
        ]),
      ),
      tags: context.tags,
    },
    { parent: context.component },
  );
}

/**
 * One managed add-on at its pinned version. New clusters start with self-managed vpc-cni, kube-proxy
 * and coredns: OVERWRITE lets the managed add-on take them over (and keeps the stack's configuration
 * authoritative on update), as terraform-aws-eks does.
 */
function addon(context: AddonContext, addonName: EksAddon, extra: Partial<eks.AddonArgs>, dependsOn: pulumi.Resource[]): eks.Addon {
  return new eks.Addon(
    `${context.name}-${addonName === 'aws-ebs-csi-driver' ? 'ebs-csi' : addonName}`,
    {
      clusterName: context.clusterName,
      addonName,
      addonVersion: context.versions[addonName],
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...extra,
      tags: context.tags,
    },
    { parent: context.component, dependsOn },
  );
}

/**
 * Pod networking, before nodes join (terraform-aws-eks `before_compute`): nodes come up with the
 * network policy agent already on. The CNI runs as the node role (AmazonEKS_CNI_Policy), so it waits
 * for the node role's attachments like the node groups do.
 */
export function createNetworkingAddons(context: AddonContext, nodeRoleAttachments: pulumi.Resource[]): eks.Addon[] {
  return [
    addon(context, 'vpc-cni', { configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) }, nodeRoleAttachments),
    addon(context, 'kube-proxy', {}, nodeRoleAttachments),
  ];
}

/** CoreDNS needs nodes to schedule on: created after the node groups, or it reports Degraded until they exist. */
export function createCoreDns(context: AddonContext, nodeGroups: pulumi.Resource[]): eks.Addon {
  return addon(context, 'coredns', {}, nodeGroups);
}

/**
 * What the EBS CSI controller needs on a customer-managed key to create and attach volumes
 * encrypted with it (aws-ebs-csi-driver docs, "KMS key policy"): grants for EBS only, and data keys.
 */
export function ebsCsiKeyStatements(keyArn: string): object[] {
  return [
    { Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: [keyArn], Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: [keyArn] },
  ];
}

/**
 * Persistent volumes (git clone cache, bundled datastores, model weights) need the EBS CSI driver:
 * the add-on, the IRSA role of its controller (with use of the install's key for the encrypted gp3
 * class), and the default StorageClass the add-on creates. Volumes the driver creates carry the
 * install's tags too.
 */
export function createEbsCsiDriver(context: AddonContext, nodeGroups: pulumi.Resource[]): eks.Addon {
  const role = irsaRole(context, `${context.name}-ebs-csi`, `${context.installName}-ebs-csi`, 'ebs-csi-controller-sa');
  const attachment = new iam.RolePolicyAttachment(
    `${context.name}-ebs-csi`,
    { role: role.name, policyArn: managedPolicyArn(context.cloud, 'service-role/AmazonEBSCSIDriverPolicy') },
    { parent: context.component },
  );
  const useKey = new iam.RolePolicy(
    `${context.name}-ebs-csi-kms`,
    { role: role.id, policy: pulumi.output(context.keyArn).apply((keyArn) => policyDocument(ebsCsiKeyStatements(keyArn))) },
    { parent: context.component },
  );
  const configuration = { controller: { extraVolumeTags: context.tags }, defaultStorageClass: { enabled: true } };
  return addon(context, 'aws-ebs-csi-driver', { serviceAccountRoleArn: role.arn, configurationValues: JSON.stringify(configuration) }, [attachment, useKey, ...nodeGroups]);
}

/** The cluster autoscaler's IRSA role, allowed to resize only this cluster's tagged groups. */
export function createClusterAutoscalerRole(context: AddonContext, clusterName: string): pulumi.Output<string> {
  const role = irsaRole(context, `${context.name}-cluster-autoscaler`, clusterAutoscalerRoleName(context.installName), CLUSTER_AUTOSCALER.serviceAccount);
  const statements = clusterAutoscalerStatements(partitionOf(context.cloud.region), context.cloud.region, context.cloud.accountId, clusterName);
  new iam.RolePolicy(`${context.name}-cluster-autoscaler`, { role: role.id, policy: policyDocument(statements) }, { parent: context.component });
  return role.arn;
}
