// DO NOT EDIT. Generated from schemas/kubernetes-versions.schema.json by scripts/generate.mjs (npm run generate).

/**
 * This interface was referenced by `KubernetesVersions`'s JSON-Schema
 * via the `definition` "date".
 */
export type Date = string;

/**
 * When each Kubernetes minor version is in standard and in any (extended, long-term) support, per platform, with the source of the dates.
 */
export interface KubernetesVersions {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "KubernetesVersions";
  /**
   * the day the dates were last read from their sources; conformance and the goldens use it as today
   */
  asOf: string;
  platforms: {
    aws: PlatformKubernetesCalendar;
    azure: PlatformKubernetesCalendar;
    gcp: PlatformKubernetesCalendar;
    onprem: PlatformKubernetesCalendar;
  };
}
/**
 * This interface was referenced by `KubernetesVersions`'s JSON-Schema
 * via the `definition` "platformCalendar".
 */
export interface PlatformKubernetesCalendar {
  /**
   * the service as people name it (Amazon EKS)
   */
  label: string;
  /**
   * the page the dates come from
   */
  source: string;
  /**
   * what the period between end of standard support and end of support is called and costs
   */
  extendedSupport: string;
  versions: {
    [k: string]: KubernetesVersionSupport | undefined;
  };
}
/**
 * This interface was referenced by `KubernetesVersions`'s JSON-Schema
 * via the `definition` "versionSupport".
 */
export interface KubernetesVersionSupport {
  /**
   * the day the platform made the version generally available
   */
  release: string;
  /**
   * the first day out of standard support
   */
  endOfStandardSupport: string;
  /**
   * the first day out of all support (extended, long-term)
   */
  endOfSupport: string;
  /**
   * true: some of the dates are projected from the platform's policy, not published
   */
  projected?: boolean;
}
