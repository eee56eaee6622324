/**
 * GPU capacity: every replica of every self-hosted model must land on one node of the GPU pool.
 * The pool's nodes have the GPUs of the shape the stack picks (the smallest preset shape that holds
 * the largest model, stacks/decisions/gpu.ts) or, on-prem, gpuPool.gpusPerNode. The replicas are
 * packed onto nodes first-fit-decreasing (what the scheduler manages at best: a replica never spans
 * nodes), and the node count is compared with what the pool can have: maxNodes where an autoscaler
 * grows the pool, minNodes where nothing does (the platform descriptor's gpuPoolAutoscales).
 */
import type { Install } from '../../generated/install-spec.js';
import { shapesFor } from '../../matrix/gpu-presets.js';
import type { Finding } from '../../schema/issue.js';
import { platformOf } from '../../dimensions/index.js';

type SelfHosted = Extract<Install['spec']['models'], { hosting: 'self-hosted' }>;

/** The GPUs of each replica of each model, one entry per replica. */
export function replicaGpus(catalog: SelfHosted['catalog']): number[] {
  return catalog.flatMap((model) => Array.from({ length: model.replicas ?? 1 }, () => model.gpuCount));
}

/** Nodes of gpusPerNode GPUs that first-fit-decreasing packing needs for the replicas; null when one replica is larger than a node. */
export function packedNodes(replicas: readonly number[], gpusPerNode: number): number | null {
  if (replicas.some((gpus) => gpus > gpusPerNode)) return null;
  const free: number[] = [];
  for (const gpus of [...replicas].sort((a, b) => b - a)) {
    const node = free.findIndex((left) => left >= gpus);
    if (node === -1) free.push(gpusPerNode - gpus);
    else free[node]! -= gpus;
  }
  return free.length;
}

/** GPUs on each node of the pool the stack creates (clouds) or the spec describes (on-prem); null when unknown. */
export function gpusPerPoolNode(install: Install, models: SelfHosted): number | null {
  const pool = models.gpuPool;
  if (!pool) return null;
  const presets = platformOf(install.spec.platform).emit.gpuPresets;
  if (presets === null) return pool.gpusPerNode ?? null;
  const needed = Math.max(1, ...models.catalog.map((model) => model.gpuCount));
  // The stack's choice (stacks/decisions/gpu.ts chooseGpuShape; the test holds them together): the smallest shape that holds the largest model.
  return shapesFor(pool.product, presets).find((shape) => shape.gpus >= needed)?.gpus ?? null;
}

export function checkGpuDemand(install: Install): Finding[] {
  const models = install.spec.models;
  if (models.hosting !== 'self-hosted' || !models.gpuPool) return [];
  const pool = models.gpuPool;
  const perNode = gpusPerPoolNode(install, models);
  const replicas = replicaGpus(models.catalog);
  // A model larger than any node is RULE_GPU_EXCEEDS_NODE's (models.ts); an unknown node size cannot be packed.
  const needed = perNode === null ? null : packedNodes(replicas, perNode);
  if (perNode === null || needed === null || pool.minNodes > pool.maxNodes) return [];
  const platform = install.spec.platform.type;
  const autoscales = platformOf(install.spec.platform).emit.gpuPoolAutoscales === true;
  const total = replicas.reduce((sum, gpus) => sum + gpus, 0);
  const demand = `${replicas.length} model replica(s) need ${total} GPU(s); packed onto nodes of ${perNode} GPU(s) that is ${needed} node(s)`;
  const limit = autoscales ? pool.maxNodes : pool.minNodes;
  if (needed > limit) {
    return [
      {
        severity: 'error',
        code: 'RULE_GPU_DEMAND_EXCEEDS_POOL',
        path: ['spec', 'models', 'gpuPool', autoscales ? 'maxNodes' : 'minNodes'],
        message: autoscales
          ? `${demand}, but the pool grows to maxNodes ${pool.maxNodes}: the rest stay Pending and helm --wait fails`
          : `${demand}, but nothing scales the ${platform} GPU pool: it stays at minNodes ${pool.minNodes}, the rest stay Pending and helm --wait fails`,
        hint: autoscales
          ? `raise maxNodes to ${needed} (and minNodes to ${needed} to have them at install), or fewer replicas`
          : `raise minNodes to ${needed}${pool.maxNodes < needed ? ` and maxNodes to ${needed}` : ''}, or fewer replicas${platformOf(install.spec.platform).emit.gpuPresets === null ? ', or larger nodes (gpusPerNode)' : ''}`,
      },
    ];
  }
  if (needed > pool.minNodes) {
    return [
      {
        severity: 'warning',
        code: 'RULE_GPU_DEMAND_NEEDS_SCALE_UP',
        path: ['spec', 'models', 'gpuPool', 'minNodes'],
        message: `${demand}; the pool starts with minNodes ${pool.minNodes}, so the install waits for the autoscaler to add ${needed - pool.minNodes} GPU node(s)`,
        hint: `raise minNodes to ${needed} to have the nodes at install`,
      },
    ];
  }
  return [];
}
