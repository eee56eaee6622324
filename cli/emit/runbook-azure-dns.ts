/**
 * RUNBOOK.md, AKS ingress: the record that makes the ingress host resolve. The application routing
 * add-on's load balancer gets its address only once the add-on runs inside the cluster (a dynamic
 * address of the node subnet), so no stack resource can hold the record: with `ingress.dns.privateZoneId` the add-on's managed external-dns writes it (the stack
 * attached the zone and granted the add-on), otherwise the runbook says how to write it.
 */
import type { AzureCloud, InstallSettings } from '../../stacks/settings.js';
import { AKS_APP_ROUTING } from '../../stacks/decisions/ingress.js';
import { markdownCode } from '../lib/markdown-text.js';
import { option, shellLine, shellWord, syntax } from './shell.js';

/** The zone's resource group and name, from its resource id. */
function zoneParts(zoneId: string): { resourceGroup: string; name: string } {
  const parts = zoneId.split('/');
  return { resourceGroup: parts[4]!, name: parts[parts.length - 1]! };
}

/** The label of the host relative to its zone (`agents` for agents.acme.internal in acme.internal). */
const relativeName = (hostname: string, zone: string) => hostname.slice(0, hostname.length - zone.length - 1);

export function azureIngressDns(settings: InstallSettings, cloud: AzureCloud, hostname: string, internal: boolean): { bullets: string[]; commands: string[] } {
  const zoneId = cloud.ingressPrivateZoneId;
  if (zoneId) {
    const zone = zoneParts(zoneId);
    return {
      bullets: [
        `- DNS: the application routing add-on writes the A record for ${markdownCode(hostname)} into the private DNS zone ${markdownCode(zone.name)} (ingress.dns; the stack attached the zone to the add-on and granted it Private DNS Zone Contributor there) once the Ingress has an address. Clients resolve it wherever the zone is linked to their VNet.`,
      ],
      commands: [
        shellLine(
          [
            'az',
            'network',
            'private-dns',
            'record-set',
            'a',
            'show',
            ...option('--resource-group', zone.resourceGroup),
            ...option('--zone-name', zone.name),
            ...option('--name', relativeName(hostname, zone.name)),
          ],
          'once the Ingress exists: the record points at its address',
        ),
      ],
    };
  }
  const cluster = settings.cluster.mode === 'existing' ? settings.cluster.name : settings.name;
  const where = internal ? 'your private DNS zone' : 'your DNS zone';
  const keep = settings.cluster.mode === 'new' ? 'set ingress.dns.privateZoneId and render again, or run' : 'run';
  return {
    bullets: [
      `- DNS: nothing creates a record for ${markdownCode(hostname)}. Point an A record in ${where} at the application routing load balancer's address as below (\`DNS_ZONE_RESOURCE_GROUP\`, \`DNS_ZONE\`, \`DNS_ZONE_ID\` and \`RECORD\`, the host relative to the zone, are yours), or let the add-on's external-dns keep it: ${keep} \`az aks approuting zone add --attach-zones\` with the zone's id.`,
    ],
    commands: [
      shellLine(
        [
          shellWord(
            'INGRESS_IP=',
            syntax(
              `"$(${shellLine(['kubectl', '-n', AKS_APP_ROUTING.namespace, 'get', 'service', AKS_APP_ROUTING.service, '-o', syntax("jsonpath='{.status.loadBalancer.ingress[0].ip}'")])})"`,
            ),
          ),
        ],
        "the add-on's load balancer: its address exists once the add-on runs",
      ),
      shellLine([
        'az',
        'network',
        internal ? 'private-dns' : 'dns',
        'record-set',
        'a',
        'add-record',
        '--resource-group',
        syntax('"$DNS_ZONE_RESOURCE_GROUP"'),
        '--zone-name',
        syntax('"$DNS_ZONE"'),
        '--record-set-name',
        syntax('"$RECORD"'),
        '--ipv4-address',
        syntax('"$INGRESS_IP"'),
      ]),
      shellLine(
        [
          'az',
          'aks',
          'approuting',
          'zone',
          'add',
          ...option('--resource-group', cloud.resourceGroup),
          ...option('--name', cluster),
          '--ids',
          syntax('"$DNS_ZONE_ID"'),
          '--attach-zones',
        ],
        'or: the add-on keeps the record',
      ),
    ],
  };
}
