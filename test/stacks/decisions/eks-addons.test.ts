import { describe, expect, it } from 'vitest';
import { AWS_STORAGE_CLASS, awsStorageClassManifest, EBS_CSI_DEFAULT_STORAGE_CLASS, EKS_ADDON_VERSIONS, EKS_ADDONS, eksAddonVersions, kubernetesMinor } from '../../../stacks/decisions/eks-addons.js';

describe('EKS add-on versions', () => {
  it('has a row for every minor from 1.33 to 1.35, each pinning every managed add-on to an EKS build', () => {
    for (const minor of ['1.33', '1.34', '1.35']) expect(Object.keys(EKS_ADDON_VERSIONS)).toContain(minor);
    for (const [minor, row] of Object.entries(EKS_ADDON_VERSIONS)) {
      for (const addon of EKS_ADDONS) expect(row[addon], `${minor} ${addon}`).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      // kube-proxy and the autoscaler follow the cluster's minor.
      expect(row['kube-proxy'].startsWith(`v${minor}.`), `${minor} kube-proxy`).toBe(true);
      expect(row.clusterAutoscaler.startsWith(`v${minor}.`), `${minor} cluster-autoscaler`).toBe(true);
    }
  });

  it('reads the minor of a patch version and has no row for an unknown minor', () => {
    expect(kubernetesMinor('1.34.2')).toBe('1.34');
    expect(eksAddonVersions('1.34.2')).toBe(EKS_ADDON_VERSIONS['1.34']);
    expect(eksAddonVersions('1.20')).toBeNull();
  });
});

describe('the StorageClass the charts name on EKS', () => {
  it('is gp3, encrypted with the given key, bound where the pod lands, distinct from the add-on default', () => {
    const manifest = awsStorageClassManifest('arn:aws:kms:us-east-1:123456789012:key/k') as { metadata: { name: string }; parameters: Record<string, string>; volumeBindingMode: string };
    expect(manifest.metadata.name).toBe(AWS_STORAGE_CLASS);
    expect(manifest.parameters).toEqual({ type: 'gp3', encrypted: 'true', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k' });
    expect(manifest.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(AWS_STORAGE_CLASS).not.toBe(EBS_CSI_DEFAULT_STORAGE_CLASS);
  });
});
