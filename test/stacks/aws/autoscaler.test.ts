import { describe, expect, it } from 'vitest';
import { autoscalerDiscoveryTags, autoscalerNodeTemplateTags, clusterAutoscalerRoleName, clusterAutoscalerStatements } from '../../../stacks/aws/autoscaler.js';
import { GPU_TAINT, gpuNodeLabels } from '../../../stacks/decisions/gpu.js';

describe('cluster autoscaler decisions', () => {
  it('discovers groups by the enabled and cluster tags and resizes only those', () => {
    expect(autoscalerDiscoveryTags('acme-prod')).toEqual({ 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/acme-prod': 'owned' });
    const statements = clusterAutoscalerStatements('aws-us-gov', 'us-gov-west-1', '123456789012', 'acme-prod') as Array<{ Action: string[]; Resource: string; Condition?: any }>;
    const resize = statements.find((statement) => statement.Action.includes('autoscaling:SetDesiredCapacity'))!;
    expect(resize.Condition.StringEquals).toEqual({ 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true', 'aws:ResourceTag/k8s.io/cluster-autoscaler/acme-prod': 'owned' });
    expect(statements.find((statement) => statement.Action.includes('eks:DescribeNodegroup'))!.Resource).toBe('arn:aws-us-gov:eks:us-gov-west-1:123456789012:nodegroup/acme-prod/*/*');
    expect(clusterAutoscalerRoleName('a'.repeat(40)).length).toBeLessThanOrEqual(64);
  });

  it('describes a GPU node to the autoscaler for scale-from-zero: labels, taint and GPU count', () => {
    expect(autoscalerNodeTemplateTags(gpuNodeLabels(), [GPU_TAINT], { name: 'g6.12xlarge', gpus: 4, accelerator: null })).toEqual({
      'k8s.io/cluster-autoscaler/node-template/label/installctl.dev/pool': 'gpu',
      'k8s.io/cluster-autoscaler/node-template/label/nvidia.com/gpu.present': 'true',
      'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu': 'present:NoSchedule',
      'k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu': '4',
    });
  });
});
