/** RUNBOOK.md's EKS cluster prerequisites: the autoscaler install, the default StorageClass, an existing cluster's NetworkPolicy enforcement. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsClusterPrerequisites, awsNodeGroupsScale } from '../../cli/emit/runbook-aws-cluster.js';
import { renderableCells, renderCell } from '../helpers/cells.js';
import type { AwsCloud, InstallSettings } from '../../stacks/settings.js';

describe.each(
  renderableCells()
    .filter((cell) => cell.platform === 'aws')
    .map((cell) => [cell.id, cell] as const),
)('RUNBOOK.md of %s', (_, cell) => {
  it("installs the cluster autoscaler with the stack's role and checks the default StorageClass", () => {
    const runbook = readFileSync(join(renderCell(cell).dir, 'RUNBOOK.md'), 'utf8');
    const install = runbook.split('\n').find((line) => line.includes('helm upgrade --install cluster-autoscaler'));
    expect(install).toBeDefined();
    expect(install).toContain('"$(jq -r .clusterAutoscalerRoleArn pulumi-outputs.json)"');
    expect(install).toContain('autoDiscovery.clusterName="$(jq -r .clusterName pulumi-outputs.json)"');
    expect(install).toMatch(/image\.tag=v1\.\d+\.\d+/);
    if (cell.network === 'air-gapped') expect(install).toMatch(/oci:\/\/\S+\/charts\/cluster-autoscaler .*image\.repository=/);
    else expect(install).toContain('--repo https://kubernetes.github.io/autoscaler');
    expect(runbook).toContain('kubectl get storageclass ebs-csi-default-sc');
    const gp3 = runbook.split('\n').find((line) => line.startsWith('kubectl get storageclass gp3 >/dev/null 2>&1 || jq -n'));
    expect(gp3).toContain('--arg key "$(jq -r .kmsKeyArn pulumi-outputs.json)"');
    expect(gp3).toMatch(/"kmsKeyId":\$key.*\| kubectl apply -f -$/);
  });
});

describe('awsClusterPrerequisites', () => {
  const cloud: AwsCloud = { type: 'aws', region: 'eu-west-1', accountId: '123456789012', kmsKeyArn: null, vpc: { mode: 'new', cidr: '10.40.0.0/16', zones: 3 } };
  const settings = (cluster: InstallSettings['cluster'], gpuPool: InstallSettings['models']['gpuPool'] = null) =>
    ({ cluster, network: { mode: 'connected' }, models: { gpuPool } }) as unknown as InstallSettings;

  it('an existing cluster: checks the vpc-cni network policy agent the stack does not manage there', () => {
    const existing = settings(
      { mode: 'existing', kubernetesVersion: '1.34', name: 'agents-eks' },
      { product: 'l4', minNodes: 0, maxNodes: 2, shape: { name: 'g6.xlarge', gpus: 1, accelerator: null } },
    );
    const { bullets, commands } = awsClusterPrerequisites(existing, cloud, 'mirror.example');
    expect(commands).toContain(
      'aws eks describe-addon --cluster-name agents-eks --addon-name vpc-cni --region eu-west-1 --query addon.configurationValues --output text   # holds "enableNetworkPolicy":"true"',
    );
    expect(bullets.join('\n')).toContain('{"enableNetworkPolicy":"true"}');
    expect(commands.some((line) => line.includes('helm upgrade --install cluster-autoscaler'))).toBe(true);
  });

  it('no autoscaler when no node group can grow', () => {
    const fixed = settings({ mode: 'new', kubernetesVersion: '1.34', apiEndpoint: 'private', systemNodes: { min: 2, max: 2 } });
    expect(awsNodeGroupsScale(fixed)).toBe(false);
    const { commands } = awsClusterPrerequisites(fixed, cloud, 'mirror.example');
    expect(commands.some((line) => line.includes('cluster-autoscaler'))).toBe(false);
    expect(commands.some((line) => line.includes('describe-addon'))).toBe(false);
  });
});
