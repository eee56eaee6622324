/** AKS in RUNBOOK.md: kubectl signs in with Entra ID and names who may; the hub reaches the private API server; the ingress host gets a record. */
import { describe, expect, it } from 'vitest';
import { clusterAccess } from '../../cli/emit/runbook-cluster-access.js';
import { azureIngressDns } from '../../cli/emit/runbook-azure-dns.js';
import type { AzureCloud, InstallSettings } from '../../stacks/settings.js';

const HUB = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub';
const ZONE = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/acme.internal';
const cloud: AzureCloud = {
  type: 'azure',
  location: 'eastus2',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  tenantId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'rg-agents',
  vnet: { mode: 'new', cidr: '10.40.0.0/16', zones: 3 },
};
const settings = (overrides: Partial<AzureCloud>, cluster: object = { mode: 'new', apiEndpoint: 'private' }) =>
  ({ name: 'acme-prod', cluster, network: { mode: 'air-gapped' }, onprem: null, cloud: { ...cloud, ...overrides } }) as unknown as InstallSettings;

describe('AKS cluster access', () => {
  it('signs kubectl in through kubelogin after get-credentials, and names the deployer when the spec names nobody', () => {
    const access = clusterAccess(settings({}));
    const credentials = access.commands.findIndex((c) => c.startsWith('az aks get-credentials'));
    expect(access.commands[credentials + 1]).toMatch(/^kubelogin convert-kubeconfig -l azurecli/);
    expect(access.bullets.join('\n')).toContain('the identity that ran `pulumi up`');
    expect(access.bullets.join('\n')).toContain('Azure Kubernetes Service RBAC Cluster Admin');
  });

  it('names the spec admins', () => {
    const access = clusterAccess(settings({ clusterAdmins: [{ objectId: '99999999-8888-4777-8666-555555555555', type: 'Group' }] }));
    expect(access.bullets.join('\n')).toContain('`99999999-8888-4777-8666-555555555555` (Group)');
  });

  it('an existing cluster: its owner grants the role', () => {
    expect(clusterAccess(settings({}, { mode: 'existing', name: 'aks-shared' })).bullets.join('\n')).toContain('its owner grants');
  });

  it('with a hub: links the API server private zone to the hub before the bastion path', () => {
    const { commands } = clusterAccess(settings({ hub: { vnetId: HUB, useRemoteGateways: true, privateDnsZoneIds: [] } }));
    const link = commands.findIndex((c) => c.startsWith('az network private-dns link vnet create'));
    expect(commands[link]).toContain(`--virtual-network ${HUB}`);
    expect(commands[link]).toContain('"${API_FQDN#*.}"');
    expect(link).toBeLessThan(commands.findIndex((c) => c.startsWith('az network bastion ssh')));
    expect(clusterAccess(settings({})).commands.some((c) => c.includes('private-dns link'))).toBe(false);
  });
});

describe('AKS ingress DNS', () => {
  it('with a zone: the add-on writes the record, the runbook checks it', () => {
    const dns = azureIngressDns(settings({ ingressPrivateZoneId: ZONE }), { ...cloud, ingressPrivateZoneId: ZONE }, 'agents.acme.internal', true);
    expect(dns.commands).toEqual([expect.stringMatching(/^az network private-dns record-set a show --resource-group rg-dns --zone-name acme\.internal --name agents /)]);
  });

  it('without one (main): the exact commands that write it, private or public', () => {
    const internal = azureIngressDns(settings({}), cloud, 'agents.acme.internal', true);
    expect(internal.bullets.join('')).toContain('nothing creates a record');
    expect(internal.commands.some((c) => c.startsWith('az network private-dns record-set a add-record') && c.includes('"$INGRESS_IP"'))).toBe(true);
    expect(internal.commands.some((c) => c.startsWith('az aks approuting zone add'))).toBe(true);
    const external = azureIngressDns(settings({}), cloud, 'agents.acme.com', false);
    expect(external.commands.some((c) => c.startsWith('az network dns record-set a add-record'))).toBe(true);
  });
});
