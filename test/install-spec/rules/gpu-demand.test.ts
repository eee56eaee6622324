/**
 * RULE_GPU_DEMAND_EXCEEDS_POOL / RULE_GPU_DEMAND_NEEDS_SCALE_UP: the replicas, packed onto nodes of
 * the pool's shape, against what the pool can have. Today's main starter aws self-hosted spec (a
 * 4-GPU chat model and a 1-GPU embedding model on one 4-GPU g6.12xlarge, no autoscaler) is the
 * broken shape; every starter spec and example fits.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { gpuPresets, productsOn, shapesFor } from '../../../cli/matrix/gpu-presets.js';
import { renderTemplate } from '../../../cli/emit/starter-spec.js';
import { checkGpuDemand, gpusPerPoolNode, packedNodes } from '../../../cli/install-spec/rules/gpu-demand.js';
import { PLATFORMS } from '../../../cli/dimensions/index.js';
import { chooseGpuShape } from '../../../stacks/decisions/gpu.js';
import { checkData, codes, loadExample, withValue } from '../../helpers/specs.js';

const starter = (platform: string) => {
  const cell = supportMatrix().cell(`${platform}/github/self-hosted/connected`)!;
  return parse(renderTemplate(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: 'install.schema.json' }));
};

describe('packedNodes (first-fit decreasing)', () => {
  it.each([
    [[4, 1], 4, 2],
    [[4, 1], 8, 1],
    [[4, 4, 1], 8, 2],
    [[2, 2, 1], 2, 3],
    [[3, 3, 2, 2], 5, 2],
    [[1, 1, 1, 1, 1], 4, 2],
    [[], 4, 0],
  ])('%j on %i-GPU nodes: %i node(s)', (replicas, perNode, nodes) => {
    expect(packedNodes(replicas, perNode)).toBe(nodes);
  });

  it('a replica larger than a node does not pack', () => {
    expect(packedNodes([8, 1], 4)).toBeNull();
  });
});

describe('RULE_GPU_DEMAND_EXCEEDS_POOL', () => {
  it("fails today's main starter aws self-hosted spec (5 GPUs, one 4-GPU node) where nothing scales the pool up", () => {
    // Main's pool: min 1, max 2, no autoscaler. With the cluster autoscaler the stacks now run, max 2 fits
    // (a scale-up warning); pinned to one node, as main effectively was, it is an error.
    const mainShape = withValue(withValue(starter('aws'), 'spec.models.gpuPool.minNodes', 1), 'spec.models.gpuPool.maxNodes', 2);
    expect(mainShape.spec.models.catalog.map((model: { gpuCount: number }) => model.gpuCount)).toEqual([4, 1]);
    expect(codes(checkData(mainShape), 'warning')).toContain('RULE_GPU_DEMAND_NEEDS_SCALE_UP');
    const pinned = withValue(mainShape, 'spec.models.gpuPool.maxNodes', 1);
    const issue = checkData(pinned).issues.find((i) => i.code === 'RULE_GPU_DEMAND_EXCEEDS_POOL')!;
    expect(issue.severity).toBe('error');
    expect(issue.message).toMatch(/5 GPU.*2 node/);
  });

  it("fails today's main aws example (2 x 4 + 1 GPUs on 8-GPU nodes) when the pool cannot grow to two nodes", () => {
    const mainShape = withValue(withValue(loadExample('aws-ghes-self-hosted-air-gapped.yaml'), 'spec.models.gpuPool.minNodes', 1), 'spec.models.gpuPool.maxNodes', 1);
    expect(codes(checkData(mainShape))).toContain('RULE_GPU_DEMAND_EXCEEDS_POOL');
  });

  it('checks an autoscaled pool against maxNodes, and warns when the replicas need more than minNodes', () => {
    const azure = starter('azure');
    const tooSmall = withValue(withValue(withValue(azure, 'spec.models.catalog.0.replicas', 3), 'spec.models.gpuPool.minNodes', 1), 'spec.models.gpuPool.maxNodes', 3);
    const error = checkData(tooSmall).issues.find((i) => i.code === 'RULE_GPU_DEMAND_EXCEEDS_POOL')!;
    expect(error.path).toBe('spec.models.gpuPool.maxNodes');
    expect(error.hint).toContain('raise maxNodes to 4');
    const scaleUp = withValue(withValue(azure, 'spec.models.gpuPool.minNodes', 1), 'spec.models.gpuPool.maxNodes', 2);
    expect(codes(checkData(scaleUp), 'warning')).toContain('RULE_GPU_DEMAND_NEEDS_SCALE_UP');
    expect(codes(checkData(scaleUp))).not.toContain('RULE_GPU_DEMAND_EXCEEDS_POOL');
  });

  it('on-prem packs onto gpusPerNode and never counts on an autoscaler', () => {
    const onprem = withValue(starter('onprem'), 'spec.models.gpuPool.gpusPerNode', 2);
    const issue = checkData(onprem).issues.find((i) => i.code === 'RULE_GPU_DEMAND_EXCEEDS_POOL')!;
    expect(issue.message).toContain('nothing scales the onprem GPU pool');
  });

  // Per cloud preset: a chat model as large as the product's largest node plus a 1-GPU embedding model needs two nodes.
  const presetCases = Object.values(PLATFORMS).flatMap((descriptor) => {
    const presets = descriptor.emit.gpuPresets;
    if (presets === null) return [];
    return productsOn(presets).map((product) => [descriptor.id, product, Math.max(...shapesFor(product, presets).map((shape) => shape.gpus))] as const);
  });
  it.each(presetCases)('%s %s: a %i-GPU chat model and a 1-GPU embedding model need 2 nodes', (platform, product, largest) => {
    const base = withValue(starter(platform), 'spec.models.gpuPool.product', product);
    const spec = withValue(withValue(base, 'spec.models.catalog.0.gpuCount', largest), 'spec.models.catalog.0.tensorParallelSize', largest);
    const autoscales = PLATFORMS[platform].emit.gpuPoolAutoscales === true;
    const pool = (min: number, max: number) => withValue(withValue(spec, 'spec.models.gpuPool.minNodes', min), 'spec.models.gpuPool.maxNodes', max);
    expect(codes(checkData(pool(1, 1)))).toContain('RULE_GPU_DEMAND_EXCEEDS_POOL');
    expect(codes(checkData(pool(1, 2)))).toEqual(autoscales ? [] : ['RULE_GPU_DEMAND_EXCEEDS_POOL']);
    expect(codes(checkData(pool(2, 2)), 'any').filter((code) => code.startsWith('RULE_GPU_DEMAND'))).toEqual([]);
  });

  it("reads each pool node's GPUs as the stack's chooseGpuShape picks them", () => {
    for (const descriptor of Object.values(PLATFORMS)) {
      const presets = descriptor.emit.gpuPresets;
      if (presets === null) continue;
      for (const product of Object.keys(gpuPresets().products)) {
        for (const needed of [1, 2, 4, 8]) {
          const install = withValue(withValue(starter(descriptor.id), 'spec.models.gpuPool.product', product), 'spec.models.catalog.0.gpuCount', needed);
          const stack = chooseGpuShape(
            shapesFor(product, presets).map((shape) => ({ name: shape.name, gpus: shape.gpus, accelerator: shape.accelerator ?? null })),
            needed,
          );
          expect(gpusPerPoolNode(install, install.spec.models), `${descriptor.id} ${product} ${needed}`).toBe(stack?.gpus ?? null);
        }
      }
    }
  });
});

describe('the starter specs and examples fit their pools', () => {
  const selfHosted = supportMatrix()
    .cells()
    .filter((cell) => cell.models === 'self-hosted' && cell.status !== 'unsupported');
  it.each(selfHosted.map((cell) => [cell.id, cell] as const))('%s: no GPU demand finding', (_, cell) => {
    const spec = parse(renderTemplate(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: 'install.schema.json' }));
    expect(checkGpuDemand(spec)).toEqual([]);
  });

  it.each(['aws-ghes-self-hosted-air-gapped.yaml', 'gcp-gitlab-self-hosted-air-gapped.yaml', 'onprem-bitbucket-self-hosted-air-gapped.yaml'])(
    '%s: no GPU demand finding',
    (file) => {
      expect(checkGpuDemand(loadExample(file))).toEqual([]);
    },
  );
});
