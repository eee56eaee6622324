/**
 * Issue 13 on GKE: each deployability policy passes on today's stacks and fails on the shape the
 * stacks had before (no Dataplane V2, no release channel, GPU pools in every zone, autoscaled pools
 * that reset their size, no maintenance windows, an air-gapped VPC that is an island, no DNS
 * record), table-driven over one GCP cell per stack shape of the support matrix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../../cli/services/init.js';
import { render } from '../../../cli/services/render.js';
import { supportMatrix, type Cell } from '../../../cli/matrix/engine.js';
import { synthesizeProject } from '../../../cli/conformance/pulumi/synthesize.js';
import { gcpClusterPolicies } from '../../../cli/conformance/pulumi/clouds/gcp-cluster-policies.js';
import type { PolicyContext, Synthesis, SynthesizedResource } from '../../../cli/conformance/pulumi/types.js';

async function synthesize(cell: Cell, edit: (spec: string) => string = (spec) => spec): Promise<Synthesis> {
  const root = mkdtempSync(join(tmpdir(), 'installctl-gcp-deploy-'));
  const spec = edit(init({ platform: 'gcp', scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec);
  writeFileSync(join(root, 'spec.yaml'), spec);
  const result = render({ spec: join(root, 'spec.yaml'), outDir: join(root, 'out'), allowPlaceholders: true });
  if (!result.valid) throw new Error(JSON.stringify(result.issues));
  return synthesizeProject(join(root, 'out', 'pulumi'));
}

const violationsOf = (synthesis: Synthesis) => {
  const context: PolicyContext = { settings: synthesis.settings, resources: synthesis.resources, ofType: (type) => synthesis.resources.filter((resource) => resource.type === type) };
  return gcpClusterPolicies.flatMap((policy) => policy(context));
};
const policiesOf = (synthesis: Synthesis) => [...new Set(violationsOf(synthesis).map((violation) => violation.policy))].sort();

/** A copy of the synthesis with every resource of one type changed (dropped when the change returns null). */
const broken = (synthesis: Synthesis, type: string, change: (resource: SynthesizedResource) => SynthesizedResource | null): Synthesis => {
  const copy: Synthesis = JSON.parse(JSON.stringify(synthesis));
  copy.resources = copy.resources.flatMap((resource) => (resource.type === type ? (change(resource) ?? []) : [resource]));
  return copy;
};
const without =
  (...properties: string[]) =>
  (resource: SynthesizedResource) => {
    for (const property of properties) delete resource.inputs[property];
    return resource;
  };
const gpuOnly = (change: (resource: SynthesizedResource) => SynthesizedResource) => (resource: SynthesizedResource) =>
  (resource.inputs.nodeConfig?.guestAccelerators ?? []).length > 0 ? change(resource) : resource;

/** One GCP cell per stack shape (models x network): the SCM does not change the stack. */
const CELLS = [...new Map(supportMatrix().cells().filter((cell) => cell.platform === 'gcp' && cell.status !== 'unsupported').map((cell) => [`${cell.models}/${cell.network}`, cell])).values()];

const CLUSTER = 'gcp:container/cluster:Cluster';
const POOL = 'gcp:container/nodePool:NodePool';

describe.each(CELLS.map((cell) => [cell.id, cell] as const))('%s', (_, cell) => {
  let fixed: Synthesis;
  beforeAll(async () => {
    fixed = await synthesize(cell);
  }, 60_000);

  it('passes every deployability policy', () => {
    expect(fixed.errors).toEqual([]);
    expect(violationsOf(fixed)).toEqual([]);
  });

  it.each([
    ['a cluster without Dataplane V2 (main)', CLUSTER, without('datapathProvider'), 'network-policy-enforced'],
    ['a cluster without a release channel (main)', CLUSTER, without('releaseChannel'), 'release-channel'],
    ['a node pool pinned to a version under the release channel', POOL, (r: SynthesizedResource) => ({ ...r, inputs: { ...r.inputs, version: '1.33.5-gke.1080000' } }), 'version-pin-major'],
    ['autoscaled pools that reset their size on update (main)', POOL, (r: SynthesizedResource) => ({ ...r, options: { ignoreChanges: [], dependsOn: r.options?.dependsOn ?? [] } }), 'autoscaler-owns-size'],
    ['a pool with a fixed size', POOL, (r: SynthesizedResource) => ({ ...without('autoscaling')(r), inputs: { ...r.inputs, autoscaling: undefined, nodeCount: 3 } }), 'node-autoscaling'],
  ])('fails with %s', (_name, type, change, policy) => {
    expect(policiesOf(broken(fixed, type, change))).toContain(policy);
  });

  it.runIf(cell.models === 'self-hosted')('fails with a GPU pool in every zone of the region (main) or in a zone without the accelerator', () => {
    expect(policiesOf(broken(fixed, POOL, gpuOnly(without('nodeLocations'))))).toContain('gpu-zones');
    const outside = broken(fixed, POOL, gpuOnly((r) => ({ ...r, inputs: { ...r.inputs, nodeLocations: ['us-central1-f'] } })));
    expect(violationsOf(outside).filter((violation) => violation.policy === 'gpu-zones').map((violation) => violation.message)).toEqual([
      'us-central1-f offer no nvidia-l4 (offered in us-central1-a, us-central1-b, us-central1-c)',
    ]);
  });

  it.runIf(cell.models === 'self-hosted')('fails with Cloud SQL and Memorystore without maintenance windows (main) or a minor-pinned Cloud SQL', () => {
    const noWindow = broken(broken(fixed, 'gcp:sql/databaseInstance:DatabaseInstance', (r) => ({ ...r, inputs: { ...r.inputs, settings: { ...r.inputs.settings, maintenanceWindow: undefined } } })), 'gcp:redis/instance:Instance', without('maintenancePolicy'));
    expect(violationsOf(noWindow).filter((violation) => violation.policy === 'version-pin-major')).toHaveLength(2);
    expect(policiesOf(broken(fixed, 'gcp:sql/databaseInstance:DatabaseInstance', (r) => ({ ...r, inputs: { ...r.inputs, databaseVersion: 'POSTGRES_16_4' } })))).toContain('version-pin-major');
  });

  it.runIf(cell.network === 'air-gapped')('fails with a new air-gapped VPC peered with nothing (main)', () => {
    expect(fixed.resources.filter((resource) => resource.type === 'gcp:compute/networkPeering:NetworkPeering').map((peering) => peering.inputs.peerNetwork)).toEqual([
      'projects/example-project/global/networks/hub',
    ]);
    expect(policiesOf(broken(fixed, 'gcp:compute/networkPeering:NetworkPeering', () => null))).toEqual(['network-reachable']);
  });
});

