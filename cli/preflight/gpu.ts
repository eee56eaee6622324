/**
 * GPU checks for self-hosted models. The nodes that count are those the model-server chart can use:
 * they carry every label of its node selector, are Ready and uncordoned, and it tolerates their
 * hard taints. Free GPUs per node are allocatable less what running pods request; every model
 * replica needs its gpuCount (its tensor-parallel size) on ONE node, with its CPU and memory.
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import type { GpuRequirement } from './requirements.js';
import { byName, checkResult, matchesSelector, shown, showTaint, unschedulableReason, untolerated, type Analyzer, type EvidenceNode } from './analyzer-kit.js';
import { freeOf, packFirstFitDecreasing, type Bin, type Item } from './nodes.js';
import { formatCpu, formatMemory, resourceAmount } from './quantity.js';

export const GPU = 'nvidia.com/gpu';
const RESOURCES = [GPU, 'cpu', 'memory'] as const;

const selectorText = (selector: Readonly<Record<string, string>>) =>
  Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');

/** Nodes that have GPUs or are meant to: nvidia.com/gpu capacity, the chart's selector, or NVIDIA's gpu.present label. */
export function gpuNodes(evidence: PreflightEvidence, gpu: GpuRequirement): EvidenceNode[] {
  return evidence.nodes
    .filter((node) => resourceAmount(node.capacity, GPU) > 0 || matchesSelector(node, gpu.nodeSelector) || node.labels['nvidia.com/gpu.present'] === 'true')
    .sort(byName);
}

const selectedNodes = (evidence: PreflightEvidence, gpu: GpuRequirement) => evidence.nodes.filter((node) => matchesSelector(node, gpu.nodeSelector)).sort(byName);

/** A cloud pool allowed to scale from zero has no node before its first pod: nothing to measure yet. */
const scalesFromZero = (gpu: GpuRequirement) => gpu.pool !== null && gpu.pool.minNodes === 0 && gpu.pool.maxNodes > 0 && gpu.software !== 'gpu-operator';

export const gpuProduct: Analyzer = (requirements, evidence) => {
  const id = 'gpu-product';
  const gpu = requirements.gpu!;
  const selector = selectorText(gpu.nodeSelector);
  const selected = selectedNodes(evidence, gpu);
  const candidates = gpuNodes(evidence, gpu);
  if (!selected.length) {
    if (!candidates.length && scalesFromZero(gpu))
      return [
        checkResult(
          id,
          'warn',
          `no GPU node yet: the pool scales from 0 (minNodes 0); its nodes must carry ${selector}`,
          'run preflight again once a GPU node is up, or set gpuPool.minNodes to 1',
        ),
      ];
    const seen = candidates.map(
      (node) =>
        `${shown(node.name)}: ${Object.keys(gpu.nodeSelector)
          .map((key) => `${key}=${shown(node.labels[key] ?? '(none)')}`)
          .join(',')}`,
    );
    return [
      checkResult(
        id,
        'fail',
        `no node carries ${selector}, the model-server chart's node selector for ${gpu.product}${seen.length ? `; the GPU nodes carry ${seen.slice(0, 10).join('; ')}` : '; no node has nvidia.com/gpu'}`,
        gpu.software === 'gpu-operator'
          ? `add ${gpu.product} nodes, or set gpuPool.product to the product GPU feature discovery reports (nvidia.com/gpu.product); the GPU Operator's feature discovery must run`
          : `create the GPU node pool the spec describes (${gpu.shape.name}, ${gpu.shape.gpus} GPUs per node) or set gpuPool.product to what the nodes have`,
        selector,
      ),
    ];
  }
  const label = gpu.productLabel;
  const matching = selected.filter((node) => node.labels[label.key] === label.value);
  const others = selected.filter((node) => node.labels[label.key] !== label.value).map((node) => `${shown(node.name)} (${label.key}=${shown(node.labels[label.key] ?? '(none)')})`);
  const what = `${label.key}=${label.value} (${gpu.product})`;
  if (!matching.length)
    return [
      checkResult(
        id,
        'fail',
        `the nodes the chart selects (${selector}) are not ${what}: ${others.slice(0, 10).join(', ')}`,
        `use ${gpu.shape.name} nodes for the GPU pool, or set gpuPool.product to what the nodes have`,
        selector,
      ),
    ];
  if (others.length)
    return [
      checkResult(
        id,
        'warn',
        `${matching.length} selected node(s) are ${what}, but the chart may also land on ${others.slice(0, 10).join(', ')}`,
        `label or taint the other GPU nodes apart, or make them ${gpu.shape.name}`,
        selector,
      ),
    ];
  const names = matching
    .slice(0, 10)
    .map((node) => shown(node.name))
    .join(', ');
  const carry = gpu.nodeSelector[label.key] === label.value ? `carry ${selector} (${gpu.product})` : `carry ${selector} and are ${what}`;
  return [checkResult(id, 'pass', `${matching.length} node(s) ${carry}: ${names}`, '', selector)];
};

