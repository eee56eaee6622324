/**
 * RUNBOOK.md's "Cluster access" step: how this host reaches the cluster's API server before any
 * kubectl or helm line runs. The clusters installctl creates have a private endpoint unless the
 * spec lists public sources, so the step says how to get inside (bastion, port forward, VPN) first.
 */
import type { AwsCloud, AzureCloud, GcpCloud, InstallSettings } from '../../stacks/settings.js';
import { publicApiSources } from '../../stacks/decisions/endpoints.js';
import { gcpName } from '../../stacks/gcp/common.js';
import { markdownCode, markdownText } from '../lib/markdown-text.js';
import { operand, option, shellLine, shellWord, syntax } from './shell.js';

export interface ClusterAccess {
  /** Bullets before the step's commands (empty when the endpoint is reachable as it is). */
  bullets: string[];
  /** Commands that get this host onto the API server, then the kubeconfig line. */
  commands: string[];
}

/**
 * private: installctl created it without public sources (render never sets them, so a public
 * endpoint open only to the install's own NAT addresses is out of reach too); unknown: an existing
 * cluster, whose endpoint the spec does not describe.
 */
export function apiReach(settings: InstallSettings): 'private' | 'public' | 'unknown' {
  if (settings.cluster.mode === 'existing') return 'unknown';
  return publicApiSources(settings.cluster, settings.network.mode, false).kind === 'cidrs' ? 'public' : 'private';
}

const clusterName = (settings: InstallSettings) => (settings.cluster.mode === 'existing' ? settings.cluster.name : settings.name);

/** The kubeconfig's cluster entry of the current context, as get-credentials/update-kubeconfig named it. */
const currentCluster = syntax('"$(kubectl config view --minify -o jsonpath=\'{.clusters[0].name}\')"');

/** `"${ENDPOINT#https://}"`: the API server's host name without its scheme. */
const endpointHost = syntax('"${ENDPOINT#https://}"');

/** How this host reaches the API server (see apiReach). */
type Reach = ReturnType<typeof apiReach>;

export function clusterAccess(settings: InstallSettings): ClusterAccess {
  const cloud = settings.cloud;
  if (!cloud) return onpremAccess(settings);
  const reach = apiReach(settings);
  const cluster = clusterName(settings);
  // The first sentence of a cloud's bullet when the endpoint is (or may be) private.
  const opening =
    reach === 'private'
      ? "The cluster's API endpoint is private: nothing outside its network reaches it."
      : "If the cluster's API endpoint is private, nothing outside its network reaches it.";
  switch (cloud.type) {
    case 'aws':
      return awsAccess(cloud, cluster, reach, opening, settings.network.mode === 'air-gapped');
    case 'azure':
      return azureAccess(cloud, cluster, reach, opening);
    case 'gcp':
      return gcpAccess(cloud, cluster, reach, opening, settings.name);
  }
}

/** On-prem: the kube context's API server, reached over the site's network. */
function onpremAccess(settings: InstallSettings): ClusterAccess {
  return {
    bullets: [
      `- The API server of context ${markdownCode(settings.onprem!.kubeContext)} must be reachable from this host: connect to the site's VPN, or run the steps below on a jump host in the cluster's network.`,
    ],
    commands: [
      shellLine(['kubectl', 'config', 'use-context', operand(settings.onprem!.kubeContext)]),
      shellLine(['kubectl', 'cluster-info'], 'answers only once the API server is reachable'),
    ],
  };
}

