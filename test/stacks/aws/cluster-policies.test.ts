/**
 * The AWS cluster policies (issue 13 points 3, 6, 8, 10) on the synthesized stack of every AWS stack
 * key, and on the shape main produced before the fix (no managed networking add-ons, unpinned EBS
 * CSI add-on without a default class, node groups without ignoreChanges, dependsOn or autoscaler,
 * an ECR creation template without customRoleArn): each policy must pass the first and fire on the
 * second.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies } from '../../../cli/conformance/pulumi/policies.js';
import type { Synthesis, SynthesizedResource } from '../../../cli/conformance/pulumi/types.js';
import type { InstallSettings } from '../../../stacks/settings.js';
import { eksAddonVersions } from '../../../stacks/decisions/eks-addons.js';
import { supportMatrix, type Cell } from '../../../cli/matrix/engine.js';
import { synthesizeEdited } from '../../helpers/stack-synthesis.js';
import { stackGoldenCells } from '../../helpers/stack-goldens.js';

const AWS_CLUSTER_POLICY_IDS = ['network-policy-enforced', 'autoscaler-owns-size', 'node-autoscaling', 'depends-on-iam', 'eks-addons', 'ecr-template-role'];

async function synthesize(cell: Cell, edit: (settings: InstallSettings) => void = () => {}): Promise<Synthesis> {
  const synthesis = await synthesizeEdited(cell, edit);
  expect(synthesis.errors).toEqual([]);
  return synthesis;
}

/** The AWS stack keys (one cell each: the SCM never changes a stack), from the matrix. */
const awsCells = () => [...stackGoldenCells().values()].filter((cell) => cell.platform === 'aws');
const fired = (synthesis: Synthesis) => [...new Set(checkPolicies(synthesis).map((violation) => violation.policy))].sort();
const ofType = (synthesis: Synthesis, type: string) => synthesis.resources.filter((resource) => resource.type === type);
const withResources = (synthesis: Synthesis, change: (resources: SynthesizedResource[]) => SynthesizedResource[]): Synthesis => ({ ...synthesis, resources: change(structuredClone(synthesis.resources)) });

/** What main synthesized before issue 13: the same stack without the add-ons, autoscaler, options and template role. */
function mainShape(synthesis: Synthesis): Synthesis {
  return withResources(synthesis, (resources) =>
    resources
      .filter((resource) => !(resource.type === 'aws:eks/addon:Addon' && resource.inputs.addonName !== 'aws-ebs-csi-driver'))
      .filter((resource) => resource.type !== 'aws:autoscaling/tag:Tag' && !resource.name.includes('cluster-autoscaler') && !resource.name.includes('template-role'))
      .map((resource) => {
        resource.options = { ignoreChanges: [], dependsOn: [] };
        if (resource.type === 'aws:eks/addon:Addon') {
          delete resource.inputs.addonVersion;
          resource.inputs.configurationValues = JSON.stringify({ controller: JSON.parse(resource.inputs.configurationValues).controller });
        }
        if (resource.type === 'aws:eks/nodeGroup:NodeGroup') resource.inputs.tags = Object.fromEntries(Object.entries(resource.inputs.tags).filter(([key]) => !key.startsWith('k8s.io/')));
        if (resource.type === 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate') delete resource.inputs.customRoleArn;
        return resource;
      }),
  );
}

describe.each(awsCells().map((cell) => [cell.id, cell] as const))('AWS cluster policies: %s', (_, cell) => {
  let synthesis: Synthesis;
  beforeAll(async () => {
    synthesis = await synthesize(cell);
  }, 120_000);

  it('the stack passes every policy', () => {
    expect(checkPolicies(synthesis)).toEqual([]);
  });

  it('main\'s shape fails each policy that applies to the cell', () => {
    const expected = AWS_CLUSTER_POLICY_IDS.filter((id) => id !== 'ecr-template-role' || synthesis.settings.registry !== null);
    expect(fired(mainShape(synthesis))).toEqual(expect.arrayContaining(expected));
  });

  it('pins the four add-ons to the table of the cluster\'s Kubernetes minor, vpc-cni enforcing NetworkPolicies', () => {
    const versions = eksAddonVersions(synthesis.settings.cluster.kubernetesVersion)!;
    const addons = Object.fromEntries(ofType(synthesis, 'aws:eks/addon:Addon').map((addon) => [addon.inputs.addonName, addon]));
    expect(Object.keys(addons).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'vpc-cni']);
    for (const [name, addon] of Object.entries(addons) as Array<[string, SynthesizedResource]>) expect(addon.inputs.addonVersion, name).toBe(versions[name as keyof typeof versions]);
    expect(JSON.parse(addons['vpc-cni']!.inputs.configurationValues)).toEqual({ enableNetworkPolicy: 'true' });
    expect(JSON.parse(addons['aws-ebs-csi-driver']!.inputs.configurationValues).defaultStorageClass).toEqual({ enabled: true });
    // Networking before nodes, coredns and the CSI driver after them.
    const groups = ofType(synthesis, 'aws:eks/nodeGroup:NodeGroup').map((group) => `${group.type}::${group.name}`);
    for (const group of ofType(synthesis, 'aws:eks/nodeGroup:NodeGroup')) expect(group.options!.dependsOn).toEqual(expect.arrayContaining([`aws:eks/addon:Addon::${addons['vpc-cni']!.name}`]));
    expect(addons.coredns!.options!.dependsOn).toEqual(expect.arrayContaining(groups));
  });

  it.each([
    ['a node group that forgets ignoreChanges', 'autoscaler-owns-size', (s: Synthesis) => withResources(s, (rs) => rs.map((r) => (r.type === 'aws:eks/nodeGroup:NodeGroup' ? { ...r, options: { ...r.options!, ignoreChanges: [] } } : r)))],
    ['a node group created before its role\'s policies', 'depends-on-iam', (s: Synthesis) => withResources(s, (rs) => rs.map((r) => (r.type === 'aws:eks/nodeGroup:NodeGroup' ? { ...r, options: { ...r.options!, dependsOn: r.options!.dependsOn.filter((d) => !d.includes('rolePolicyAttachment')) } } : r)))],
    ['no autoscaler role', 'node-autoscaling', (s: Synthesis) => withResources(s, (rs) => rs.filter((r) => !r.name.includes('cluster-autoscaler')))],
    ['vpc-cni without the network policy agent', 'network-policy-enforced', (s: Synthesis) => withResources(s, (rs) => rs.map((r) => (r.inputs.addonName === 'vpc-cni' ? { ...r, inputs: { ...r.inputs, configurationValues: '{}' } } : r)))],
    ['an add-on left at EKS\'s default version', 'eks-addons', (s: Synthesis) => withResources(s, (rs) => rs.map((r) => (r.inputs.addonName === 'coredns' ? { ...r, inputs: { ...r.inputs, addonVersion: undefined } } : r)))],
  ])('%s fires %s', (_name, policy, breakIt) => {
    expect(fired(breakIt(synthesis))).toEqual([policy]);
  });
});

