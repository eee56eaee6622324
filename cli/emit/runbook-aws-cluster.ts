/**
 * RUNBOOK.md prerequisites of an EKS cluster beyond ingress: the cluster autoscaler the stack
 * prepared (role and tags; the runbook installs the chart, like the AWS Load Balancer Controller),
 * the default StorageClass the EBS CSI add-on creates, and on an existing cluster the network
 * policy agent the stack does not manage there.
 */
import type { AwsCloud, InstallSettings } from '../../stacks/settings.js';
import { CLUSTER_AUTOSCALER } from '../../stacks/aws/autoscaler.js';
import { AWS_STORAGE_CLASS, awsStorageClassManifest, EBS_CSI_DEFAULT_STORAGE_CLASS, eksAddonVersions, VPC_CNI_CONFIGURATION } from '../../stacks/decisions/eks-addons.js';
import { markdownCode } from '../lib/markdown-text.js';
import { operand, operator, option, shellLine, shellWord, syntax } from './shell.js';

/** `"$(jq -r .KEY pulumi-outputs.json)"`: a stack output the runbook saved in step 1. */
const output = (key: string) => syntax(`"$(jq -r .${key} pulumi-outputs.json)"`);

/** Whether the stack created node groups the autoscaler may resize (and so its role): the same test as the stack's. */
export function awsNodeGroupsScale(settings: InstallSettings): boolean {
  const system = settings.cluster.mode === 'new' && settings.cluster.systemNodes.min < settings.cluster.systemNodes.max;
  const gpu = settings.models.gpuPool !== null && settings.models.gpuPool.minNodes < settings.models.gpuPool.maxNodes;
  return system || gpu;
}

/** The cluster autoscaler: installed when its deployment is missing, with the stack's role and the image of the cluster's minor. */
function autoscaler(settings: InstallSettings, cloud: AwsCloud, mirror: string): { bullets: string[]; commands: string[] } {
  const ca = CLUSTER_AUTOSCALER;
  const airGapped = settings.network.mode === 'air-gapped';
  const tag = eksAddonVersions(settings.cluster.kubernetesVersion)?.clusterAutoscaler;
  const source = airGapped
    ? [`oci://${mirror}/charts/cluster-autoscaler`, '--set', `image.repository=${mirror}/autoscaling/cluster-autoscaler`]
    : ['cluster-autoscaler', '--repo', 'https://kubernetes.github.io/autoscaler'];
  const check = ['kubectl', ...option('-n', ca.namespace), 'get', 'deployment', ca.release];
  return {
    bullets: [
      `- Node autoscaling: the Kubernetes Cluster Autoscaler resizes the node groups between their min and max (GPU nodes from zero). The stack tagged the groups and created its IAM role (output \`clusterAutoscalerRoleArn\`, trusted by ${ca.namespace}/${ca.serviceAccount}); the line below installs it when missing, at the image of the cluster's Kubernetes minor${tag ? ` (${markdownCode(tag)})` : ''}.`,
      ...(airGapped
        ? [
            `- Air-gapped: the autoscaler's chart and image are not in the installctl bundle; mirror them to ${markdownCode(`${mirror}/charts/cluster-autoscaler`)} and ${markdownCode(`${mirror}/autoscaling/cluster-autoscaler`)} first.`,
          ]
        : []),
    ],
    commands: [
      shellLine([
        ...check,
        operator('>/dev/null 2>&1 ||'),
        'helm',
        'upgrade',
        '--install',
        ca.release,
        ...source,
        '-n',
        ca.namespace,
        '--set',
        `fullnameOverride=${ca.release}`,
        '--set',
        shellWord('autoDiscovery.clusterName=', output('clusterName')),
        '--set',
        `awsRegion=${cloud.region}`,
        ...(tag ? ['--set', `image.tag=${tag}`] : []),
        '--set',
        `rbac.serviceAccount.name=${ca.serviceAccount}`,
        '--set',
        shellWord('rbac.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=', output('clusterAutoscalerRoleArn')),
        '--wait',
      ]),
      shellLine(check, 'the autoscaler runs: Pending pods grow the node groups'),
    ],
  };
}