/** EKS: a bastion in the VPC, or an SSM port forward through it; in a new VPC, how to get a bastion or come in over the site's attachment. */
function awsAccess(cloud: AwsCloud, cluster: string, reach: Reach, opening: string, airGapped: boolean): ClusterAccess {
  const kubeconfig = shellLine(['aws', 'eks', 'update-kubeconfig', ...option('--name', cluster), ...option('--region', cloud.region)]);
  if (reach === 'public') return { bullets: [], commands: [kubeconfig] };
  const site = awsSiteAccess(cloud, cluster, airGapped);
  return {
    bullets: [
      `- ${opening} Run the steps below from a host inside the VPC (a bastion instance in its private subnets, reached with Session Manager: no inbound port, an instance profile with AmazonSSMManagedInstanceCore), over the site's VPN or Direct Connect, or forward the endpoint to this host through that bastion as below (\`BASTION_INSTANCE_ID\`: its instance id; the port forward keeps running, so start it in a second terminal).`,
      ...site.bullets,
    ],
    commands: [
      ...site.commands,
      kubeconfig,
      shellLine([shellWord('ENDPOINT=', describeCluster(cloud, cluster, 'cluster.endpoint'))], 'https://<id>.<region>.eks.amazonaws.com'),
      shellLine(
        [
          'aws',
          'ssm',
          'start-session',
          ...option('--region', cloud.region),
          '--target',
          syntax('"$BASTION_INSTANCE_ID"'),
          '--document-name',
          'AWS-StartPortForwardingSessionToRemoteHost',
          '--parameters',
          shellWord('host=', endpointHost, ',portNumber=443,localPortNumber=8443'),
        ],
        'second terminal; only without a VPN or a shell on the bastion',
      ),
      shellLine(
        ['kubectl', 'config', 'set-cluster', currentCluster, '--server=https://127.0.0.1:8443', shellWord('--tls-server-name=', endpointHost)],
        'only with the port forward: through it, the certificate still checked for the endpoint',
      ),
    ],
  };
}

/** `"$(aws eks describe-cluster ... --query QUERY --output text)"` */
function describeCluster(cloud: AwsCloud, cluster: string, query: string) {
  return syntax(`"$(${shellLine(['aws', 'eks', 'describe-cluster', ...option('--name', cluster), ...option('--region', cloud.region), '--query', query, '--output', 'text'])})"`);
}

/**
 * A new air-gapped VPC has the Session Manager endpoints (the stack creates them), so a bastion in
 * the cluster security group works without internet; a VPC attached to the site (vpc.attachments)
 * reaches the private endpoint over the Transit Gateway once the cluster security group admits the
 * operators' network.
 */
