/**
 * The NVIDIA device plugin in every self-hosted cell, as Helm renders the emitted values: a
 * DaemonSet exactly on aws and azure (GKE brings its own plugin, on-prem the GPU Operator), on the
 * nodes the model pods select, tolerating the taint the stacks put on the GPU pool, node-critical,
 * its image by digest (under the mirror when air-gapped) and listed in images.txt for the bundle.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { helmBinaries } from '../../cli/conformance/helm/binaries.js';
import { helmTemplate, parseManifests, type KubeObject } from '../../cli/conformance/helm/helm.js';
import { chartDir } from '../../cli/emit/charts.js';
import { GPU_TAINT } from '../../stacks/decisions/gpu.js';
import { aksTaint } from '../../stacks/azure/cluster.js';
import { renderableCells, renderCell } from '../helpers/cells.js';
import { mapLimit, CONCURRENCY } from './helpers.js';

interface Rendered {
  objects: KubeObject[];
  images: string[];
  mirror: string | null;
}

const cells = renderableCells().filter((cell) => cell.models === 'self-hosted');
const renders = new Map<string, Rendered>();

beforeAll(async () => {
  const [helm] = await helmBinaries(['4']);
  await mapLimit(cells, CONCURRENCY, async (cell) => {
    const rendered = renderCell(cell);
    const valuesFile = join(rendered.dir, 'helm', 'model-server.values.yaml');
    const values = parse(readFileSync(valuesFile, 'utf8')) as { global: { imageRegistry: string } };
    const result = await helmTemplate({ helm: helm!.path, chartDir: chartDir('model-server'), valuesFiles: [valuesFile], releaseName: 'model-server', namespace: 'acme-prod-models' });
    if (!result.ok) throw new Error(`${cell.id}: ${result.stderr}`);
    const images = readFileSync(join(rendered.dir, 'images.txt'), 'utf8').trim().split('\n');
    renders.set(cell.id, { objects: parseManifests(result.stdout), images, mirror: values.global.imageRegistry || null });
  });
}, 600_000);

/** Whether a toleration tolerates a taint (the scheduler's rule). */
function tolerates(toleration: Record<string, any>, taint: { key: string; value: string; effect: string }): boolean {
  const keyMatches = toleration.key === taint.key || (!toleration.key && toleration.operator === 'Exists');
  const effectMatches = !toleration.effect || toleration.effect === taint.effect;
  const valueMatches = toleration.operator === 'Exists' || (toleration.value ?? '') === taint.value;
  return keyMatches && effectMatches && valueMatches;
}

const podSpec = (object: KubeObject) => (object.spec as any).template.spec;

describe('the device plugin in every self-hosted cell', () => {
  it('covers self-hosted cells on every platform', () => {
    expect(new Set(cells.map((cell) => cell.platform))).toEqual(new Set(['aws', 'azure', 'gcp', 'onprem']));
  });

  it.each(cells.map((cell) => [cell.id, cell] as const))('%s', (id, cell) => {
    const { objects, images, mirror } = renders.get(id)!;
    const plugins = objects.filter((object) => object.kind === 'DaemonSet');
    const pluginImage = images.filter((image) => image.includes('/vendor/k8s-device-plugin@'));
    if (!['aws', 'azure'].includes(cell.platform)) {
      expect(plugins).toEqual([]);
      expect(pluginImage).toEqual([]);
      return;
    }
    expect(plugins.map((plugin) => plugin.metadata.name)).toEqual(['model-server-nvidia-device-plugin']);
    const spec = podSpec(plugins[0]!);
    const model = podSpec(objects.find((object) => object.kind === 'Deployment')!);
    expect(spec.priorityClassName).toBe('system-node-critical');
    expect(spec.nodeSelector).toEqual(model.nodeSelector);
    expect(Object.keys(spec.nodeSelector ?? {})).not.toHaveLength(0);
    // The stacks taint every GPU pool with GPU_TAINT (AKS spells it key=value:Effect).
    expect(aksTaint(GPU_TAINT)).toBe(`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`);
    expect((spec.tolerations ?? []).some((toleration: Record<string, any>) => tolerates(toleration, GPU_TAINT))).toBe(true);
    const image: string = spec.containers[0].image;
    expect(image).toMatch(/\/vendor\/k8s-device-plugin@sha256:[a-f0-9]{64}$/);
    if (cell.network === 'air-gapped') {
      expect(mirror).not.toBeNull();
      expect(image.startsWith(`${mirror}/`), image).toBe(true);
    }
    // images.txt names the vendor's reference: what the bundle carries and push relocates.
    expect(pluginImage).toHaveLength(1);
    expect(pluginImage[0]!.slice(pluginImage[0]!.indexOf('@'))).toBe(image.slice(image.indexOf('@')));
  });

  it('the toleration check itself: another key, effect or value does not tolerate the taint', () => {
    expect(tolerates({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, GPU_TAINT)).toBe(true);
    expect(tolerates({ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present' }, GPU_TAINT)).toBe(true);
    expect(tolerates({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }, GPU_TAINT)).toBe(false);
    expect(tolerates({ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true' }, GPU_TAINT)).toBe(false);
    expect(tolerates({ key: 'gpu', operator: 'Exists' }, GPU_TAINT)).toBe(false);
  });
});