describe('release channel', () => {
  it('an lts product release follows GKE STABLE', async () => {
    const synthesis = await synthesize(CELLS[0]!, (spec) => spec.replace(/(\n +)version: (\S+)/, '$1version: $2$1channel: lts'));
    expect(synthesis.settings.releaseChannel).toBe('lts');
    expect(synthesis.resources.find((resource) => resource.type === CLUSTER)!.inputs.releaseChannel).toEqual({ channel: 'STABLE' });
    expect(violationsOf(synthesis)).toEqual([]);
    const regular = broken(synthesis, CLUSTER, (r) => ({ ...r, inputs: { ...r.inputs, releaseChannel: { channel: 'REGULAR' } } }));
    expect(policiesOf(regular)).toEqual(['release-channel']);
  }, 60_000);
});

describe('GPU zones from the accelerator table', () => {
  it('puts an A100 80GB pool in europe-west4 in its one zone, sized per zone', async () => {
    const cell = CELLS.find((candidate) => candidate.models === 'self-hosted' && candidate.network === 'connected')!;
    const synthesis = await synthesize(cell, (spec) => spec.replace('region: us-central1', 'region: europe-west4').replace('product: l4', 'product: a100-80gb'));
    expect(synthesis.errors).toEqual([]);
    expect(violationsOf(synthesis)).toEqual([]);
    const pool = synthesis.resources.find((resource) => resource.type === POOL && resource.inputs.nodeConfig?.guestAccelerators)!;
    expect(pool.inputs.nodeLocations).toEqual(['europe-west4-a']);
    expect(pool.inputs.nodeConfig.guestAccelerators[0].type).toBe('nvidia-a100-80gb');
    const { minNodes, maxNodes } = synthesis.settings.models.gpuPool!;
    expect(pool.inputs.autoscaling).toMatchObject({ totalMinNodeCount: minNodes, totalMaxNodeCount: maxNodes });
    expect(pool.inputs.initialNodeCount).toBe(minNodes);
  }, 60_000);
});

describe('ingress.dns on GKE', () => {
  const cell = CELLS.find((candidate) => candidate.network === 'connected')!;
  const withDns = (spec: string) => spec.replace(/\n( +)ingress:\n/, '\n$1ingress:\n$1  dns: { managedZone: corp-internal, project: acme-hub-dns }\n');
  let synthesis: Synthesis;
  beforeAll(async () => {
    synthesis = await synthesize(cell, withDns);
  }, 60_000);

  it('reserves the internal address, records the hostname on it and pins the Ingress to it', () => {
    expect(synthesis.errors).toEqual([]);
    expect(violationsOf(synthesis)).toEqual([]);
    const address = synthesis.resources.find((resource) => resource.type === 'gcp:compute/address:Address')!;
    expect(address.inputs).toMatchObject({ name: 'acme-prod-ingress', addressType: 'INTERNAL', purpose: 'SHARED_LOADBALANCER_VIP', region: 'us-central1' });
    const record = synthesis.resources.find((resource) => resource.type === 'gcp:dns/recordSet:RecordSet' && resource.inputs.managedZone === 'corp-internal')!;
    expect(record.inputs).toMatchObject({ project: 'acme-hub-dns', type: 'A', name: `${synthesis.settings.ingress!.hostname}.` });
    expect(synthesis.outputs.agentPlatformValues).toMatchObject({ ingress: { annotations: { 'kubernetes.io/ingress.regional-static-ip-name': 'acme-prod-ingress' } } });
  });

  it('fails without the record (main: no record on any cloud)', () => {
    expect(policiesOf(broken(synthesis, 'gcp:dns/recordSet:RecordSet', (r) => (r.inputs.managedZone === 'corp-internal' ? null : r)))).toEqual(['ingress-dns']);
  });
});
