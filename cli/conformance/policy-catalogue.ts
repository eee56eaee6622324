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
  /** validate layer: the error codes (cli/lib/error-catalogue.ts) through which the rule reports. */
  readonly codes?: readonly string[];
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

  // --- endpoints and network wiring (points 1, 2, 3) ---
  'endpoint-egress': {
    layer: 'manifest',
    what: 'every endpoint a workload is wired to (datastores at the infrastructure output host:port, in-cluster models, the SCM URL port, workload identity token endpoints, weights stores) has an egress rule for its port and is configured with that port',
    anchor: 'issue 13 points 1-2: Azure Managed Redis on 10000 (chart said 6379); Entra ID / STS / GKE metadata blocked for workload identity; SCM on 8443',
  },

  // --- PostgreSQL TLS (point 4) ---
  'postgres-tls': {
    layer: 'manifest',
    what: "every PostgreSQL client verifies the server (verify-full; verify-ca on Cloud SQL's private IP) with PGSSLROOTCERT from a volume holding the CAs its platform needs",
    anchor: 'libpq sslmode/sslrootcert; RDS global bundle, Cloud SQL server CA, Azure PostgreSQL roots (issue 13 point 4)',
  },

  // --- upgrade safety, storage, model servers (points 5, 7, 9) ---
  'upgrade-immutable': {
    layer: 'upgrade',
    what: "each upgrade edge (a cell rendered at one catalogued release and at the next, helm template of both) changes no immutable field (StatefulSet claims/serviceName/selector, selectors, a kept Job's template, PVC class and modes, Service clusterIP)",
    anchor: 'bitnami charts (match labels only in volumeClaimTemplates); helm upgrade "field is immutable"',
  },
  'upgrade-stateful-replacement': {
    layer: 'upgrade',
    what: "each upgrade edge (mock syntheses of both releases' Pulumi projects) replaces or deletes no stateful resource (database, cache, bucket, cluster, key, registry, node pool with local data) that the newer release does not declare in infrastructure.replacements",
    anchor: 'pulumi preview replace on creation-only properties (ForceNew, replaceOnChanges); KOTS/Zarf upgrades that lost data',
  },
  'upgrade-unmigrated-value': {
    layer: 'upgrade',
    what: "each upgrade edge's newer render sets no chart value under a key that release or an earlier one renamed (releases/<version>.yaml values.renamed): the chart would ignore it",
    anchor: 'GitLab chart deprecations (renamed keys fail the upgrade); Helm silently ignores unknown values',
  },
  'storage-class': {
    layer: 'manifest',
    what: "every claim (PVC, StatefulSet and ephemeral claim templates) names a storage class the cell's stack or prerequisites provide",
    anchor: 'EKS >= 1.30 has no default StorageClass (pulumi-eks creates gp3); AKS managed-csi, GKE standard-rwo built-ins',
  },
  'model-weights': {
    layer: 'manifest',
    what: 'a pvc-sourced model mounts a claim of the release or one declared pre-existing; no RWO claim shared by replicas; embedding models run the pooling runner; liveness differs from readiness',
    anchor: 'vllm production-stack; vLLM pooling models (--runner pooling)',
  },
  'weights-claims': {
    layer: 'validate',
    what: 'a weights claim the release creates is ReadOnlyMany, or ReadWriteOnce with one replica, and is filled from the mirror',
    anchor: 'Kubernetes access modes; vllm production-stack model volumes',
    codes: ['RULE_WEIGHTS_RWO_REPLICAS', 'RULE_WEIGHTS_CREATE_MIRROR'],
  },

  // --- cluster and network stacks, every cloud (issue 13 points 3, 6, 8, 10, 13, 14, 15) ---
  'network-policy-enforced': {
    layer: 'pulumi',
    what: 'a cell that renders NetworkPolicies runs on a cluster that enforces them: EKS vpc-cni enableNetworkPolicy, AKS a network policy engine (Cilium with its dataplane), GKE Dataplane V2; existing clusters: a runbook prerequisite',
    anchor: 'EKS network policy agent (vpc-cni), AKS network policy engines, terraform-google-kubernetes-engine datapath_provider',
  },
  'autoscaler-owns-size': {
    layer: 'pulumi',
    what: 'every node group or pool whose size an autoscaler owns ignores changes to its size (EKS scalingConfig.desiredSize, AKS count, GKE node counts)',
    anchor: 'pulumi-eks / terraform-aws-eks ignore desired_size; terraform-google-kubernetes-engine lifecycle ignore_changes',
  },
  'node-autoscaling': {
    layer: 'pulumi',
    what: 'every node group or pool whose min is below max has an autoscaler that can scale it (EKS: cluster-autoscaler discovery tags, role, GPU node-template tags; AKS/GKE: pool autoscaling within the bounds)',
    anchor: 'kubernetes/autoscaler cloud providers; defect: 5 GPUs demanded on one fixed 4-GPU node',
  },
  'depends-on-iam': {
    layer: 'pulumi',
    what: "everything that runs as a role (cluster, node group, add-on, ECR template) waits for that role's policy attachments",
    anchor: 'terraform-aws-eks depends_on IAM attachments',
  },
  'eks-addons': {
    layer: 'pulumi',
    what: 'vpc-cni, kube-proxy, coredns and aws-ebs-csi-driver are managed add-ons at the pinned version for the cluster version; the EBS CSI driver makes the default StorageClass and may use the install key',
    anchor: 'terraform-aws-eks cluster_addons, EKS user guide add-on version tables',
  },
  'ecr-template-role': {
    layer: 'pulumi',
    what: 'an ECR repository creation template with KMS encryption names a customRoleArn that ECR can assume and that may use the key',
    anchor: 'ECR repository creation templates (customRoleArn required for KMS and tags)',
  },
  'version-pin-major': {
    layer: 'pulumi',
    what: 'a managed service that applies minor upgrades itself pins no finer than the cloud keeps stable (RDS 16, flexible server 16, Cloud SQL POSTGRES_16, Memorystore with a maintenance window); no node or cluster patch version pinned against auto-upgrade',
    anchor: 'defect: RDS engineVersion 16.6 with automatic minor upgrades downgrades on the next pulumi up; terraform-aws-rds engine_version',
  },
  'network-reachable': {
    layer: 'pulumi',
    what: "a new air-gapped network is attached to the customer's (AWS: Transit Gateway routes for every allowedEgressCidrs range and Session Manager endpoints; Azure: hub peering; GKE: hub peering importing custom routes)",
    anchor: 'defect: the SCM in 10.0.0.0/8 is unreachable from an island VPC; AWS Transit Gateway, aks-baseline hub-spoke, GCP VPC peering',
  },
  'cluster-admin-assigned': {
    layer: 'pulumi',
    what: 'an AKS cluster without local accounts has an Azure Kubernetes Service RBAC Cluster Admin scoped to it (each spec admin, else the deployer)',
    anchor: 'AKS Entra ID integration: disableLocalAccounts needs an Azure RBAC admin, or kubectl gets 403',
  },
  'ingress-dns': {
    layer: 'pulumi',
    what: "with spec ingress.dns, the hostname's record is provided: Azure the zone is attached to the application routing add-on that writes it; GKE an A record on the address reserved for the Ingress",
    anchor: 'AKS application routing DNS zones, GKE regional static IP for internal Ingress',
  },
  'serialized-server-ops': {
    layer: 'pulumi',
    what: 'the operations on one PostgreSQL flexible server (configurations, databases, admins, private endpoints) form one dependsOn chain',
    anchor: 'Azure flexible server ServerBusy on concurrent operations',
  },
  'gpu-zones': {
    layer: 'pulumi',
    what: "GKE: the GPU node pool's nodeLocations are zones that offer its accelerator",
    anchor: 'cloud.google.com/compute/docs/gpus/gpu-regions-zones (matrix/gpu-presets.yaml gcpAcceleratorZones)',
  },
  'release-channel': {
    layer: 'pulumi',
    what: 'GKE: a new cluster follows a release channel (REGULAR; STABLE for lts)',
    anchor: 'terraform-google-kubernetes-engine release_channel',
  },
  'ingress-tls-served': {
    layer: 'validate',
    what: "the ingress TLS mode is one the platform's ingress serves (the ALB serves ACM certificates of its own region and account only); the DNS zone is in the platform's shape",
    anchor: 'AWS Load Balancer Controller ignores TLS Secrets (certificate-arn annotation)',
    codes: ['RULE_INGRESS_TLS_UNSERVED', 'RULE_INGRESS_DNS_PLATFORM', 'RULE_AZURE_INGRESS_ZONE'],
  },
  'airgap-island': {
    layer: 'validate',
    what: 'a new air-gapped network is attached to the networks its pods must reach (AWS attachments, Azure hub, GCP hub)',
    anchor: 'terraform-aws-eks private clusters behind a Transit Gateway; aks-baseline hub-spoke',
    codes: ['RULE_AIRGAP_ISLAND', 'RULE_AZURE_VNET_ISLAND', 'RULE_GCP_VPC_ISLAND', 'RULE_AZURE_NEW_ONLY'],
  },
  'gpu-region': {
    layer: 'validate',
    what: "GKE: the spec's region has zones offering the GPU pool's accelerator",
    anchor: 'cloud.google.com/compute/docs/gpus/gpu-regions-zones',
    codes: ['RULE_GPU_REGION_UNAVAILABLE', 'RULE_GPU_REGION_UNLISTED'],
  },

  // --- validate rules and the runbook (issue 13 points 8, 11, 12) ---
  'gpu-demand': {
    layer: 'validate',
    what: "self-hosted: the models' replicas, packed first-fit-decreasing onto nodes of the pool's shape, fit the pool (maxNodes, or minNodes where nothing autoscales)",
    anchor: 'defect: the aws starter spec put 5 GPUs on one 4-GPU node; vllm production-stack sizing',
    codes: ['RULE_GPU_DEMAND_EXCEEDS_POOL', 'RULE_GPU_DEMAND_NEEDS_SCALE_UP'],
  },
  'kubernetes-support': {
    layer: 'validate',
    what: 'the Kubernetes version is in support on the platform on the day (matrix/kubernetes-versions.yaml): warns 90 days before and after the end of standard support, fails after the end of all support',
    anchor: 'EKS, AKS and GKE version calendars, kubernetes.io/releases',
    codes: ['RULE_KUBERNETES_STANDARD_SUPPORT_ENDING', 'RULE_KUBERNETES_EXTENDED_SUPPORT', 'RULE_KUBERNETES_END_OF_SUPPORT', 'RULE_KUBERNETES_VERSION_UNKNOWN'],
  },
  'registry-login': {
    layer: 'runbook',
    what: 'every RUNBOOK command that talks to a registry (oras, helm oci://, skopeo, crane, docker) follows a login to that host in the same section',
    anchor: 'defect: oras pull and helm oci:// from ECR/ACR/Artifact Registry without a login answer 401',
  },
  'runbook-creates-references': {
    layer: 'runbook',
    what: 'every Secret and ConfigMap the Helm values reference is created by a RUNBOOK command in that namespace with every key read (ExternalSecret targets excepted)',
    anchor: 'defect: Azure Managed Redis (Entra ID) wired to a NAME-redis Secret no step created: pods in CreateContainerConfigError',
  },
} as const satisfies Record<string, PolicyEntry>;

export type PolicyId = keyof typeof POLICIES;

/** Markdown inline text: a pipe would end the cell, a backtick or bracket would start markup. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** README's "Conformance policies" table (npm run readme), grouped by layer in catalogue order. */
export function formatPolicyTable(): string {
  const rows = (Object.entries(POLICIES) as Array<[PolicyId, PolicyEntry]>).map(
    ([id, entry]) =>
      `| \`${id}\` | ${entry.layer} | ${cell(entry.what)}${entry.codes?.length ? ` (${entry.codes.map((code) => `\`${code}\``).join(', ')})` : ''} | ${cell(entry.anchor)} |`,
  );
  return ['| id | layer | what it checks | anchor |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