/** An existing cluster keeps its own vpc-cni: the charts' NetworkPolicies are enforced only when its network policy agent is on. */
function existingClusterNetworkPolicies(clusterName: string, cloud: AwsCloud): { bullets: string[]; commands: string[] } {
  const setting = JSON.stringify(VPC_CNI_CONFIGURATION);
  return {
    bullets: [
      `- NetworkPolicies: the stack does not manage the networking add-ons of an existing cluster, and EKS enforces NetworkPolicies only when the vpc-cni add-on runs its network policy agent. Its configuration must hold ${markdownCode(setting)} (merge it into the add-on's configuration values: \`aws eks update-addon --addon-name vpc-cni --configuration-values ...\`); without it every NetworkPolicy of the charts is a silent no-op.`,
    ],
    commands: [
      shellLine(
        [
          'aws',
          'eks',
          'describe-addon',
          ...option('--cluster-name', clusterName),
          '--addon-name',
          'vpc-cni',
          ...option('--region', cloud.region),
          '--query',
          'addon.configurationValues',
          '--output',
          'text',
        ],
        `holds "enableNetworkPolicy":"true"`,
      ),
    ],
  };
}

/**
 * The class the charts' claims name (gp3, encrypted with the install's key), created here because
 * the stack has no Kubernetes provider; and the add-on's default class for claims that name none.
 */
function storageClasses(settings: InstallSettings): { bullets: string[]; commands: string[] } {
  // The manifest as a jq program: the key comes in as $key, so no value is spliced into shell text.
  const manifest = JSON.stringify(awsStorageClassManifest('KEY')).replace('"KEY"', '$key');
  const classCheck = ['kubectl', 'get', 'storageclass', operand(AWS_STORAGE_CLASS)];
  return {
    bullets: [
      `- Storage: the charts' volume claims name the StorageClass ${markdownCode(AWS_STORAGE_CLASS)}: gp3 volumes encrypted with the install's KMS key (output \`kmsKeyArn\`, which the stack let the EBS CSI driver use); the line below creates it when missing. The stack's EBS CSI add-on also creates the default class ${markdownCode(EBS_CSI_DEFAULT_STORAGE_CLASS)} (EKS 1.30 and later have none), encrypted only where the account encrypts EBS volumes by default.${settings.cluster.mode === 'existing' ? ' On an existing cluster that already runs the aws-ebs-csi-driver add-on, import it into the stack (`pulumi import aws:eks/addon:Addon`) before `pulumi up`.' : ''}`,
    ],
    commands: [
      shellLine([...classCheck, operator('>/dev/null 2>&1 ||'), 'jq', '-n', '--arg', 'key', output('kmsKeyArn'), manifest, operator('|'), 'kubectl', 'apply', '-f', '-']),
      shellLine(classCheck, 'gp3, encrypted with the install key: what the claims bind with'),
      shellLine(['kubectl', 'get', 'storageclass', operand(EBS_CSI_DEFAULT_STORAGE_CLASS)], 'the default class, for claims that name none'),
    ],
  };
}

/** What an EKS cluster needs before the charts beyond ingress: the autoscaler, the default StorageClass and, on an existing cluster, NetworkPolicy enforcement. */
export function awsClusterPrerequisites(settings: InstallSettings, cloud: AwsCloud, mirror: string): { bullets: string[]; commands: string[] } {
  const bullets: string[] = [];
  const commands: string[] = [];
  if (awsNodeGroupsScale(settings)) {
    const scaling = autoscaler(settings, cloud, mirror);
    bullets.push(...scaling.bullets);
    commands.push(...scaling.commands);
  }
  const storage = storageClasses(settings);
  bullets.push(...storage.bullets);
  commands.push(...storage.commands);
  if (settings.cluster.mode === 'existing') {
    const policies = existingClusterNetworkPolicies(settings.cluster.name, cloud);
    bullets.push(...policies.bullets);
    commands.push(...policies.commands);
  }
  return { bullets, commands };
}
