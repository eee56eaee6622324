/** Azure: resource policies, tags and snapshot keys for synthesized Azure stacks (mocks: azure-mocks.ts; data services: azure-data.ts). */
import type { InstallSettings } from '../../../../stacks/settings.js';
import { planEndpoints } from '../../../../stacks/decisions/endpoints.js';
import { GPU_TAINT, gpuNodeLabels } from '../../../../stacks/decisions/gpu.js';
import { migrationsServiceAccount, serviceAccountSubject } from '../../../../stacks/decisions/workloads.js';
import { AZURE_ROLES, PRIVATE_LINK, WORKLOAD_IDENTITY_AUDIENCE } from '../../../../stacks/azure/common.js';
import { computed, invoke, mockGuid, T } from './azure-mocks.js';
import { dataEncrypted, endpointsTo, idOf, requirePrivateEndpoint, roleGuid, violation } from './azure-data.js';
import { autoscalerOwnsSize, clusterAdminAssigned, networkPolicyEnforced, nodeAutoscaling, versionPinMajor } from './azure-cluster-policies.js';
import { ingressDns, networkReachable, serializedServerOps } from './azure-reach-policies.js';
import type { CloudModule, PolicyContext, Violation } from '../types.js';

const newVnet = (settings: InstallSettings) => settings.cloud?.type === 'azure' && settings.cloud.vnet.mode === 'new';
const plan = (settings: InstallSettings) => planEndpoints({ ...settings, newNetwork: newVnet(settings) });