export const gpuTaints: Analyzer = (requirements, evidence) => {
  const id = 'gpu-taints';
  const gpu = requirements.gpu!;
  const selected = selectedNodes(evidence, gpu);
  const nodes = selected.length ? selected : gpuNodes(evidence, gpu);
  const tolerated = gpu.tolerations
    .map((toleration) => `${toleration.key ?? '*'}${toleration.operator === 'Exists' ? '' : `=${toleration.value ?? ''}`}:${toleration.effect ?? '*'}`)
    .join(', ');
  if (!nodes.length) return [checkResult(id, 'warn', 'no GPU node to check taints on (see gpu-product)', 'run preflight again once the GPU nodes exist')];
  const blocked = nodes.map((node) => ({ node, taints: untolerated(node, gpu.tolerations) })).filter((entry) => entry.taints.length);
  if (!blocked.length) return [checkResult(id, 'pass', `the chart tolerates every taint of ${nodes.length} GPU node(s) (tolerations: ${tolerated || 'none'})`, '')];
  const lines = blocked.slice(0, 10).map((entry) => `${shown(entry.node.name)}: ${entry.taints.map(showTaint).join(', ')}`);
  return [
    checkResult(
      id,
      'fail',
      `${blocked.length} of ${nodes.length} GPU node(s) have taints the model-server chart does not tolerate (it tolerates ${tolerated || 'none'}): ${lines.join('; ')}`,
      `remove those taints from the GPU nodes, or add matching entries to the model-server values' gpu.tolerations`,
    ),
  ];
};

/** GPUs a node offers: allocatable; before the chart's device plugin registers them, the preset shape's count for a node of that shape. */
function gpusOf(node: EvidenceNode, gpu: GpuRequirement): { allocatable: number; inferred: boolean } {
  if (node.allocatable[GPU] !== undefined || node.capacity[GPU] !== undefined) return { allocatable: resourceAmount(node.allocatable, GPU), inferred: false };
  const shapeMatches = node.labels['node.kubernetes.io/instance-type'] === gpu.shape.name;
  return gpu.software === 'chart-device-plugin' && shapeMatches ? { allocatable: gpu.shape.gpus, inferred: true } : { allocatable: 0, inferred: false };
}

function gpuLine(node: EvidenceNode, gpu: GpuRequirement): string {
  const { allocatable, inferred } = gpusOf(node, gpu);
  const requested = resourceAmount(node.requested, GPU);
  return `${shown(node.name)}: ${allocatable} ${inferred ? `(${gpu.shape.name}, not yet advertised)` : 'allocatable'} - ${requested} requested = ${allocatable - requested} free`;
}

function replicaItems(gpu: GpuRequirement): Item[] {
  return gpu.models.flatMap((model) =>
    Array.from({ length: model.replicas }, (_, index) => ({
      name: `${model.workload}${model.replicas > 1 ? ` #${index + 1}` : ''}`,
      needs: { [GPU]: model.gpuCount, cpu: model.cpuMillis, memory: model.memoryBytes },
    })),
  );
}

