/**
 * Every policy and rule that conformance runs in every cell, in one table: its id (the `policy` of
 * a Violation), the layer it checks, what it checks, and the anchor (the reference, incident or
 * defect it comes from). README's "Conformance policies" table is generated from it (npm run readme),
 * and test/conformance/policy-catalogue.test.ts fails when a policy id used in cli/conformance is
 * missing here or an entry here is used nowhere.
 */

export type PolicyLayer = 'pulumi' | 'manifest' | 'upgrade' | 'validate' | 'runbook';

export interface PolicyEntry {
  readonly layer: PolicyLayer;
  /** One line: what the policy checks. */
  readonly what: string;
  /** Where the check comes from: a reference implementation, a documented cloud requirement, or the defect it prevents. */
  readonly anchor: string;
}

export const POLICIES = {
  // --- Pulumi resource policies, every platform ---
  program: { layer: 'pulumi', what: 'the Pulumi program synthesizes without an error', anchor: 'pulumi preview' },
  parented: { layer: 'pulumi', what: 'every resource is created under an installctl component ({ parent: this })', anchor: 'Pulumi component model' },
  tagged: { layer: 'pulumi', what: 'every taggable cloud resource carries the install and customer tags', anchor: 'AWS/Azure/GCP tagging guidance' },
  'onprem-no-cloud': { layer: 'pulumi', what: 'an on-prem stack creates no cloud resource', anchor: 'on-prem installs own no cloud account' },
  'air-gapped-no-internet': {
    layer: 'pulumi',
    what: 'air-gapped: no internet gateway, NAT, public IP or public endpoint',
    anchor: 'aks-baseline, terraform-aws-eks private clusters',
  },
  'api-allow-list': { layer: 'pulumi', what: 'a public API endpoint is limited to an allow list', anchor: 'CIS EKS/AKS/GKE benchmarks' },
  backups: { layer: 'pulumi', what: 'managed datastores keep backups (retention, point-in-time recovery)', anchor: 'cloud well-architected reliability pillars' },
  cluster: {
    layer: 'pulumi',
    what: 'the cluster exists with the requested Kubernetes version and node pools',
    anchor: 'pulumi-eks, aks-baseline, terraform-google-kubernetes-engine',
  },
  'cluster-auth': { layer: 'pulumi', what: 'the cluster uses its cloud identity for authentication (no static local accounts)', anchor: 'aks-baseline' },
  'connected-egress': { layer: 'pulumi', what: 'connected: private nodes reach the internet through NAT', anchor: 'terraform-aws-eks, terraform-google-kubernetes-engine' },
  'data-private': { layer: 'pulumi', what: 'managed datastores are reachable only privately', anchor: 'cloud database security baselines' },
  'data-services': { layer: 'pulumi', what: 'each datastore the spec manages exists once with the expected engine', anchor: 'the install spec' },
  encrypted: { layer: 'pulumi', what: 'data at rest uses the customer-managed key', anchor: 'CIS benchmarks, FedRAMP SC-28' },
  'gpu-pool': { layer: 'pulumi', what: 'self-hosted: a GPU node pool of the preset shape, tainted and labelled', anchor: 'vllm production-stack, cloud GPU node pool guides' },
  'internal-load-balancing': { layer: 'pulumi', what: 'internal exposure: load balancers are internal', anchor: 'aks-baseline' },
  'least-privilege': { layer: 'pulumi', what: 'each workload identity gets only the grants it needs', anchor: 'IRSA / workload identity guidance' },
  'model-service': {
    layer: 'pulumi',
    what: 'cloud-managed: the model service is granted (and deployed on Azure) for each catalogued model',
    anchor: 'Bedrock, Azure OpenAI, Vertex AI',
  },
  'no-default-outbound': { layer: 'pulumi', what: 'Azure subnets disable default outbound access', anchor: 'Azure default outbound retirement' },
  'no-public-nodes': { layer: 'pulumi', what: 'nodes have no public IP addresses', anchor: 'CIS benchmarks' },
  'private-cluster-api': { layer: 'pulumi', what: 'air-gapped or private: the API server endpoint is private', anchor: 'aks-baseline, terraform-aws-eks' },
  'private-google-access': { layer: 'pulumi', what: 'GCP subnets enable Private Google Access', anchor: 'terraform-google-kubernetes-engine private clusters' },
  'private-google-apis': { layer: 'pulumi', what: 'air-gapped GCP: googleapis.com resolves to the private VIP', anchor: 'GCP Private Service Connect / restricted VIP' },
  registry: { layer: 'pulumi', what: 'air-gapped: the cloud registry mirror exists, encrypted and immutable', anchor: 'Zarf / Replicated air-gap registries' },
  'workload-identity': {
    layer: 'pulumi',
    what: 'workloads get cloud credentials through workload identity, not keys',
    anchor: 'IRSA, Entra workload identity, GKE workload identity',
  },

  // --- manifest policies (rendered Helm output), every cell ---
  labels: { layer: 'manifest', what: 'every object and pod template has the app.kubernetes.io labels', anchor: 'Kubernetes recommended labels' },
  'image-digest': { layer: 'manifest', what: 'every image is pinned by digest', anchor: 'SLSA, Zarf' },
  'image-registry': { layer: 'manifest', what: 'with a mirror, every image comes from it', anchor: 'air-gapped installs (Zarf, Replicated)' },
  'restricted-pod': { layer: 'manifest', what: 'Pod Security "restricted" for every pod (one device-plugin exemption)', anchor: 'Kubernetes Pod Security Standards' },
  resources: { layer: 'manifest', what: 'every container requests CPU and memory and limits memory', anchor: 'bitnami charts' },
  probes: { layer: 'manifest', what: 'every long-running container has readiness and liveness probes', anchor: 'bitnami charts' },
  'disruption-budget': { layer: 'manifest', what: 'every multi-replica workload has a PodDisruptionBudget', anchor: 'bitnami charts' },
  'no-secret-data': { layer: 'manifest', what: 'no Secret carries data: credentials come from references', anchor: 'installctl secret model' },
  'metadata-egress': { layer: 'manifest', what: 'no NetworkPolicy opens a cloud metadata address (but the GKE metadata server)', anchor: 'instance metadata credential theft' },
  'default-deny-egress': { layer: 'manifest', what: 'air-gapped: a NetworkPolicy denies all egress of every pod', anchor: 'NSA/CISA Kubernetes hardening' },
  'public-hosts': { layer: 'manifest', what: 'air-gapped: no rendered string names a public internet host', anchor: 'air-gapped installs' },
  'hook-references': { layer: 'manifest', what: 'a pre-install hook references nothing that only exists after install', anchor: 'Helm hooks, Argo CD PreSync' },
  gpu: { layer: 'manifest', what: 'each vLLM container asks for, selects and tolerates its GPUs; offline when air-gapped', anchor: 'vllm production-stack' },

  // --- issue 13: endpoints and network wiring (points 1, 2, 3) ---

  // --- issue 13: PostgreSQL TLS (point 4) ---

  // --- issue 13: upgrade safety, storage, model servers (points 5, 7, 9) ---

  // --- issue 13: AWS stacks ---

  // --- issue 13: Azure stacks ---

  // --- issue 13: GCP stacks ---

  // --- issue 13: validate rules, runbook (points 8, 11, 12) ---
  'gpu-demand': {
    layer: 'validate',
    what: "self-hosted: the models' replicas, packed first-fit-decreasing onto nodes of the pool's shape, fit the pool (maxNodes, or minNodes where nothing autoscales)",
    anchor: 'issue 13 point 8: the aws starter spec put 5 GPUs on one 4-GPU node; vllm production-stack sizing',
  },
  'kubernetes-support': {
    layer: 'validate',
    what: 'the Kubernetes version is in support on the platform on the day (matrix/kubernetes-versions.yaml): warns 90 days before and after the end of standard support, fails after the end of all support',
    anchor: 'EKS, AKS and GKE version calendars, kubernetes.io/releases',
  },
  'registry-login': {
    layer: 'runbook',
    what: 'every RUNBOOK command that talks to a registry (oras, helm oci://, skopeo, crane, docker) follows a login to that host in the same section',
    anchor: 'issue 13 point 12: oras pull and helm oci:// from ECR/ACR/Artifact Registry without a login answer 401',
  },
} as const satisfies Record<string, PolicyEntry>;

export type PolicyId = keyof typeof POLICIES;