/** Air-gapped: no public IP, no NAT, no default outbound access, no egress. Connected new VNets: NAT egress. */
function networkExposure({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const airGapped = settings.network.mode === 'air-gapped';
  const clusters = ofType(T.cluster);
  for (const subnet of ofType(T.subnet))
    if (subnet.inputs.defaultOutboundAccess !== false) out.push(violation('no-default-outbound', subnet, 'subnet keeps default outbound internet access'));
  const pools = [
    ...ofType(T.agentPool).map((pool) => ({ resource: pool, profile: pool.inputs })),
    ...clusters.flatMap((cluster) => (cluster.inputs.agentPoolProfiles ?? []).map((profile: any) => ({ resource: cluster, profile }))),
  ];
  for (const { resource, profile } of pools)
    if (profile.enableNodePublicIP === true) out.push(violation('no-public-nodes', resource, `node pool ${profile.name ?? profile.agentPoolName} gives nodes public IPs`));
  if (airGapped) {
    for (const type of [T.publicIp, T.natGateway])
      for (const resource of ofType(type)) out.push(violation('air-gapped-no-internet', resource, `${type.split(':')[2]} in an air-gapped network`));
    for (const cluster of clusters) {
      if (cluster.inputs.networkProfile?.outboundType !== 'none')
        out.push(violation('air-gapped-no-internet', cluster, `outbound type ${cluster.inputs.networkProfile?.outboundType} is not none`));
    }
    for (const type of [T.vault, T.registry]) {
      for (const resource of ofType(type)) {
        const access = type === T.vault ? resource.inputs.properties?.publicNetworkAccess : resource.inputs.publicNetworkAccess;
        if (access !== 'Disabled') out.push(violation('air-gapped-no-internet', resource, 'public network access is on in an air-gapped network'));
      }
    }
  } else if (newVnet(settings)) {
    const gateways = ofType(T.natGateway);
    if (gateways.length === 0) out.push(violation('connected-egress', null, 'a connected VNet needs a NAT gateway for controlled egress'));
    const gatewayIds = new Set(gateways.map(idOf));
    for (const subnet of ofType(T.subnet).filter((s) => s.inputs.subnetName === 'nodes')) {
      if (!gatewayIds.has(subnet.inputs.natGateway?.id)) out.push(violation('connected-egress', subnet, 'the nodes subnet does not egress through the NAT gateway'));
    }
    for (const cluster of clusters)
      if (cluster.inputs.networkProfile?.outboundType !== 'userAssignedNATGateway')
        out.push(violation('connected-egress', cluster, 'the cluster does not egress through the NAT gateway'));
  }
  return out;
}

/** AKS: private API server, Entra ID only, workload identity, node disks and secrets under the customer key. */
function clusterHardening({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const clusters = ofType(T.cluster);
  if (clusters.length !== (settings.cluster.mode === 'new' ? 1 : 0))
    out.push(violation('cluster', null, `expected ${settings.cluster.mode === 'new' ? 1 : 0} AKS cluster, found ${clusters.length}`));
  const encryptionSets = ofType(T.diskEncryptionSet).filter((set) => set.inputs.encryptionType === 'EncryptionAtRestWithCustomerKey' && set.inputs.activeKey?.keyUrl);
  // The vault is always firewalled: KMS reaches it only privately, through API Server VNet Integration (new VNets).
  const kmsPossible = newVnet(settings);
  for (const cluster of clusters) {
    const access = cluster.inputs.apiServerAccessProfile ?? {};
    const allowed = settings.network.mode === 'connected' && settings.cluster.mode === 'new' && settings.cluster.apiEndpoint === 'public';
    if (access.enablePrivateCluster !== true && !allowed) out.push(violation('private-cluster-api', cluster, 'the AKS API server is public'));
    if (access.enablePrivateCluster === true && access.enablePrivateClusterPublicFQDN === true)
      out.push(violation('private-cluster-api', cluster, 'the private API server has a public FQDN'));
    const ranges = (access.authorizedIPRanges ?? []) as string[];
    if (access.enablePrivateCluster !== true && (ranges.length === 0 || ranges.includes('0.0.0.0/0')))
      out.push(violation('api-allow-list', cluster, 'the public API server has no authorized IP ranges or admits 0.0.0.0/0'));
    if (cluster.inputs.oidcIssuerProfile?.enabled !== true || cluster.inputs.securityProfile?.workloadIdentity?.enabled !== true)
      out.push(violation('workload-identity', cluster, 'OIDC issuer or workload identity is off'));
    if (cluster.inputs.disableLocalAccounts !== true || cluster.inputs.aadProfile?.managed !== true)
      out.push(violation('cluster-auth', cluster, 'local accounts are on or Entra ID integration is off'));
    if (!encryptionSets.some((set) => idOf(set) === cluster.inputs.diskEncryptionSetID))
      out.push(violation('encrypted', cluster, 'node disks are not encrypted with the customer key (disk encryption set)'));
    const kms = cluster.inputs.securityProfile?.azureKeyVaultKms;
    if (kmsPossible && (kms?.enabled !== true || !kms.keyId)) out.push(violation('encrypted', cluster, 'Kubernetes secrets are not encrypted with the customer key (KMS)'));
    const profile = cluster.inputs.networkProfile ?? {};
    if (profile.networkPluginMode !== 'overlay' || profile.podCidr !== '100.64.0.0/14' || profile.serviceCidr !== '100.68.0.0/20')
      out.push(violation('cluster', cluster, 'not Azure CNI overlay on the planned pod and service ranges'));
  }
  return out;
}

function gpuPool({ settings, ofType }: PolicyContext): Violation[] {
  const pools = ofType(T.agentPool);
  const wanted = settings.models.gpuPool;
  if (!wanted) return pools.map((pool) => violation('gpu-pool', pool, 'GPU agent pool without self-hosted models'));
  if (pools.length !== 1) return [violation('gpu-pool', null, `expected one GPU agent pool, found ${pools.length}`)];
  const pool = pools[0]!;
  const i = pool.inputs;
  const out: Violation[] = [];
  if (i.vmSize !== wanted.shape.name) out.push(violation('gpu-pool', pool, `VM size ${i.vmSize} differs from the preset ${wanted.shape.name}`));
  if (!(i.nodeTaints ?? []).includes(`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`))
    out.push(violation('gpu-pool', pool, 'GPU nodes are not tainted nvidia.com/gpu=present:NoSchedule'));
  if (i.enableAutoScaling !== true || i.minCount !== wanted.minNodes || i.maxCount !== wanted.maxNodes)
    out.push(violation('gpu-pool', pool, 'GPU pool autoscaling range differs from the spec'));
  if (Object.entries(gpuNodeLabels()).some(([key, value]) => i.nodeLabels?.[key] !== value)) out.push(violation('gpu-pool', pool, 'GPU nodes lack the installctl GPU labels'));
  if (i.mode !== 'User') out.push(violation('gpu-pool', pool, 'the GPU pool must be a User pool'));
  return out;
}

function modelService(context: PolicyContext): Violation[] {
  const { settings, ofType } = context;
  const out: Violation[] = [];
  const accounts = ofType(T.openAi);
  const deployments = ofType(T.deployment);
  const grants = ofType(T.roleAssignment).filter((a) => roleGuid(a) === AZURE_ROLES.cognitiveServicesOpenAiUser);
  const endpoints = ofType(T.privateEndpoint).filter((e) => (e.inputs.privateLinkServiceConnections?.[0]?.groupIds ?? []).includes(PRIVATE_LINK.openai.groupId));
  if (settings.models.hosting !== 'cloud-managed') {
    for (const resource of [...accounts, ...deployments, ...grants, ...endpoints])
      out.push(violation('model-service', resource, `Azure OpenAI resources for ${settings.models.hosting} models`));
    return out;
  }
  const privateOnly = plan(settings).modelService;
  if (accounts.length !== 1) return [violation('model-service', null, `expected one Azure OpenAI account, found ${accounts.length}`)];
  const account = accounts[0]!;
  if (account.inputs.kind !== 'OpenAI') out.push(violation('model-service', account, `account kind ${account.inputs.kind} is not OpenAI`));
  if (account.inputs.properties?.disableLocalAuth !== true) out.push(violation('least-privilege', account, 'the OpenAI account accepts API keys'));
  if ((account.inputs.properties?.publicNetworkAccess === 'Disabled') !== privateOnly)
    out.push(violation('model-service', account, `public network access should be ${privateOnly ? 'Disabled' : 'Enabled'}`));
  const expected = settings.models.catalog.map((entry) => entry.deployment ?? entry.name).sort();
  const found = deployments.map((d) => String(d.inputs.deploymentName)).sort();
  if (JSON.stringify(found) !== JSON.stringify(expected))
    out.push(violation('model-service', null, `deployments ${JSON.stringify(found)} differ from the catalog ${JSON.stringify(expected)}`));
  for (const d of deployments)
    if (d.inputs.properties?.model?.format !== 'OpenAI' || !(d.inputs.sku?.capacity > 0))
      out.push(violation('model-service', d, 'deployment needs an OpenAI model and a capacity'));
  const gateway = ofType(T.identity).find((i) => i.inputs.resourceName === `${settings.name}-${settings.workloads.serviceAccounts.aiGateway}`);
  if (grants.length !== 1 || !gateway || grants[0]!.inputs.principalId !== mockGuid('principal', gateway.name) || grants[0]!.inputs.scope !== idOf(account)) {
    out.push(violation('least-privilege', null, 'expected exactly one Cognitive Services OpenAI User assignment: the AI gateway on the account'));
  }
  if (endpointsTo(context, account, 'openai').length !== (privateOnly ? 1 : 0) || endpoints.length !== (privateOnly ? 1 : 0))
    out.push(violation('model-service', account, `expected ${privateOnly ? 1 : 0} private endpoint to the OpenAI account`));
  return out;
}

function registry(context: PolicyContext): Violation[] {
  const { settings, ofType } = context;
  const registries = ofType(T.registry);
  if (!settings.registry) return registries.map((r) => violation('registry', r, 'registry created without a mirror in this subscription'));
  if (registries.length !== 1) return [violation('registry', null, `expected the ACR mirror, found ${registries.length} registries`)];
  const acr = registries[0]!;
  const out: Violation[] = [];
  if (acr.inputs.registryName !== settings.registry.name) out.push(violation('registry', acr, `registry ${acr.inputs.registryName} is not the mirror ${settings.registry.name}`));
  if (acr.inputs.sku?.name !== 'Premium' || acr.inputs.adminUserEnabled !== false) out.push(violation('registry', acr, 'the mirror must be Premium with the admin user off'));
  if (acr.inputs.encryption?.status !== 'enabled' || !acr.inputs.encryption?.keyVaultProperties?.keyIdentifier)
    out.push(violation('encrypted', acr, 'the mirror is not encrypted with the customer key'));
  requirePrivateEndpoint(context, acr, 'acr', out);
  const pulls = ofType(T.roleAssignment).filter((a) => roleGuid(a) === AZURE_ROLES.acrPull && a.inputs.scope === idOf(acr));
  if (pulls.length !== 1) out.push(violation('registry', acr, 'the kubelet identity needs AcrPull on the mirror'));
  return out;
}

/** Workload identity: one federated credential per expected service account, least-privilege roles. */
function workloadIdentity({ settings, ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  const { serviceAccounts: sa, platformNamespace, modelsNamespace } = settings.workloads;
  const expected = [
    serviceAccountSubject(platformNamespace, sa.platform),
    serviceAccountSubject(platformNamespace, migrationsServiceAccount(sa.platform)),
    ...(settings.models.hosting === 'cloud-managed' ? [serviceAccountSubject(platformNamespace, sa.aiGateway)] : []),
    ...(settings.models.hosting === 'self-hosted' && settings.models.weights.length > 0 ? [serviceAccountSubject(modelsNamespace, sa.modelServer)] : []),
  ].sort();
  const credentials = ofType(T.federated);
  const subjects = credentials.map((c) => String(c.inputs.subject)).sort();
  if (JSON.stringify(subjects) !== JSON.stringify(expected))
    out.push(violation('workload-identity', null, `federated subjects ${JSON.stringify(subjects)} differ from ${JSON.stringify(expected)}`));
  for (const c of credentials) {
    if (JSON.stringify(c.inputs.audiences) !== JSON.stringify([WORKLOAD_IDENTITY_AUDIENCE]) || !String(c.inputs.issuer ?? '').startsWith('https://'))
      out.push(violation('workload-identity', c, 'federated credential must trust the cluster issuer for api://AzureADTokenExchange'));
  }
  const platform = ofType(T.identity).find((i) => i.inputs.resourceName === `${settings.name}-${sa.platform}`);
  const account = ofType(T.storageAccount)[0];
  const blob = ofType(T.roleAssignment).filter((a) => roleGuid(a) === AZURE_ROLES.storageBlobDataContributor);
  if (!platform || !account || blob.length !== 1 || blob[0]!.inputs.principalId !== mockGuid('principal', platform.name) || blob[0]!.inputs.scope !== idOf(account)) {
    out.push(violation('workload-identity', null, 'the platform identity needs Storage Blob Data Contributor on the storage account, and only it'));
  }
  const broad = new Set(['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'b24988ac-6180-42a0-ab88-20f7382dd24c', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9']);
  for (const assignment of ofType(T.roleAssignment)) {
    if (broad.has(roleGuid(assignment) ?? '')) out.push(violation('least-privilege', assignment, 'Owner, Contributor and User Access Administrator are never assigned'));
    if (/^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?\/?$/i.test(String(assignment.inputs.scope)))
      out.push(violation('least-privilege', assignment, 'role assigned at subscription or resource group scope'));
  }
  return out;
}

/** Issue 13: the cluster comes up, stays up and is reachable (azure-cluster-policies.ts, azure-reach-policies.ts). */
const AZURE_DEPLOYABILITY = [networkPolicyEnforced, versionPinMajor, autoscalerOwnsSize, nodeAutoscaling, clusterAdminAssigned, networkReachable, ingressDns, serializedServerOps];

export const azure: CloudModule = {
  provider: 'azure-native',
  computed,
  invoke,
  tagValue: (value) => value,
  tagsOf: (resource) => resource.inputs.tags,
  tagProperties: ['tags'],
  policies: [networkExposure, clusterHardening, dataEncrypted, gpuPool, modelService, registry, workloadIdentity, ...AZURE_DEPLOYABILITY],
  keyProperties: [
    'location',
    'sku',
    'kind',
    'identity',
    'subnet',
    'vnetSubnetID',
    'virtualNetwork',
    'publicIpAddresses',
    'activeKey',
    'databaseName',
    'federatedIdentityCredentialResourceName',
    'version',
    'kubernetesVersion',
    'addressSpace',
    'addressPrefix',
    'defaultOutboundAccess',
    'delegations',
    'natGateway',
    'privateEndpointNetworkPolicies',
    'publicIPAllocationMethod',
    'publicIPAddressVersion',
    'idleTimeoutInMinutes',
    'privateZoneName',
    'registrationEnabled',
    'privateLinkServiceConnections',
    'privateDnsZoneConfigs',
    'apiServerAccessProfile',
    'networkProfile',
    'oidcIssuerProfile',
    'securityProfile',
    'aadProfile',
    'disableLocalAccounts',
    'bootstrapProfile',
    'ingressProfile',
    'httpProxyConfig',
    'diskEncryptionSetID',
    'agentPoolProfiles',
    'agentPoolName',
    'mode',
    'vmSize',
    'count',
    'minCount',
    'maxCount',
    'enableAutoScaling',
    'enableNodePublicIP',
    'nodeTaints',
    'nodeLabels',
    'osSKU',
    'encryptionType',
    'rotationToLatestKeyVersionEnabled',
    'properties',
    'serverName',
    'authConfig',
    'backup',
    'dataEncryption',
    'highAvailability',
    'network',
    'storage',
    'configurationName',
    'value',
    'clusterName',
    'minimumTlsVersion',
    'publicNetworkAccess',
    'encryption',
    'clientProtocol',
    'clusteringPolicy',
    'evictionPolicy',
    'persistence',
    'accessKeysAuthentication',
    'accountName',
    'allowBlobPublicAccess',
    'allowSharedKeyAccess',
    'networkRuleSet',
    'isVersioningEnabled',
    'deleteRetentionPolicy',
    'containerDeleteRetentionPolicy',
    'containerName',
    'publicAccess',
    'registryName',
    'adminUserEnabled',
    'anonymousPullEnabled',
    'policies',
    'zoneRedundancy',
    'deploymentName',
    'resourceName',
    'vaultName',
    'keyName',
    'roleDefinitionId',
    'scope',
    'principalType',
    'subject',
    'audiences',
    'issuer',
    'accessPolicyName',
    'principalName',
    'autoUpgradeProfile',
    'remoteVirtualNetwork',
    'allowForwardedTraffic',
    'allowGatewayTransit',
    'useRemoteGateways',
  ],
};
