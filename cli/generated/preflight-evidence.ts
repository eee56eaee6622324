// DO NOT EDIT. Generated from schemas/preflight-evidence.schema.json by scripts/generate.mjs (npm run generate).

/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "name".
 */
export type Name = string;

/**
 * What installctl preflight saw of a cluster: Kubernetes API responses trimmed to the fields the analyzers read. Written by `preflight --evidence-out`, read by `preflight --from-evidence` and `support-bundle analyze`. Never holds a Secret's values: only its key names.
 */
export interface PreflightEvidence {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "PreflightEvidence";
  /**
   * the installctl version that collected it
   */
  installctl: string;
  /**
   * when collection started (UTC, ISO 8601)
   */
  collectedAt: string;
  /**
   * the install spec it was collected for
   */
  install: {
    name: string;
    cell: string;
    specSha256: string;
  };
  cluster: {
    /**
     * the kubeconfig context used (null from in-cluster config)
     */
    context: string | null;
    /**
     * the API server's origin (scheme://host:port), no path or credentials
     */
    server: string;
    /**
     * --namespace-prefix: prepended to the install's namespace names
     */
    namespacePrefix: string;
  };
  /**
   * each collector's outcome by name; a check that needs a collector whose status is not ok reports error
   */
  collectors: {
    [k: string]: CollectorStatus | undefined;
  };
  version: null | Version;
  /**
   * the distribution the signals point to, and the signals (detectDistribution)
   */
  distribution: null | Distribution;
  /**
   * group/version of every API discovery serves, sorted (core is v1)
   *
   * @maxItems 2000
   */
  apiResources: string[];
  /**
   * @maxItems 5000
   */
  nodes: Node[];
  /**
   * @maxItems 2000
   */
  daemonSets: DaemonSet[];
  /**
   * @maxItems 500
   */
  storageClasses: StorageClass[];
  /**
   * @maxItems 500
   */
  ingressClasses: IngressClass[];
  /**
   * @maxItems 5000
   */
  crds: Crd[];
  /**
   * @maxItems 100
   */
  namespaces: Namespace[];
  /**
   * @maxItems 2000
   */
  accessReviews: AccessReview[];
  /**
   * @maxItems 500
   */
  secrets: KeyedObject[];
  /**
   * @maxItems 500
   */
  configMaps: KeyedObject[];
  /**
   * --active probes; null when not asked for
   */
  active: null | Active;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "collectorStatus".
 */
export interface CollectorStatus {
  status: "ok" | "forbidden" | "not-found" | "failed" | "skipped";
  httpStatus: number | null;
  /**
   * what failed (empty when ok)
   */
  message: string;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "version".
 */
export interface Version {
  /**
   * e.g. v1.35.2-eks-3025e55
   */
  gitVersion: string;
  major: string;
  /**
   * as the API gives it; GKE and EKS may append '+'
   */
  minor: string;
  platform: string;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "distribution".
 */
export interface Distribution {
  name: "eks" | "aks" | "gke" | "openshift" | "rke2" | "k3s" | "vanilla";
  /**
   * what pointed to it (version suffix, node labels, API groups)
   *
   * @maxItems 20
   */
  signals: string[];
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "node".
 */
export interface Node {
  name: Name;
  labels: StringMap;
  /**
   * @maxItems 50
   */
  taints: Taint[];
  capacity: Quantities;
  allocatable: Quantities;
  /**
   * sum of the requests of the node's pods that are not Succeeded or Failed (null when pods could not be listed)
   */
  requested: null | Quantities;
  unschedulable: boolean;
  ready: boolean;
  kubeletVersion: string;
  osImage: string;
  containerRuntimeVersion: string;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "stringMap".
 */
export interface StringMap {
  [k: string]: string | undefined;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "taint".
 */
export interface Taint {
  key: Name;
  value: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}
/**
 * resource name to Kubernetes quantity, as the API gives it (cpu: 3920m, memory: 15Gi, nvidia.com/gpu: 8)
 *
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "quantities".
 */
export interface Quantities {
  [k: string]: string | undefined;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "daemonSet".
 */
export interface DaemonSet {
  namespace: Name;
  name: Name;
  labels: StringMap;
  /**
   * @maxItems 30
   */
  containers: {
    name: Name;
    image: string;
    /**
     * only --enable-network-policy* flags are kept
     *
     * @maxItems 50
     */
    args: string[];
  }[];
  desired: number;
  ready: number;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "storageClass".
 */
export interface StorageClass {
  name: Name;
  provisioner: string;
  /**
   * annotated storageclass.kubernetes.io/is-default-class: true
   */
  isDefault: boolean;
  volumeBindingMode: "Immediate" | "WaitForFirstConsumer";
  allowVolumeExpansion: boolean;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "ingressClass".
 */
export interface IngressClass {
  name: Name;
  controller: string;
  isDefault: boolean;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "crd".
 */
export interface Crd {
  name: Name;
  /**
   * served versions
   *
   * @maxItems 20
   */
  versions: string[];
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "namespace".
 */
export interface Namespace {
  name: Name;
  exists: boolean;
  labels: StringMap;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "accessReview".
 */
export interface AccessReview {
  /**
   * null for cluster-scoped resources
   */
  namespace: string | null;
  verb: string;
  /**
   * empty for the core group
   */
  group: string;
  resource: string;
  allowed: boolean;
  reason: string;
}
/**
 * a Secret or ConfigMap the values reference: whether it exists and its key names (never values)
 *
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "keyedObject".
 */
export interface KeyedObject {
  namespace: Name;
  name: Name;
  found: boolean;
  /**
   * a Secret's type (kubernetes.io/dockerconfigjson ...); null for ConfigMaps and missing objects
   */
  type: string | null;
  /**
   * @maxItems 500
   */
  keys: string[];
  /**
   * a dockerconfigjson Secret's registry hosts (the auths keys; never the credentials)
   *
   * @maxItems 100
   */
  registries: string[];
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "active".
 */
export interface Active {
  namespace: Name;
  image: string;
  /**
   * @maxItems 200
   */
  probes: Probe[];
  /**
   * the probe namespace was deleted
   */
  cleanedUp: boolean;
}
/**
 * This interface was referenced by `PreflightEvidence`'s JSON-Schema
 * via the `definition` "probe".
 */
export interface Probe {
  id: string;
  kind: "image-pull" | "dns" | "tcp" | "public-egress";
  target: string;
  /**
   * the probe's expectation held (for public-egress: the host was NOT reachable)
   */
  ok: boolean;
  detail: string;
}
