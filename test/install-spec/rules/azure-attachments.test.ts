/**
 * Azure attachment rules: an air-gapped new VNet without a hub is refused (main rendered it, and the
 * install could reach nothing: no SCM, no operator, no push into the mirror); fields only a new VNet
 * or cluster can honour are refused on existing ones; the ingress host must be in its zone.
 */
import { describe, expect, it } from 'vitest';
import { checkData, loadExample, withValue } from '../../helpers/specs.js';

const air = loadExample('azure-bitbucket-cloud-managed-air-gapped.yaml');
const connected = loadExample('azure-gitlab-cloud-managed-connected.yaml');
const aws = loadExample('aws-ghes-self-hosted-air-gapped.yaml');
const ZONE = '/subscriptions/2b3c4d5e-6f70-4a81-9b2c-3d4e5f60718a/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/fabrikam.internal';
const EXISTING_VNET = {
  mode: 'existing',
  vnetId: '/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke',
  nodeSubnetId: '/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke/subnets/aks',
  endpointSubnetId: '/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke/subnets/endpoints',
};

const issues = (spec: unknown, code: string) =>
  checkData(spec)
    .issues.filter((issue) => issue.code === code)
    .map((issue) => ({ severity: issue.severity, path: issue.path }));

describe('Azure attachment rules', () => {
  it('the examples pass them', () => {
    for (const spec of [air, connected]) for (const code of ['RULE_AZURE_VNET_ISLAND', 'RULE_AZURE_NEW_ONLY', 'RULE_AZURE_INGRESS_ZONE']) expect(issues(spec, code)).toEqual([]);
  });

  it('RULE_AZURE_VNET_ISLAND: an air-gapped new VNet without a hub (main shape) is an error, connected is not', () => {
    expect(issues(withValue(air, 'spec.platform.hub', undefined), 'RULE_AZURE_VNET_ISLAND')).toEqual([{ severity: 'error', path: 'spec.platform.vnet' }]);
    expect(issues(withValue(connected, 'spec.platform.hub', undefined), 'RULE_AZURE_VNET_ISLAND')).toEqual([]);
    // An existing VNet keeps its own connectivity.
    const adopted = withValue(withValue(air, 'spec.platform.hub', undefined), 'spec.platform.vnet', EXISTING_VNET);
    expect(issues(adopted, 'RULE_AZURE_VNET_ISLAND')).toEqual([]);
  });

  it('RULE_AZURE_NEW_ONLY: a hub on an existing VNet, admins and a DNS zone on an existing cluster', () => {
    expect(issues(withValue(air, 'spec.platform.vnet', EXISTING_VNET), 'RULE_AZURE_NEW_ONLY')).toEqual([{ severity: 'error', path: 'spec.platform.hub' }]);
    const existingCluster = withValue(air, 'spec.platform.cluster', { mode: 'existing', name: 'aks-shared' });
    expect(issues(existingCluster, 'RULE_AZURE_NEW_ONLY').map((issue) => issue.path)).toEqual(['spec.platform.clusterAdmins', 'spec.ingress.dns']);
  });

  it('RULE_AZURE_INGRESS_ZONE: the host outside its zone, or an Azure zone on another platform', () => {
    const elsewhere = withValue(air, 'spec.ingress.dns', { privateZoneId: ZONE.replace('fabrikam.internal', 'contoso.internal') });
    expect(issues(elsewhere, 'RULE_AZURE_INGRESS_ZONE')).toEqual([{ severity: 'error', path: 'spec.ingress.dns.privateZoneId' }]);
    // The zone itself is not a host in it.
    expect(issues(withValue(air, 'spec.ingress.hostname', 'fabrikam.internal'), 'RULE_AZURE_INGRESS_ZONE')).toHaveLength(1);
    expect(issues(withValue(aws, 'spec.ingress.dns', { privateZoneId: ZONE }), 'RULE_AZURE_INGRESS_ZONE').map((issue) => issue.severity)).toEqual(['error']);
  });

  it('the schema refuses a hub that is not a VNet id and an admin without a type', () => {
    const badHub = withValue(air, 'spec.platform.hub.vnetId', ZONE);
    expect(checkData(badHub).issues.some((issue) => issue.path.startsWith('spec.platform.hub.vnetId'))).toBe(true);
    const badAdmin = withValue(air, 'spec.platform.clusterAdmins', [{ objectId: '7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f' }]);
    expect(checkData(badAdmin).issues.filter((issue) => issue.severity === 'error').length).toBeGreaterThan(0);
  });
});
