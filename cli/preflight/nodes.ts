/**
 * node-resources: whether the platform's pods fit on the nodes they can land on. Free is
 * allocatable (capacity less what the kubelet and system reserve) minus what the node's running
 * pods already request, on Ready, uncordoned nodes whose hard taints the pods tolerate (the
 * agent-platform chart sets no tolerations, so tainted GPU nodes do not count). Pods are placed
 * first-fit-decreasing, each whole on one node, as the scheduler must.
 */
import { byName, checkResult, shown, unschedulableReason, type Analyzer, type EvidenceNode } from './analyzer-kit.js';
import { formatCpu, formatMemory, resourceAmount } from './quantity.js';

export interface Bin {
  name: string;
  /** Free amount per resource (cpu in millicores, memory in bytes, nvidia.com/gpu in devices). */
  free: Record<string, number>;
  placed: string[];
}

export interface Item {
  name: string;
  needs: Record<string, number>;
}

/** Free per resource: allocatable less requested. */
export function freeOf(node: EvidenceNode, resources: readonly string[]): Record<string, number> {
  return Object.fromEntries(resources.map((resource) => [resource, resourceAmount(node.allocatable, resource) - resourceAmount(node.requested, resource)]));
}

/**
 * First-fit-decreasing: items by their first resource (then the next), largest first; each goes to
 * the first bin (in the order given) where every resource fits. Returns the items that fit nowhere.
 */
export function packFirstFitDecreasing(bins: Bin[], items: readonly Item[], resources: readonly string[]): Item[] {
  const order = [...items].sort((a, b) => {
    for (const resource of resources) if ((b.needs[resource] ?? 0) !== (a.needs[resource] ?? 0)) return (b.needs[resource] ?? 0) - (a.needs[resource] ?? 0);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  const unplaced: Item[] = [];
  for (const item of order) {
    const bin = bins.find((candidate) => resources.every((resource) => (candidate.free[resource] ?? 0) >= (item.needs[resource] ?? 0)));
    if (!bin) {
      unplaced.push(item);
      continue;
    }
    for (const resource of resources) bin.free[resource] = (bin.free[resource] ?? 0) - (item.needs[resource] ?? 0);
    bin.placed.push(item.name);
  }
  return unplaced;
}

const RESOURCES = ['cpu', 'memory'] as const;

function nodeLine(node: EvidenceNode): string {
  const cpu = `${formatCpu(resourceAmount(node.allocatable, 'cpu'))} allocatable - ${formatCpu(resourceAmount(node.requested, 'cpu'))} requested`;
  const memory = `${formatMemory(resourceAmount(node.allocatable, 'memory'))} - ${formatMemory(resourceAmount(node.requested, 'memory'))}`;
  return `${shown(node.name)}: ${cpu}, ${memory}`;
}

export const nodeResources: Analyzer = (requirements, evidence) => {
  const id = 'node-resources';
  const nodes = [...evidence.nodes].sort(byName);
  const excluded = nodes.map((node) => ({ node, reason: unschedulableReason(node, []) })).filter((entry) => entry.reason !== null);
  const eligible = nodes.filter((node) => unschedulableReason(node, []) === null);
  const items: Item[] = requirements.platformPods.flatMap((pod) =>
    Array.from({ length: pod.replicas }, (_, index) => ({
      name: `${pod.workload}${pod.replicas > 1 ? ` #${index + 1}` : ''}`,
      needs: { cpu: pod.cpuMillis, memory: pod.memoryBytes },
    })),
  );
  const totalCpu = items.reduce((sum, item) => sum + item.needs.cpu!, 0);
  const totalMemory = items.reduce((sum, item) => sum + item.needs.memory!, 0);
  const bins: Bin[] = eligible.map((node) => ({ name: node.name, free: freeOf(node, RESOURCES), placed: [] }));
  const freeCpu = bins.reduce((sum, bin) => sum + Math.max(0, bin.free.cpu!), 0);
  const freeMemory = bins.reduce((sum, bin) => sum + Math.max(0, bin.free.memory!), 0);
  const unplaced = packFirstFitDecreasing(bins, items, RESOURCES);
  const asks = `the platform requests ${formatCpu(totalCpu)} and ${formatMemory(totalMemory)} over ${items.length} pods`;
  const has = `${eligible.length} schedulable node${eligible.length === 1 ? '' : 's'} have ${formatCpu(freeCpu)} and ${formatMemory(freeMemory)} free (allocatable - requested)`;
  const skipped = excluded.length
    ? `; not counted: ${excluded
        .slice(0, 10)
        .map((entry) => `${shown(entry.node.name)} (${entry.reason})`)
        .join(', ')}`
    : '';
  const perNode = eligible.slice(0, 10).map(nodeLine).join('; ');
  if (!unplaced.length) return [checkResult(id, 'pass', `${asks}; ${has}: every pod fits (${perNode})${skipped}`, '')];
  const first = unplaced[0]!;
  const largest = bins.reduce<Bin | null>((best, bin) => (best === null || bin.free.cpu! > best.free.cpu! ? bin : best), null);
  return [
    checkResult(
      id,
      'fail',
      `${asks}; ${has}: ${unplaced.length} pod${unplaced.length === 1 ? '' : 's'} fit on no node, e.g. ${first.name} (${formatCpu(first.needs.cpu!)}, ${formatMemory(first.needs.memory!)})` +
        `${largest ? `; after placing the others the most free is ${shown(largest.name)} with ${formatCpu(largest.free.cpu!)}, ${formatMemory(largest.free.memory!)}` : ''} (${perNode || 'no schedulable node'})${skipped}`,
      `add nodes or larger ones (at least ${formatCpu(totalCpu - freeCpu > 0 ? totalCpu - freeCpu : first.needs.cpu!)} and ${formatMemory(totalMemory - freeMemory > 0 ? totalMemory - freeMemory : first.needs.memory!)} more allocatable), uncordon or untaint nodes, or choose a smaller spec.sizing`,
    ),
  ];
};
