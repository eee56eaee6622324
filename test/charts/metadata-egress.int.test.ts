/**
 * Issue 10, item 9 (chart side): an egress CIDR never opens a cloud metadata address. Each CIDR of
 * the table goes into networkPolicy.allowedCidrs of both charts (connected fixtures, so the
 * "anywhere" HTTPS rule is rendered too); real Helm 3 and 4 render it, every egress ipBlock holding
 * a metadata address must except exactly those addresses, and the manifest policy metadata-egress
 * holds. A CIDR that is a metadata address itself, or an IPv6 range, fails the render, naming the value.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cli/conformance/helm/helm.js';
import { checkManifests, cidrContains, METADATA_ADDRESSES } from '../../cli/conformance/helm/manifest-policies.js';
import { contextFor, fixturePath, helmBinaries, mergedValues, overrideFile, render, type ChartName } from './helpers.js';

const FIXTURES: Record<ChartName, string> = { 'agent-platform': 'aws-ghes-bedrock-connected.yaml', 'model-server': 'vanilla-hf-connected.yaml' };
const CIDRS = ['0.0.0.0/0', '128.0.0.0/1', '169.254.0.0/16', '169.254.169.0/24', '100.64.0.0/10', '100.100.100.0/24', '10.0.0.0/8'];

/** The metadata addresses a CIDR contains, as the except entries it needs. */
const expectedExcept = (cidr: string) => METADATA_ADDRESSES.filter((address) => cidrContains(cidr, address)).map((address) => `${address}/32`);

function egressBlocks(objects: KubeObject[]): Array<{ policy: string; cidr: string; except?: string[] }> {
  return objects
    .filter((object) => object.kind === 'NetworkPolicy')
    .flatMap((policy) => (((policy.spec as any).egress ?? []) as any[]).flatMap((rule) => ((rule.to ?? []) as any[]).filter((peer) => peer.ipBlock).map((peer) => ({ policy: policy.metadata.name, ...peer.ipBlock }))));
}

async function renderWith(chart: ChartName, allowedCidrs: string[]) {
  const files = [fixturePath(chart, FIXTURES[chart]), overrideFile(`${chart}-cidrs-${allowedCidrs.join('-')}`, { networkPolicy: { allowedCidrs } })];
  const binaries = await helmBinaries();
  return { files, renders: await Promise.all(binaries.map(async (binary) => ({ helm: binary.name, ...(await render(chart, binary.helm, files)) }))) };
}

describe.each(['agent-platform', 'model-server'] as const)('%s: egress CIDRs except the cloud metadata addresses', (chart) => {
  it.each(CIDRS)('%s', async (cidr) => {
    const { files, renders } = await renderWith(chart, [cidr]);
    for (const { helm, result, objects } of renders) {
      expect(result.ok, `${helm}: ${result.stderr}`).toBe(true);
      const blocks = egressBlocks(objects);
      const allowed = blocks.filter((block) => block.policy.endsWith('-allowed-cidrs'));
      expect(allowed.map((block) => block.cidr), helm).toEqual([cidr]);
      for (const block of blocks) expect(block.except ?? [], `${helm} ${block.policy} ${block.cidr}`).toEqual(expectedExcept(block.cidr));
      // The connected HTTPS rule ("anywhere") excepts every address.
      expect(blocks.filter((block) => block.cidr === '0.0.0.0/0').length, helm).toBeGreaterThan(0);
      const violations = checkManifests(objects, contextFor(chart, mergedValues(chart, files))).filter((violation) => violation.policy === 'metadata-egress');
      expect(violations, helm).toEqual([]);
    }
  });

  it.each([...METADATA_ADDRESSES.map((address) => [`${address}/32`, 'is a cloud metadata address'] as const), ['fd00:ec2::254/128', 'is not an IPv4 CIDR'] as const, ['::/0', 'is not an IPv4 CIDR'] as const])(
    '%s fails the render',
    async (cidr, message) => {
      const { renders } = await renderWith(chart, ['10.0.0.0/8', cidr]);
      for (const { helm, result } of renders) {
        expect(result.ok, helm).toBe(false);
        expect(result.stderr, helm).toContain(`networkPolicy.allowedCidrs[1]: `);
        expect(result.stderr, helm).toContain(message);
      }
    },
  );
});
