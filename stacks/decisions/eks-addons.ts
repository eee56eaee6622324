/**
 * EKS add-ons the stack manages and the version of each per Kubernetes minor, as data. An add-on
 * without a version floats to whatever EKS picks on create and then never moves (or moves under a
 * console click); pinning it makes the stack the one place an upgrade happens, reviewed with the
 * Kubernetes version it belongs to (terraform-aws-eks `cluster_addons`, pulumi-eks `addons`).
 *
 * Source: the Amazon EKS User Guide version tables, read 2026-12:
 *   kube-proxy  https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html
 *   coredns     https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html
 *   vpc-cni     https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html (one version for every supported minor)
 *   aws-ebs-csi-driver  https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html (`aws eks describe-addon-versions --addon-name aws-ebs-csi-driver`)
 *   cluster-autoscaler  https://github.com/kubernetes/autoscaler/releases (its minor follows the cluster's)
 * To support a new Kubernetes minor, add a row; `aws eks describe-addon-versions --kubernetes-version 1.NN
 * --addon-name NAME --query 'addons[].addonVersions[0].addonVersion'` gives the newest build.
 */

/** The add-ons every new EKS cluster of an install runs, managed by the stack. */
export const EKS_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver'] as const;
export type EksAddon = (typeof EKS_ADDONS)[number];

/** Pinned add-on versions and the cluster autoscaler image tag, per Kubernetes minor. */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<EksAddon, string>> & { clusterAutoscaler: string }>> = {
  '1.31': { 'vpc-cni': 'v1.20.0-eksbuild.1', 'kube-proxy': 'v1.31.14-eksbuild.9', coredns: 'v1.11.4-eksbuild.33', 'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1', clusterAutoscaler: 'v1.31.0' },
  '1.32': { 'vpc-cni': 'v1.20.0-eksbuild.1', 'kube-proxy': 'v1.32.13-eksbuild.5', coredns: 'v1.11.4-eksbuild.33', 'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1', clusterAutoscaler: 'v1.32.0' },
  '1.33': { 'vpc-cni': 'v1.20.0-eksbuild.1', 'kube-proxy': 'v1.33.10-eksbuild.2', coredns: 'v1.13.2-eksbuild.4', 'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1', clusterAutoscaler: 'v1.33.0' },
  '1.34': { 'vpc-cni': 'v1.20.0-eksbuild.1', 'kube-proxy': 'v1.34.6-eksbuild.2', coredns: 'v1.13.2-eksbuild.4', 'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1', clusterAutoscaler: 'v1.34.0' },
  '1.35': { 'vpc-cni': 'v1.20.0-eksbuild.1', 'kube-proxy': 'v1.35.3-eksbuild.2', coredns: 'v1.13.2-eksbuild.4', 'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1', clusterAutoscaler: 'v1.35.0' },
};

/** The minor of a Kubernetes version ("1.33.2" and "1.33" give "1.33"). */
export function kubernetesMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The pinned versions for a cluster's Kubernetes version, or null when the table has no row for its minor. */
export function eksAddonVersions(kubernetesVersion: string): (Readonly<Record<EksAddon, string>> & { clusterAutoscaler: string }) | null {
  return EKS_ADDON_VERSIONS[kubernetesMinor(kubernetesVersion)] ?? null;
}

/**
 * vpc-cni configuration: its network policy agent enforces NetworkPolicies (off by default, so the
 * charts' policies would be silent no-ops). EKS takes configurationValues as a JSON string with
 * string-typed booleans.
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' } as const;

/**
 * The StorageClass the EBS CSI add-on creates with `defaultStorageClass.enabled` (gp3, the driver's
 * default volume type, WaitForFirstConsumer, marked default): EKS 1.30+ clusters have no default
 * class. It takes no parameters, so its volumes are encrypted only where the account encrypts EBS
 * by default: a claim with no class still binds, but the charts name AWS_STORAGE_CLASS.
 */
export const EBS_CSI_DEFAULT_STORAGE_CLASS = 'ebs-csi-default-sc';

/**
 * The class the charts' claims name on EKS: gp3 volumes encrypted with the install's KMS key. The
 * stack has no Kubernetes provider, so the RUNBOOK's prerequisites create it from the stack's
 * `kmsKeyArn` output (the EBS CSI driver's role may use that key).
 */
export const AWS_STORAGE_CLASS = 'gp3';

/** The AWS_STORAGE_CLASS object: gp3, encrypted with the install's key, bound where the pod lands. */
export function awsStorageClassManifest(kmsKeyArn: string): Record<string, unknown> {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: AWS_STORAGE_CLASS },
    provisioner: 'ebs.csi.aws.com',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
    reclaimPolicy: 'Delete',
    parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: kmsKeyArn },
  };
}