function awsSiteAccess(cloud: AwsCloud, cluster: string, airGapped: boolean): ClusterAccess {
  const bastion = cloud.vpc.mode === 'new' && airGapped;
  const attachments = cloud.vpc.mode === 'new' ? (cloud.attachments ?? null) : null;
  const bullets: string[] = [];
  const commands: string[] = [];
  if (bastion || attachments) commands.push(shellLine([shellWord('CLUSTER_SG=', describeCluster(cloud, cluster, 'cluster.resourcesVpcConfig.clusterSecurityGroupId'))]));
  if (bastion) {
    bullets.push(
      '- The VPC has no internet: the stack created the Session Manager endpoints (`ssm`, `ssmmessages`, `ec2messages`), so a bastion works without it. Without one yet, launch it as below (`BASTION_PROFILE`: an instance profile with AmazonSSMManagedInstanceCore), in the cluster security group so the API endpoint admits it.',
    );
    const runInstances = shellLine([
      'aws',
      'ec2',
      'run-instances',
      ...option('--region', cloud.region),
      ...option('--image-id', 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'),
      ...option('--instance-type', 't3.micro'),
      '--subnet-id',
      describeCluster(cloud, cluster, 'cluster.resourcesVpcConfig.subnetIds[0]'),
      '--security-group-ids',
      syntax('"$CLUSTER_SG"'),
      '--iam-instance-profile',
      shellWord('Name=', syntax('"$BASTION_PROFILE"')),
      ...option('--metadata-options', 'HttpTokens=required'),
      '--query',
      'Instances[0].InstanceId',
      '--output',
      'text',
    ]);
    commands.push(shellLine([shellWord('BASTION_INSTANCE_ID=', syntax(`"$(${runInstances})"`))], 'once; skip with a bastion or a VPN'));
  }
  if (attachments) {
    bullets.push(
      `- The VPC is attached to Transit Gateway ${markdownCode(attachments.transitGatewayId)} with routes to ${attachments.routes.map((cidr) => markdownCode(cidr)).join(', ')}: hosts there reach the private endpoint directly once the cluster security group admits them on 443 (the \`authorize-security-group-ingress\` line; \`SITE_CIDR\`: the operators' network).`,
    );
    commands.push(
      shellLine(
        [
          'aws',
          'ec2',
          'authorize-security-group-ingress',
          ...option('--region', cloud.region),
          '--group-id',
          syntax('"$CLUSTER_SG"'),
          '--protocol',
          'tcp',
          '--port',
          '443',
          '--cidr',
          syntax('"$SITE_CIDR"'),
        ],
        'once; only for hosts on the site network',
      ),
    );
  }
  return { bullets, commands };
}

/** AKS: a jump VM through Azure Bastion, or az aks command invoke. */
/** AKS: a jump VM through Azure Bastion (in the VNet or its hub), or az aks command invoke; kubectl signs in with Entra ID. */
function azureAccess(cloud: AzureCloud, cluster: string, reach: Reach, opening: string): ClusterAccess {
  const kubeconfig = shellLine(['az', 'aks', 'get-credentials', ...option('--resource-group', cloud.resourceGroup), ...option('--name', cluster)]);
  // Local accounts are off: the kubeconfig's user signs in through kubelogin with the az CLI's login.
  const signIn = [kubeconfig, shellLine(['kubelogin', 'convert-kubeconfig', '-l', 'azurecli'], 'kubectl signs in with your az login (Entra ID)')];
  const admins = azureAdminsBullet(cloud, reach);
  if (reach === 'public') return { bullets: [admins], commands: signIn };
  return {
    bullets: [
      `- ${opening} Run the steps below from a jump VM in the VNet${cloud.hub ? ' or in the hub it is peered with' : ''} (through Azure Bastion, as below: \`BASTION_NAME\`, \`BASTION_RESOURCE_GROUP\` and \`JUMP_VM_ID\` are yours), over the site's VPN or ExpressRoute, or, for a single command, with \`az aks command invoke\`, which runs kubectl or helm inside the cluster without a network path (the check below).`,
      ...(cloud.hub && reach === 'private'
        ? [
            "- From the hub, the API server's name resolves only where its private DNS zone (AKS keeps it in the node resource group) is linked: link it to the hub VNet once, as below, unless the hub's DNS forwards to the VNet.",
          ]
        : []),
      admins,
    ],
    commands: [
      ...(cloud.hub && reach === 'private' ? hubZoneLink(cloud, cloud.hub.vnetId, cluster) : []),
      shellLine(
        [
          'az',
          'network',
          'bastion',
          'ssh',
          '--name',
          syntax('"$BASTION_NAME"'),
          '--resource-group',
          syntax('"$BASTION_RESOURCE_GROUP"'),
          '--target-resource-id',
          syntax('"$JUMP_VM_ID"'),
          '--auth-type',
          'AAD',
        ],
        'a shell on the jump VM: run the steps below there',
      ),
      shellLine(
        ['az', 'aks', 'command', 'invoke', ...option('--resource-group', cloud.resourceGroup), ...option('--name', cluster), '--command', 'kubectl get nodes'],
        'works from anywhere the az CLI is logged in',
      ),
      ...signIn,
    ],
  };
}

/** Who may run kubectl: the stack's Azure Kubernetes Service RBAC Cluster Admins, or an existing cluster's owners. */
function azureAdminsBullet(cloud: AzureCloud, reach: Reach): string {
  if (reach === 'unknown')
    return '- Sign-in: kubectl needs an Azure RBAC role on the existing cluster (Azure Kubernetes Service RBAC Cluster Admin for the install), which its owner grants; without one every kubectl line gets 403.';
  const admins = cloud.clusterAdmins ?? [];
  const who =
    admins.length > 0
      ? admins.map((admin) => `${markdownCode(admin.objectId)} (${admin.type})`).join(', ')
      : 'the identity that ran `pulumi up` (platform.clusterAdmins names others)';
  return `- Sign-in: local accounts are off, so kubectl signs in with Entra ID (kubelogin). The stack made ${who} Azure Kubernetes Service RBAC Cluster Admin on the cluster; anyone else gets 403 until granted a role.`;
}

/** Links the private API server's DNS zone to the hub VNet: its name is the private FQDN without its first label. */
function hubZoneLink(cloud: AzureCloud, hubVnetId: string, cluster: string): string[] {
  const show = (query: string) => shellLine(['az', 'aks', 'show', ...option('--resource-group', cloud.resourceGroup), ...option('--name', cluster), '--query', query, '-o', 'tsv']);
  return [
    shellLine([shellWord('NODE_RESOURCE_GROUP=', syntax(`"$(${show('nodeResourceGroup')})"`))]),
    shellLine([shellWord('API_FQDN=', syntax(`"$(${show('privateFqdn')})"`))]),
    shellLine(
      [
        'az',
        'network',
        'private-dns',
        'link',
        'vnet',
        'create',
        '--resource-group',
        syntax('"$NODE_RESOURCE_GROUP"'),
        '--zone-name',
        syntax('"${API_FQDN#*.}"'),
        ...option('--name', 'hub'),
        ...option('--virtual-network', hubVnetId),
        '--registration-enabled',
        'false',
      ],
      "once: the hub resolves the API server's private name",
    ),
  ];
}

/**
 * GKE with platform.hub: the hub side's reverse peering (GCP activates a peering only once both
 * sides exist), and why the hub does not reach the private API endpoint itself (peering is not
 * transitive, so the control plane's own peering is out of its reach).
 */
function gcpHubAccess(cloud: GcpCloud, installName: string): { bullets: string[]; commands: string[] } {
  if (!cloud.hub || cloud.vpc.mode !== 'new') return { bullets: [], commands: [] };
  const hub = /^projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(cloud.hub.network);
  const vpc = `projects/${cloud.projectId}/global/networks/${gcpName(installName, 'vpc', 63)}`;
  return {
    bullets: [
      `- Hub: the stack peers the VPC with ${markdownText(cloud.hub.network)} (importing its custom routes); the hub's owner creates the reverse peering, exporting the routes it learns over VPN or Interconnect, before the nodes reach the SCM. The hub does not reach the private API endpoint through the peering (peering is not transitive): use the IAP bastion below, or Connect Gateway (\`gcloud container fleet memberships get-credentials\`) once the cluster is registered to a fleet.`,
    ],
    commands: hub
      ? [
          shellLine(
            [
              'gcloud',
              'compute',
              'networks',
              'peerings',
              'create',
              operand(gcpName(installName, 'from-agents', 63)),
              ...option('--project', hub[1]!),
              ...option('--network', hub[2]!),
              ...option('--peer-network', vpc),
              '--export-custom-routes',
            ],
            'in the hub project, by its owner',
          ),
        ]
      : [],
  };
}

/** GKE: a VM in the VPC network, or an IAP tunnel to a bastion's HTTP proxy. */
function gcpAccess(cloud: GcpCloud, cluster: string, reach: Reach, opening: string, installName: string): ClusterAccess {
  const kubeconfig = shellLine([
    'gcloud',
    'container',
    'clusters',
    'get-credentials',
    operand(cluster),
    ...option('--region', cloud.region),
    ...option('--project', cloud.projectId),
    ...(reach === 'public' ? [] : ['--internal-ip']),
  ]);
  const hub = gcpHubAccess(cloud, installName);
  if (reach === 'public') return { bullets: hub.bullets, commands: [...hub.commands, kubeconfig] };
  return {
    bullets: [
      `- ${opening} Run the steps below from a VM in the cluster's VPC network, over the site's VPN or Interconnect, or through Identity-Aware Proxy: a bastion VM without an external address running an HTTP proxy on port 8888 (e.g. tinyproxy; \`BASTION_VM\` and \`BASTION_ZONE\` are yours), tunnelled to this host as below. The proxy is set on the cluster's kubeconfig entry (\`proxy-url\`), so kubectl and helm use it and no other command does (an exported \`HTTPS_PROXY\` would send every later cloud CLI call to the bastion too).`,
      ...hub.bullets,
    ],
    commands: [
      ...hub.commands,
      kubeconfig,
      shellLine(
        [
          'gcloud',
          'compute',
          'ssh',
          syntax('"$BASTION_VM"'),
          '--tunnel-through-iap',
          ...option('--project', cloud.projectId),
          '--zone',
          syntax('"$BASTION_ZONE"'),
          '--',
          '-L',
          '8888:localhost:8888',
          '-N',
          '-q',
          '-f',
        ],
        'only without a VPN: the tunnel stays in the background',
      ),
      shellLine(['kubectl', 'config', 'set-cluster', currentCluster, '--proxy-url=http://localhost:8888'], 'only with the tunnel: kubectl and helm only'),
    ],
  };
}
