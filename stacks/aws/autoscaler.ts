/**
 * The Kubernetes Cluster Autoscaler for the EKS managed node groups. Chosen over Karpenter because
 * the stack already shapes its capacity as managed node groups (GPU preset, launch templates,
 * taints): the autoscaler scales those groups between the spec's min and max and nothing else,
 * where Karpenter would replace them with its own NodePools, CRDs and an interruption queue.
 *
 * The stack creates the autoscaler's IRSA role (least privilege: it may resize only Auto Scaling
 * groups tagged for this cluster) and the tags it discovers groups by; the runbook installs the
 * chart (like the AWS Load Balancer Controller, it is not part of the platform release).
 */
import type { GpuShape } from '../settings.js';

/** The autoscaler's service account, as the runbook's Helm install names it. */
export const CLUSTER_AUTOSCALER = { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler', release: 'cluster-autoscaler' } as const;

/** Role names are at most 64 characters: the install name (at most 40) plus this suffix. */
export function clusterAutoscalerRoleName(installName: string): string {
  return `${installName}-cluster-autoscaler`;
}

const TAG_PREFIX = 'k8s.io/cluster-autoscaler';

/**
 * The tags auto-discovery (`--node-group-auto-discovery=asg:tag=...`) looks for. EKS puts them on
 * a managed node group's Auto Scaling group itself; the stack also writes them on the node group so
 * the intent is visible (and checked) where the group is declared.
 */
export function autoscalerDiscoveryTags(clusterName: string): Record<string, string> {
  return { [`${TAG_PREFIX}/enabled`]: 'true', [`${TAG_PREFIX}/${clusterName}`]: 'owned' };
}

/**
 * The node-template tags that let the autoscaler scale a group up from zero nodes: with no node to
 * copy, it learns the labels, taints and extended resources (nvidia.com/gpu) a new node would have
 * from the Auto Scaling group's tags. Without them a Pending GPU pod never triggers a scale-up.
 */
export function autoscalerNodeTemplateTags(labels: Record<string, string>, taints: Array<{ key: string; value: string; effect: string }>, shape: GpuShape | null): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) tags[`${TAG_PREFIX}/node-template/label/${key}`] = value;
  for (const taint of taints) tags[`${TAG_PREFIX}/node-template/taint/${taint.key}`] = `${taint.value}:${taint.effect}`;
  if (shape) tags[`${TAG_PREFIX}/node-template/resources/nvidia.com/gpu`] = String(shape.gpus);
  return tags;
}

/**
 * The autoscaler's IAM policy (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws README,
 * "Minimal IAM Permissions Policy"): read-only discovery everywhere, eks:DescribeNodegroup for this
 * cluster's groups (labels and taints of groups at zero), and resizing only groups tagged for it.
 */
export function clusterAutoscalerStatements(partition: string, region: string, accountId: string, clusterName: string): object[] {
  return [
    {
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeTags',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
      ],
      Resource: '*',
    },
    { Effect: 'Allow', Action: ['eks:DescribeNodegroup'], Resource: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${clusterName}/*/*` },
    {
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: '*',
      Condition: { StringEquals: { [`aws:ResourceTag/${TAG_PREFIX}/enabled`]: 'true', [`aws:ResourceTag/${TAG_PREFIX}/${clusterName}`]: 'owned' } },
    },
  ];
}
