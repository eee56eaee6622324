/** The pure decisions behind the Azure attachments: cluster admins, the deployer's type, hub peering, the ingress zone. */
import { describe, expect, it } from 'vitest';
import { clusterAdminPlan, deployerPrincipalType, privateZoneName } from '../../../stacks/azure/cluster-access.js';
import { hubPeeringFlags } from '../../../stacks/azure/hub.js';
import { aksIngressProfile } from '../../../stacks/azure/cluster.js';
import { armIdParts } from '../../../stacks/azure/common.js';

const ZONE = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/acme.internal';

describe('Azure attachments', () => {
  it('grants the spec admins, else the deployer', () => {
    const admins = [{ objectId: '99999999-8888-4777-8666-555555555555', type: 'Group' as const }];
    expect(clusterAdminPlan({ clusterAdmins: admins })).toEqual({ kind: 'spec', admins });
    expect(clusterAdminPlan({})).toEqual({ kind: 'deployer' });
    expect(clusterAdminPlan({ clusterAdmins: [] })).toEqual({ kind: 'deployer' });
  });

  it('a deployer signed in through the Azure CLI or PowerShell is a user, anything else a service principal', () => {
    expect(deployerPrincipalType('04b07795-8ddb-461a-bbee-02f9e1bf7b46')).toBe('User');
    expect(deployerPrincipalType('1950A258-227B-4E31-A9CF-717495945FC2')).toBe('User');
    expect(deployerPrincipalType('3f2a0c1e-0000-4000-8000-000000000000')).toBe('ServicePrincipal');
    expect(deployerPrincipalType(undefined)).toBe('ServicePrincipal');
  });

  it('offers gateway transit from the hub exactly when the spoke uses the hub gateway', () => {
    for (const useRemoteGateways of [true, false]) {
      const flags = hubPeeringFlags({ useRemoteGateways });
      expect(flags.hub.allowGatewayTransit).toBe(useRemoteGateways);
      expect(flags.spoke.useRemoteGateways).toBe(useRemoteGateways);
      expect(flags.hub.allowForwardedTraffic && flags.spoke.allowForwardedTraffic).toBe(true);
    }
  });

  it('hands the ingress zone to the application routing add-on, keeping its controller type', () => {
    expect(aksIngressProfile('internal', ZONE)).toEqual({ webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: 'Internal' }, dnsZoneResourceIds: [ZONE] } });
    expect(aksIngressProfile('external', null)).toEqual({ webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: 'External' } } });
  });

  it('reads ARM ids', () => {
    expect(armIdParts(ZONE)).toEqual({ subscriptionId: '11111111-2222-4333-8444-555555555555', resourceGroup: 'rg-dns', name: 'acme.internal' });
    expect(privateZoneName(ZONE)).toBe('acme.internal');
    expect(armIdParts('/subscriptions/x/resourceGroups/rg')).toBeNull();
  });
});
