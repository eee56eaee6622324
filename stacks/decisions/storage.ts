/**
 * The StorageClass every claim of an install names, per platform, in one place: the charts' values
 * (cli/emit/helm-values.ts) set it on every claim and the stacks make sure it exists. EKS >= 1.30
 * marks no StorageClass default, so a claim without a class stays Pending: no claim relies on a
 * default anywhere.
 *   aws     gp3: created by the AWS stack (EBS CSI driver add-on), as pulumi-eks does
 *   azure   managed-csi: built into AKS (Azure Disk CSI, StandardSSD)
 *   gcp     standard-rwo: built into GKE (Persistent Disk CSI, balanced)
 *   onprem  the class the spec names (a prerequisite of the site)
 */
import type { Platform } from '../settings.js';

export const CLOUD_STORAGE_CLASSES = { aws: 'gp3', azure: 'managed-csi', gcp: 'standard-rwo' } as const satisfies Record<Exclude<Platform, 'onprem'>, string>;

/**
 * Classes the cluster has without the install creating them, a claim may name too (a weights claim
 * shared by replicas needs a file class). AKS and GKE ship these; the AWS stack creates only gp3.
 */
const BUILT_IN: Readonly<Record<Exclude<Platform, 'onprem'>, readonly string[]>> = {
  aws: [],
  azure: ['managed-csi-premium', 'azurefile-csi', 'azurefile-csi-premium'],
  gcp: ['premium-rwo', 'standard'],
};

/** The class the install's claims use on the platform; onprem: the spec's storageClass. */
export function storageClassFor(platform: Platform, onprem: { storageClass: string } | null | undefined): string {
  if (platform === 'onprem') return onprem?.storageClass ?? '';
  return CLOUD_STORAGE_CLASSES[platform];
}

/** Every class a claim of the install may name: the install's own (storageClassFor) and the platform's built-in ones. */
export function providedStorageClasses(platform: Platform, onprem: { storageClass: string } | null | undefined): string[] {
  const own = storageClassFor(platform, onprem);
  return [...(own ? [own] : []), ...(platform === 'onprem' ? [] : BUILT_IN[platform])];
}