export const gpuCapacity: Analyzer = (requirements, evidence) => {
  const id = 'gpu-capacity';
  const gpu = requirements.gpu!;
  const selected = selectedNodes(evidence, gpu);
  const excluded = selected.map((node) => ({ node, reason: unschedulableReason(node, gpu.tolerations) })).filter((entry) => entry.reason !== null);
  const eligible = selected.filter((node) => unschedulableReason(node, gpu.tolerations) === null);
  const items = replicaItems(gpu);
  const needed = items.reduce((sum, item) => sum + item.needs[GPU]!, 0);
  if (!eligible.length && !selected.length && scalesFromZero(gpu))
    return [
      checkResult(id, 'warn', `no GPU node yet: the pool scales from 0; ${needed} GPUs are needed`, 'run preflight again once a GPU node is up, or set gpuPool.minNodes to 1'),
    ];
  const bins: Bin[] = eligible.map((node) => {
    const free = freeOf(node, RESOURCES);
    free[GPU] = gpusOf(node, gpu).allocatable - resourceAmount(node.requested, GPU);
    return { name: node.name, free, placed: [] };
  });
  const unplaced = packFirstFitDecreasing(bins, items, RESOURCES);
  const arithmetic = eligible
    .slice(0, 10)
    .map((node) => gpuLine(node, gpu))
    .join('; ');
  const skipped = excluded.length
    ? `; not counted: ${excluded
        .slice(0, 10)
        .map((entry) => `${shown(entry.node.name)} (${entry.reason})`)
        .join(', ')}`
    : '';
  const plan = items.map((item) => `${item.name} ${item.needs[GPU]}`).join(', ');
  if (!unplaced.length) {
    const placement = bins.filter((bin) => bin.placed.length).map((bin) => `${shown(bin.name)} <- ${bin.placed.join(', ')}`);
    return [checkResult(id, 'pass', `every model replica fits on one node (${plan} nvidia.com/gpu): ${placement.join('; ')} [${arithmetic}]${skipped}`, '')];
  }
  const first = unplaced[0]!;
  const most = bins.reduce<Bin | null>((best, bin) => (best === null || bin.free[GPU]! > best.free[GPU]! ? bin : best), null);
  const reason =
    most && most.free[GPU]! >= first.needs[GPU]!
      ? `${shown(most.name)} has the GPUs free but not its ${formatCpu(first.needs.cpu!)} / ${formatMemory(first.needs.memory!)} (free ${formatCpu(most.free.cpu!)} / ${formatMemory(most.free.memory!)})`
      : `the most free on one schedulable node after placing the others is ${most ? `${most.free[GPU]} (${shown(most.name)})` : '0 (no schedulable GPU node)'}`;
  return [
    checkResult(
      id,
      'fail',
      `${unplaced.length} model replica(s) fit on no node: ${first.name} needs ${first.needs[GPU]} nvidia.com/gpu on one node (tensor-parallel); ${reason} [${arithmetic || `no schedulable node carries ${selectorText(gpu.nodeSelector)}`}]${skipped}`,
      `free or add ${gpu.shape.name} nodes with ${first.needs[GPU]} or more GPUs each (spec gpuPool: ${gpu.product}), stop pods holding GPUs, or lower the models' replicas`,
    ),
  ];
};

const DEVICE_PLUGIN = /(^|[/-])(nvidia-)?(gpu-)?device-plugin|k8s-device-plugin/;

/** DaemonSets that advertise nvidia.com/gpu: NVIDIA's k8s-device-plugin (GPU Operator or Helm), GKE's nvidia-gpu-device-plugin. */
export function devicePlugins(evidence: PreflightEvidence, exceptNamespaces: readonly string[]): PreflightEvidence['daemonSets'] {
  return evidence.daemonSets.filter(
    (set) =>
      !exceptNamespaces.includes(set.namespace) &&
      (/nvidia.*device-plugin/.test(set.name) || set.containers.some((container) => DEVICE_PLUGIN.test(container.image) && /nvidia|gpu/.test(container.image))),
  );
}

export const gpuDevicePlugin: Analyzer = (requirements, evidence) => {
  const id = 'gpu-device-plugin';
  const gpu = requirements.gpu!;
  const plugins = devicePlugins(
    evidence,
    requirements.namespaces.map((namespace) => namespace.name),
  );
  const names = plugins.map((set) => `${shown(set.namespace)}/${shown(set.name)} (${set.ready}/${set.desired} ready)`).join(', ');
  if (gpu.software === 'chart-device-plugin') {
    return plugins.length
      ? [
          checkResult(
            id,
            'fail',
            `the model-server chart runs NVIDIA's device plugin on this platform, but ${names} already does: two plugins would both advertise nvidia.com/gpu`,
            'remove the other device plugin, or set devicePlugin.enabled: false in the model-server values (then keep the existing one)',
          ),
        ]
      : [checkResult(id, 'pass', "no other device plugin runs: the model-server chart's own will advertise nvidia.com/gpu", '')];
  }
  const who = gpu.software === 'platform-managed' ? "GKE's nvidia-gpu-device-plugin (installed with the GPU node pool)" : "the NVIDIA GPU Operator's device plugin";
  if (!plugins.length)
    return [
      checkResult(
        id,
        'fail',
        `no NVIDIA device plugin DaemonSet found: ${who} must run for nodes to advertise nvidia.com/gpu`,
        gpu.software === 'platform-managed'
          ? 'create the GPU node pool with GPU driver installation (gpu-driver-version) so GKE deploys its plugin'
          : 'install the NVIDIA GPU Operator (it deploys the driver, device plugin and feature discovery)',
      ),
    ];
  if (plugins.length > 1 && gpu.software === 'gpu-operator')
    return [checkResult(id, 'fail', `more than one device plugin runs: ${names}`, "keep only the GPU Operator's device plugin")];
  const notReady = plugins.filter((set) => set.ready < set.desired);
  return notReady.length
    ? [
        checkResult(
          id,
          'warn',
          `${who} runs but is not ready everywhere: ${names}`,
          'check its pods on the GPU nodes (kubectl -n <namespace> get pods -o wide): the driver may not be loaded',
        ),
      ]
    : [checkResult(id, 'pass', `${who} runs: ${names}`, '')];
};
