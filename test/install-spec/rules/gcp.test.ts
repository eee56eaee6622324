/**
 * GCP platform rules: the GPU product's accelerator in the spec's region (matrix/gpu-presets.yaml
 * gcpAcceleratorZones), and a new air-gapped VPC without a hub. Specs come from init for the GCP
 * self-hosted cells of the support matrix.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { gpuPresets } from '../../../cli/matrix/gpu-presets.js';
import { init } from '../../../cli/services/init.js';
import { checkGcpPlatform } from '../../../cli/install-spec/rules/gcp.js';
import type { Install } from '../../../cli/generated/install-spec.js';
import type { GpuPresets } from '../../../cli/generated/gpu-presets.js';

const cells = supportMatrix()
  .cells()
  .filter((cell) => cell.platform === 'gcp' && cell.status !== 'unsupported');
const starter = (cell: (typeof cells)[number]): Install =>
  parse(init({ platform: 'gcp', scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec) as Install;
const codes = (install: Install, presets?: GpuPresets) => checkGcpPlatform(install, presets).map((finding) => `${finding.severity}:${finding.code}`);
const withRegion = (install: Install, region: string): Install => ({
  ...install,
  spec: { ...install.spec, platform: { ...install.spec.platform, region } as Install['spec']['platform'] },
});

describe('GCP platform rules on the starter specs', () => {
  it.each(cells.map((cell) => [cell.id, cell] as const))('%s: no finding', (_, cell) => {
    expect(codes(starter(cell))).toEqual([]);
  });
});

const selfHosted = cells.filter((cell) => cell.models === 'self-hosted');

describe('RULE_GPU_REGION_UNAVAILABLE / RULE_GPU_REGION_UNLISTED', () => {
  it('has self-hosted GCP cells to check', () => expect(selfHosted.length).toBeGreaterThan(0));

  it.each(selfHosted.map((cell) => [cell.id, cell] as const))('%s: a listed region without the accelerator is an error', (_, cell) => {
    const shipped = gpuPresets();
    // us-central1 as a table that lists the region but no zone with nvidia-l4.
    const { 'nvidia-l4': _l4, ...others } = shipped.gcpAcceleratorZones!.regions['us-central1']!;
    const presets: GpuPresets = { ...shipped, gcpAcceleratorZones: { ...shipped.gcpAcceleratorZones!, regions: { 'us-central1': others } } };
    expect(codes(starter(cell), presets)).toEqual(['error:RULE_GPU_REGION_UNAVAILABLE']);
  });

  it.each(selfHosted.map((cell) => [cell.id, cell] as const))('%s: a region the table does not list is a warning', (_, cell) => {
    expect(codes(withRegion(starter(cell), 'southamerica-east1'))).toEqual(['warning:RULE_GPU_REGION_UNLISTED']);
  });

  it('lists every GKE accelerator of the presets in every listed region, with zones of that region', () => {
    const accelerators = new Set(Object.values(gpuPresets().products).flatMap((product) => (product?.gcp ?? []).map((shape) => shape.accelerator)));
    for (const [region, zones] of Object.entries(gpuPresets().gcpAcceleratorZones!.regions)) {
      expect(Object.keys(zones ?? {}).sort(), region).toEqual([...accelerators].sort());
      for (const list of Object.values(zones ?? {})) for (const zone of list ?? []) expect(zone.startsWith(`${region}-`), zone).toBe(true);
    }
  });
});

describe('RULE_GCP_VPC_ISLAND', () => {
  const airGapped = cells.filter((cell) => cell.network === 'air-gapped');
  it.each(airGapped.map((cell) => [cell.id, cell] as const))('%s: a new air-gapped VPC without a hub is flagged', (_, cell) => {
    const install = starter(cell);
    const platform = { ...install.spec.platform } as Extract<Install['spec']['platform'], { type: 'gcp' }>;
    delete platform.hub;
    expect(codes({ ...install, spec: { ...install.spec, platform } })).toEqual(['warning:RULE_GCP_VPC_ISLAND']);
  });
});
