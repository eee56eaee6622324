/**
 * The GKE runbook lines of issue 13: the hub's reverse peering and how the private API endpoint is
 * reached, the DNS record (created by the stack with ingress.dns, else the manual step or
 * external-dns), and NetworkPolicy enforcement on an existing cluster.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { renderCell } from '../helpers/cells.js';
import { gcpDeployabilityPrerequisites } from '../../cli/emit/runbook-gcp.js';
import type { GcpCloud, InstallSettings } from '../../stacks/settings.js';

const gcpCells = supportMatrix()
  .cells()
  .filter((cell) => cell.platform === 'gcp' && cell.status !== 'unsupported');

describe('GKE runbook: hub, DNS', () => {
  it.each(gcpCells.filter((cell) => cell.models === 'saas-api' || cell.network === 'air-gapped').map((cell) => [cell.id, cell] as const))('%s', (_, cell) => {
    const runbook = readFileSync(join(renderCell(cell).dir, 'RUNBOOK.md'), 'utf8');
    expect(runbook).toContain('- DNS: no record is created for agents.');
    expect(runbook).toContain('or run external-dns');
    if (cell.network === 'air-gapped') {
      expect(runbook).toContain('- Hub: the stack peers the VPC with projects/example-project/global/networks/hub');
      expect(runbook).toContain(
        'gcloud compute networks peerings create acme-prod-from-agents --project example-project --network hub --peer-network projects/example-project/global/networks/acme-prod-vpc --export-custom-routes',
      );
      expect(runbook).toContain('Connect Gateway');
    } else expect(runbook).not.toContain('- Hub:');
  });
});

describe('gcpDeployabilityPrerequisites', () => {
  const cloud: GcpCloud = { type: 'gcp', projectId: 'acme-agents', region: 'us-central1', vpc: { mode: 'existing', network: 'shared', subnetwork: 'nodes' } };
  const base = { name: 'acme-prod', workloads: { platformNamespace: 'agents' } } as unknown as InstallSettings;

  it('an existing cluster: checks Dataplane V2 or network policy enforcement', () => {
    const result = gcpDeployabilityPrerequisites({ ...base, cluster: { mode: 'existing', name: 'gke-1', kubernetesVersion: '1.33' } }, cloud, 'agents.corp.internal');
    expect(result.bullets.join('\n')).toContain('silent no-ops');
    expect(result.commands).toEqual([
      "gcloud container clusters describe gke-1 --region us-central1 --project acme-agents --format='value(networkConfig.datapathProvider,networkPolicy.enabled)'   # ADVANCED_DATAPATH, or True: NetworkPolicies are enforced",
    ]);
  });

  it('ingress.dns: says which address and record the stack made', () => {
    const settings = {
      ...base,
      cluster: { mode: 'new' },
      ingress: { exposure: 'internal', hostname: 'agents.corp.internal', dns: { managedZone: 'corp', project: null } },
    } as unknown as InstallSettings;
    const result = gcpDeployabilityPrerequisites(settings, cloud, 'agents.corp.internal');
    expect(result.bullets).toEqual([
      '- DNS: the stack reserved the address `acme-prod-ingress` for the Ingress and created the A record agents.corp.internal in the Cloud DNS zone `corp`.',
    ]);
    expect(result.commands).toEqual([]);
  });
});
