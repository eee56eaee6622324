/**
 * Hardening beyond the starter specs: a public cluster API endpoint only with an allow-list (EKS
 * publicAccessCidrs, GKE master authorized networks, AKS authorized IP ranges), the Azure Key Vault
 * firewalled also when connected, and EKS nodes' instances and volumes tagged. Each case
 * synthesizes a real cell (settings edited where no starter spec goes) and breaks one thing in a
 * copy, expecting its policy to fire.
 */
import { describe, expect, it } from 'vitest';
import { checkPolicies } from '../../cli/conformance/pulumi/policies.js';
import type { Synthesis, SynthesizedResource } from '../../cli/conformance/pulumi/types.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { synthesizeEdited } from '../helpers/stack-synthesis.js';

async function synthesize(id: string, edit: (settings: InstallSettings) => void = () => {}): Promise<Synthesis> {
  const synthesis = await synthesizeEdited(supportMatrix().cell(id)!, edit);
  expect(synthesis.errors).toEqual([]);
  return synthesis;
}

const publicApi = (cidrs?: string[]) => (settings: InstallSettings) => {
  if (settings.cluster.mode !== 'new') throw new Error('the starter spec creates a cluster');
  settings.cluster.apiEndpoint = 'public';
  if (cidrs) settings.cluster.publicAccessCidrs = cidrs;
};
const one = (synthesis: Synthesis, type: string) => {
  const found = synthesis.resources.filter((resource) => resource.type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
/** The policies that fire once `change` edits the inputs of every resource of `type` in a copy. */
function firedAfter(synthesis: Synthesis, type: string, change: (inputs: Record<string, any>) => void): string[] {
  const resources = structuredClone(synthesis.resources).map((resource: SynthesizedResource) => {
    if (resource.type === type) change(resource.inputs);
    return resource;
  });
  return [...new Set(checkPolicies({ ...synthesis, resources }).map((violation) => violation.policy))];
}

const SPEC_CIDRS = ['198.51.100.0/24', '203.0.113.8/29'];

describe('a public cluster API endpoint admits only an allow-list', () => {
  it('aws: the NAT addresses of the new VPC, or the spec\'s CIDRs; never EKS\'s default 0.0.0.0/0', async () => {
    const own = await synthesize('aws/github/saas-api/connected', publicApi());
    expect(checkPolicies(own)).toEqual([]);
    const nat = own.resources.filter((resource) => resource.type === 'aws:ec2/eip:Eip');
    expect(nat.length).toBeGreaterThan(0);
    const vpcConfig = one(own, 'aws:eks/cluster:Cluster').inputs.vpcConfig;
    expect(vpcConfig).toMatchObject({ endpointPublicAccess: true, endpointPrivateAccess: true });
    expect(vpcConfig.publicAccessCidrs).toHaveLength(nat.length);
    for (const cidr of vpcConfig.publicAccessCidrs) expect(cidr).toMatch(/^198\.51\.100\.\d+\/32$/);
    expect(firedAfter(own, 'aws:eks/cluster:Cluster', (inputs) => delete inputs.vpcConfig.publicAccessCidrs)).toEqual(['api-allow-list']);
    expect(firedAfter(own, 'aws:eks/cluster:Cluster', (inputs) => (inputs.vpcConfig.publicAccessCidrs = ['0.0.0.0/0']))).toEqual(['api-allow-list']);

    const spec = await synthesize('aws/github/saas-api/connected', publicApi(SPEC_CIDRS));
    expect(one(spec, 'aws:eks/cluster:Cluster').inputs.vpcConfig.publicAccessCidrs).toEqual(SPEC_CIDRS);
    const closed = await synthesize('aws/github/saas-api/connected');
    expect(one(closed, 'aws:eks/cluster:Cluster').inputs.vpcConfig).toMatchObject({ endpointPublicAccess: false });
  }, 120_000);

  it('gcp: master authorized networks always on: the internal block, or the spec\'s CIDRs', async () => {
    const own = await synthesize('gcp/github/saas-api/connected', publicApi());
    expect(checkPolicies(own)).toEqual([]);
    const cluster = one(own, 'gcp:container/cluster:Cluster').inputs;
    expect(cluster.privateClusterConfig.enablePrivateEndpoint).toBe(false);
    expect(cluster.masterAuthorizedNetworksConfig).toEqual({ cidrBlocks: [{ cidrBlock: '10.40.0.0/16', displayName: 'internal' }], gcpPublicCidrsAccessEnabled: false });
    expect(firedAfter(own, 'gcp:container/cluster:Cluster', (inputs) => delete inputs.masterAuthorizedNetworksConfig)).toEqual(['api-allow-list']);
    expect(firedAfter(own, 'gcp:container/cluster:Cluster', (inputs) => (inputs.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled = true))).toEqual(['api-allow-list']);

    const spec = await synthesize('gcp/github/saas-api/connected', publicApi(SPEC_CIDRS));
    expect(one(spec, 'gcp:container/cluster:Cluster').inputs.masterAuthorizedNetworksConfig.cidrBlocks.map((block: { cidrBlock: string }) => block.cidrBlock)).toEqual(SPEC_CIDRS);
  }, 120_000);

  it('azure: the NAT gateway\'s address, or the spec\'s CIDRs, as authorized IP ranges', async () => {
    const own = await synthesize('azure/github/saas-api/connected', publicApi());
    expect(checkPolicies(own)).toEqual([]);
    const access = one(own, 'azure-native:containerservice:ManagedCluster').inputs.apiServerAccessProfile;
    expect(access.enablePrivateCluster).toBe(false);
    expect(access.authorizedIPRanges).toEqual([expect.stringMatching(/^203\.0\.113\.\d+\/32$/)]);
    expect(firedAfter(own, 'azure-native:containerservice:ManagedCluster', (inputs) => delete inputs.apiServerAccessProfile.authorizedIPRanges)).toEqual(['api-allow-list']);

    const spec = await synthesize('azure/github/saas-api/connected', publicApi(SPEC_CIDRS));
    expect(one(spec, 'azure-native:containerservice:ManagedCluster').inputs.apiServerAccessProfile.authorizedIPRanges).toEqual(SPEC_CIDRS);
  }, 120_000);
});

describe('the Azure Key Vault is firewalled also when connected', () => {
  it('default Deny, public network access off, reached through its private endpoint; KMS reaches it privately', async () => {
    const synthesis = await synthesize('azure/github/saas-api/connected');
    const vault = one(synthesis, 'azure-native:keyvault:Vault');
    expect(vault.inputs.properties).toMatchObject({ publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } });
    expect(synthesis.resources.some((resource) => resource.type === 'azure-native:network:PrivateEndpoint' && resource.inputs.privateLinkServiceConnections?.[0]?.groupIds?.includes('vault'))).toBe(true);
    expect(one(synthesis, 'azure-native:containerservice:ManagedCluster').inputs.securityProfile.azureKeyVaultKms).toMatchObject({ enabled: true, keyVaultNetworkAccess: 'Private' });
    expect(firedAfter(synthesis, 'azure-native:keyvault:Vault', (inputs) => (inputs.properties.networkAcls.defaultAction = 'Allow'))).toEqual(['data-private']);
    expect(firedAfter(synthesis, 'azure-native:keyvault:Vault', (inputs) => (inputs.properties.publicNetworkAccess = 'Enabled'))).toEqual(['data-private']);
  }, 120_000);
});

describe('EKS nodes\' instances and volumes carry the install tags', () => {
  it('each node group launches from a template tagging instances, volumes and interfaces; the EBS CSI driver tags its volumes', async () => {
    const synthesis = await synthesize('aws/github/self-hosted/connected');
    const groups = synthesis.resources.filter((resource) => resource.type === 'aws:eks/nodeGroup:NodeGroup');
    expect(groups.map((group) => group.inputs.nodeGroupName)).toEqual(['gpu-l4', 'system']);
    for (const group of groups) expect(group.inputs.diskSize, 'sized in the launch template').toBeUndefined();
    expect(firedAfter(synthesis, 'aws:ec2/launchTemplate:LaunchTemplate', (inputs) => (inputs.tagSpecifications = inputs.tagSpecifications.filter((spec: { resourceType: string }) => spec.resourceType !== 'volume')))).toEqual(['tagged']);
    expect(firedAfter(synthesis, 'aws:ec2/launchTemplate:LaunchTemplate', (inputs) => delete inputs.tagSpecifications[0].tags['installctl-install'])).toEqual(['tagged']);
    expect(firedAfter(synthesis, 'aws:eks/nodeGroup:NodeGroup', (inputs) => delete inputs.launchTemplate)).toEqual(['tagged']);
    // Only the driver's volume tags: the rest of its configuration (the default StorageClass) is another policy's.
    const untaggedVolumes = (inputs: Record<string, any>) => {
      if (inputs.addonName === 'aws-ebs-csi-driver') inputs.configurationValues = JSON.stringify({ ...JSON.parse(inputs.configurationValues), controller: {} });
    };
    expect(firedAfter(synthesis, 'aws:eks/addon:Addon', untaggedVolumes)).toEqual(['tagged']);
  }, 120_000);
});
