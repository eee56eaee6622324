/**
 * Azure attachments: the hub a new VNet is peered with, the cluster admins, and the private DNS zone
 * of the ingress host. Specs that cannot come up as written fail here: an air-gapped new VNet with
 * no hub is an island (no SCM, no operator, no push into the mirror reaches it), and fields that
 * only a new cluster or VNet can honour are refused rather than silently ignored.
 */
import type { Install } from '../../generated/install-spec.js';
import type { Finding } from '../../schema/issue.js';

type Spec = Install['spec'];
type AzurePlatform = Extract<Spec['platform'], { type: 'azure' }>;

/** The zone name at the end of a private DNS zone resource id. */
const zoneName = (zoneId: string) => zoneId.split('/').pop()!.toLowerCase();

export function checkAzureAttachments(install: Install): Finding[] {
  const { platform, network, ingress } = install.spec;
  const zoneId = ingress.dns?.privateZoneId;
  if (platform.type !== 'azure') {
    return zoneId
      ? [
          {
            severity: 'error',
            code: 'RULE_AZURE_INGRESS_ZONE',
            path: ['spec', 'ingress', 'dns', 'privateZoneId'],
            message: `a private DNS zone resource id on ${platform.type}`,
            hint: "privateZoneId names an Azure private DNS zone; use the DNS shape of the spec's own platform",
          },
        ]
      : [];
  }
  return [...hubFindings(platform, network.mode), ...newClusterFindings(platform, zoneId !== undefined), ...(zoneId ? zoneFindings(ingress.hostname, zoneId) : [])];
}

function hubFindings(platform: AzurePlatform, networkMode: Spec['network']['mode']): Finding[] {
  if (platform.vnet.mode === 'existing') {
    return platform.hub
      ? [
          {
            severity: 'error',
            code: 'RULE_AZURE_NEW_ONLY',
            path: ['spec', 'platform', 'hub'],
            message: 'hub peers a new VNet; an existing VNet keeps the connectivity it has',
            hint: 'remove hub, or peer the existing VNet with the hub yourself',
          },
        ]
      : [];
  }
  if (networkMode === 'air-gapped' && !platform.hub) {
    return [
      {
        severity: 'error',
        code: 'RULE_AZURE_VNET_ISLAND',
        path: ['spec', 'platform', 'vnet'],
        message: 'an air-gapped new VNet has no internet and no peering: the SCM, the operators and pushes into the mirror cannot reach it',
        hint: 'add platform.hub with the hub VNet (vnetId; useRemoteGateways for on-premises networks; privateDnsZoneIds for the site zones), or adopt an existing VNet',
      },
    ];
  }
  return [];
}

function newClusterFindings(platform: AzurePlatform, hasZone: boolean): Finding[] {
  if (platform.cluster.mode === 'new') return [];
  const fields: Array<{ path: Finding['path']; what: string }> = [
    ...(platform.clusterAdmins ? [{ path: ['spec', 'platform', 'clusterAdmins'], what: 'clusterAdmins are granted on a new cluster' }] : []),
    ...(hasZone ? [{ path: ['spec', 'ingress', 'dns'], what: 'ingress.dns is written by the application routing add-on of a new cluster' }] : []),
  ];
  return fields.map(({ path, what }) => ({
    severity: 'error',
    code: 'RULE_AZURE_NEW_ONLY',
    path,
    message: `${what}; an existing cluster keeps its own`,
    hint: 'remove the field; grant access and create the record on the existing cluster yourself (RUNBOOK.md says how)',
  }));
}

function zoneFindings(hostname: string, zoneId: string): Finding[] {
  const zone = zoneName(zoneId);
  const host = hostname.toLowerCase();
  if (host.endsWith(`.${zone}`)) return [];
  return [
    {
      severity: 'error',
      code: 'RULE_AZURE_INGRESS_ZONE',
      path: ['spec', 'ingress', 'dns', 'privateZoneId'],
      message: `${hostname} is not in the zone ${zone}: no record for it can be written there`,
      hint: `use the private DNS zone that holds ${hostname}`,
    },
  ];
}