describe('AWS cluster policies on purpose-broken details', () => {
  const cell = () => supportMatrix().cell('aws/github-enterprise-server/self-hosted/air-gapped')!;
  /** The starter spec sizes its GPU pool to the demand (min = max); these cases need one the autoscaler grows from zero. */
  const growingGpuPool = (settings: InstallSettings) => {
    if (!settings.models.gpuPool) throw new Error('the starter spec has a GPU pool');
    settings.models.gpuPool.maxNodes = Math.max(settings.models.gpuPool.maxNodes, 2);
    settings.models.gpuPool.minNodes = 0;
  };
  let synthesis: Synthesis;
  beforeAll(async () => {
    synthesis = await synthesize(cell(), growingGpuPool);
  }, 120_000);

  it('a GPU group without node-template tags cannot scale from zero', () => {
    const broken = withResources(synthesis, (rs) => rs.filter((r) => r.type !== 'aws:autoscaling/tag:Tag'));
    expect(checkPolicies(broken).map((v) => v.message)).toEqual(expect.arrayContaining([expect.stringMatching(/nvidia\.com\/gpu tag/), expect.stringMatching(/taint\/nvidia\.com\/gpu/)]));
  });

  it('an EBS CSI driver that may not use the install key cannot back the encrypted gp3 class', () => {
    const broken = withResources(synthesis, (rs) => rs.filter((r) => !(r.type === 'aws:iam/rolePolicy:RolePolicy' && r.name.endsWith('-ebs-csi-kms'))));
    expect(checkPolicies(broken).map((v) => `${v.policy}: ${v.message}`)).toEqual([expect.stringMatching(/^eks-addons: .*KMS key/)]);
  });

  it('an ECR template role that may not use the key, or is not trusted by ECR', () => {
    const role = synthesis.resources.find((r) => r.type === 'aws:iam/role:Role' && r.name.includes('template-role'))!;
    const noKey = withResources(synthesis, (rs) => rs.filter((r) => !(r.type === 'aws:iam/rolePolicy:RolePolicy' && r.name === role.name)));
    expect(fired(noKey)).toEqual(['ecr-template-role']);
    const untrusted = withResources(synthesis, (rs) => rs.map((r) => (r.name === role.name && r.type === role.type ? { ...r, inputs: { ...r.inputs, assumeRolePolicy: '{}' } } : r)));
    expect(fired(untrusted)).toEqual(['ecr-template-role']);
  });

  it('a group whose min equals max needs neither ignoreChanges nor an autoscaler', async () => {
    const fixed = await synthesize(cell(), (settings) => {
      if (settings.cluster.mode !== 'new' || !settings.models.gpuPool) throw new Error('the starter spec creates a cluster with a GPU pool');
      settings.cluster.systemNodes = { min: 2, max: 2 };
      settings.models.gpuPool.minNodes = settings.models.gpuPool.maxNodes;
    });
    expect(checkPolicies(fixed)).toEqual([]);
    expect(ofType(fixed, 'aws:eks/nodeGroup:NodeGroup').map((group) => group.options!.ignoreChanges)).toEqual([[], []]);
    expect(fixed.resources.filter((r) => r.name.includes('cluster-autoscaler') || r.type === 'aws:autoscaling/tag:Tag')).toEqual([]);
    expect((fixed.outputs.outputs as Record<string, unknown>).clusterAutoscalerRoleArn).toBeNull();
  }, 120_000);

  it('an existing cluster: only the EBS CSI add-on is managed, and the policy accepts the runbook\'s NetworkPolicy prerequisite', async () => {
    const existing = await synthesize(cell(), (settings) => {
      growingGpuPool(settings);
      settings.cluster = { mode: 'existing', kubernetesVersion: settings.cluster.kubernetesVersion, name: 'agents-eks' };
    });
    expect(checkPolicies(existing)).toEqual([]);
    expect(ofType(existing, 'aws:eks/addon:Addon').map((addon) => addon.inputs.addonName)).toEqual(['aws-ebs-csi-driver']);
    const gpu = ofType(existing, 'aws:eks/nodeGroup:NodeGroup')[0]!;
    expect(gpu.inputs.tags['k8s.io/cluster-autoscaler/agents-eks']).toBe('owned');
  }, 120_000);
});
