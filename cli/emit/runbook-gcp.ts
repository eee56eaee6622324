/**
 * GKE prerequisites the stack cannot guarantee itself: NetworkPolicy enforcement on an existing
 * cluster (a new one runs Dataplane V2), and the ingress hostname's DNS record when the spec names
 * no Cloud DNS zone for the stack to write it to.
 */
import type { GcpCloud, InstallSettings } from '../../stacks/settings.js';
import { ingressAddressName } from '../../stacks/gcp/ingress-dns.js';
import { gcpIngressDns } from '../../stacks/decisions/ingress.js';
import { markdownCode, markdownText } from '../lib/markdown-text.js';
import { operand, option, shellLine, syntax } from './shell.js';

/** The chart's Ingress is named after its release. */
const INGRESS_NAME = 'agent-platform';

/** `hostname`: the spec's ingress hostname. */
export function gcpDeployabilityPrerequisites(settings: InstallSettings, cloud: GcpCloud, hostname: string): { bullets: string[]; commands: string[] } {
  const bullets: string[] = [];
  const commands: string[] = [];
  if (settings.cluster.mode === 'existing') {
    bullets.push(
      `- NetworkPolicies: the charts' NetworkPolicies are enforced only with GKE Dataplane V2 or network policy enforcement on cluster ${markdownCode(settings.cluster.name)}; without either they are silent no-ops (Dataplane V2 can only be chosen when a cluster is created; enforcement can be enabled with \`gcloud container clusters update --enable-network-policy\`).`,
    );
    commands.push(
      shellLine(
        [
          'gcloud',
          'container',
          'clusters',
          'describe',
          operand(settings.cluster.name),
          ...option('--region', cloud.region),
          ...option('--project', cloud.projectId),
          syntax("--format='value(networkConfig.datapathProvider,networkPolicy.enabled)'"),
        ],
        'ADVANCED_DATAPATH, or True: NetworkPolicies are enforced',
      ),
    );
  }
  const dns = gcpIngressDns(settings);
  if (dns) {
    bullets.push(
      `- DNS: the stack reserved the address ${markdownCode(ingressAddressName(settings.name))} for the Ingress and created the A record ${markdownText(hostname)} in the Cloud DNS zone ${markdownCode(dns.managedZone)}${dns.project ? ` of project ${markdownText(dns.project)}` : ''}.`,
    );
  } else {
    bullets.push(
      `- DNS: no record is created for ${markdownText(hostname)} (set ingress.dns.managedZone to let the stack create it). Once the Ingress has its address (${markdownCode(shellLine(['kubectl', ...option('-n', settings.workloads.platformNamespace), 'get', 'ingress', INGRESS_NAME, '-o', syntax("jsonpath='{.status.loadBalancer.ingress[0].ip}'")]))}), add an A record for it in your private zone, or run external-dns.`,
    );
  }
  return { bullets, commands };
}
