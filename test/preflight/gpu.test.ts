import { describe, expect, it } from 'vitest';
import { analyzeEvidence } from '../../cli/preflight/analyze.js';
import { preflightRequirements } from '../../cli/preflight/requirements.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { healthyEvidence } from '../helpers/preflight-evidence.js';
import { starterInstalls } from '../helpers/preflight-cells.js';

const now = calendarAsOf();
const requirementsOf = (cellId: string) => {
  const entry = starterInstalls().find((candidate) => candidate.cell.id === cellId)!;
  return preflightRequirements(entry.install, entry.cell, { now });
};
const resultOf = (requirements: ReturnType<typeof requirementsOf>, evidence: ReturnType<typeof healthyEvidence>, id: string) =>
  analyzeEvidence(requirements, evidence, now).filter((result) => result.id === id);

describe('gpu-capacity: allocatable - requested, per node, each replica whole on one node', () => {
  const requirements = requirementsOf('gcp/github/self-hosted/connected'); // qwen tp 4, bge-m3 1 GPU, g2-standard-48 (4 GPUs)

  it('fails when the free GPUs are spread over nodes and names the node-level arithmetic', () => {
    const evidence = healthyEvidence(requirements);
    const gpuNodes = evidence.nodes.filter((node) => node.allocatable['nvidia.com/gpu']);
    for (const node of gpuNodes) node.requested = { ...node.requested, 'nvidia.com/gpu': '1' };
    const [result] = resultOf(requirements, evidence, 'gpu-capacity');
    expect(result!.outcome).toBe('fail');
    expect(result!.message).toContain('needs 4 nvidia.com/gpu on one node');
    expect(result!.message).toContain('gpu-1: 4 allocatable - 1 requested = 3 free');
  });

  it('does not count cordoned or NotReady nodes, and says why', () => {
    const evidence = healthyEvidence(requirements);
    const [first, second] = evidence.nodes.filter((node) => node.allocatable['nvidia.com/gpu']);
    first!.unschedulable = true;
    second!.ready = false;
    const [result] = resultOf(requirements, evidence, 'gpu-capacity');
    expect(result!.outcome).toBe('fail');
    expect(result!.message).toContain('gpu-1 (cordoned (unschedulable))');
    expect(result!.message).toContain('gpu-2 (not Ready)');
  });

  it('places by CPU and memory too: GPUs free on a node whose memory is taken does not fit', () => {
    const evidence = healthyEvidence(requirements);
    for (const node of evidence.nodes.filter((candidate) => candidate.allocatable['nvidia.com/gpu'])) node.requested = { ...node.requested, memory: node.allocatable.memory! };
    const [result] = resultOf(requirements, evidence, 'gpu-capacity');
    expect(result!.outcome).toBe('fail');
    expect(result!.message).toMatch(/has the GPUs free but not its/);
  });

  it("on EKS counts a node of the preset shape before the chart's device plugin advertises its GPUs", () => {
    const eks = requirementsOf('aws/github/self-hosted/connected');
    const evidence = healthyEvidence(eks);
    for (const node of evidence.nodes.filter((candidate) => candidate.allocatable['nvidia.com/gpu'])) {
      delete node.allocatable['nvidia.com/gpu'];
      delete node.capacity['nvidia.com/gpu'];
    }
    const [result] = resultOf(eks, evidence, 'gpu-capacity');
    expect(result!.outcome).toBe('pass');
    expect(result!.message).toContain('g6.12xlarge, not yet advertised');
  });

  it('warns instead of failing when a cloud pool scales from zero and has no node yet', () => {
    const gke = requirementsOf('gcp/github/self-hosted/connected');
    const scaling = { ...gke, gpu: { ...gke.gpu!, pool: { minNodes: 0, maxNodes: 3 } } };
    const evidence = healthyEvidence(scaling);
    evidence.nodes = evidence.nodes.filter((node) => !node.allocatable['nvidia.com/gpu']);
    expect(resultOf(scaling, evidence, 'gpu-capacity')[0]!.outcome).toBe('warn');
    expect(resultOf(scaling, evidence, 'gpu-product')[0]!.outcome).toBe('warn');
  });

  it('shows node names and labels from the cluster escaped', () => {
    const evidence = healthyEvidence(requirements);
    const gpuNode = evidence.nodes.find((node) => node.allocatable['nvidia.com/gpu'])!;
    gpuNode.labels['cloud.google.com/gke-accelerator'] = 'nvidia-\u001b[31mred';
    evidence.nodes = [...evidence.nodes.filter((node) => !node.allocatable['nvidia.com/gpu']), gpuNode];
    const [result] = resultOf(requirements, evidence, 'gpu-product');
    expect(result!.outcome).toBe('fail');
    expect(result!.message).not.toContain('\u001b');
    expect(result!.message).toContain('\\x1b[31mred');
  });
});
