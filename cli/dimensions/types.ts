/**
 * The four dimensions of the support matrix, as types derived from the generated spec types: the
 * schema (schemas/install.schema.json) and the matrix data (matrix/support-matrix.yaml) are the
 * source of the value lists; the descriptor maps below are exhaustive Records over them, so a value
 * added to the schema without a descriptor (or a descriptor without a value) fails to compile and
 * fails test/dimensions/descriptors.test.ts.
 */
import type { CloudManagedModels, InstallSpec } from '../generated/install-spec.js';
import type { CloudSettings } from '../../stacks/settings.js';

export type PlatformId = InstallSpec['platform']['type'];
export type ScmId = InstallSpec['scm']['type'];
export type ModelHostingId = InstallSpec['models']['hosting'];
export type NetworkId = InstallSpec['network']['mode'];

type PlatformSpecs = { [Id in PlatformId]: Extract<InstallSpec['platform'], { type: Id }> };
type ScmSpecs = { [Id in ScmId]: Extract<InstallSpec['scm'], { type: Id }> };
/** The spec's `platform` block of one platform value. */
export type PlatformSpecOf<Id extends PlatformId> = PlatformSpecs[Id];
/** The spec's `scm` block of one SCM value. */
export type ScmSpecOf<Id extends ScmId> = ScmSpecs[Id];

/** What installctl knows about one platform value; each concern adds its fields here. */
export interface PlatformDescriptor<Id extends PlatformId = PlatformId> {
  id: Id;
  /** The name people use for it in prose (runbook, help text). */
  label: string;
  /** The cloud's own model service (models.provider of a cloud-managed spec), or null: the platform has none. */
  cloudModelService: CloudManagedModels['provider'] | null;

  // ---- Checker side (conformance, matrix requirements, --affected): PlatformCheckFacts below ----
  check: PlatformCheckFacts;
  /** What the emitters (cli/emit) and the spec rules read: see PlatformEmit. */
  emit: PlatformEmit<Id>;
}

/** What installctl knows about one SCM value. */
export interface ScmDescriptor<Id extends ScmId = ScmId> {
  id: Id;
  label: string;
  /** What the emitters (cli/emit) and the spec rules read: see ScmEmit. */
  emit: ScmEmit<Id>;
}

/** What installctl knows about one model-hosting value. */
export interface ModelHostingDescriptor {
  id: ModelHostingId;
  label: string;
}

/** What installctl knows about one network value. */
export interface NetworkDescriptor {
  id: NetworkId;
  label: string;
}

// ---- Checker side: what conformance, the matrix requirements and --affected know per value ----
// Data only: the checks themselves live in cli/conformance and cli/matrix, keyed by PlatformId.

/** An egress a chart's NetworkPolicies may open to a cloud metadata address on this platform. */
export interface MetadataServerEgress {
  cidr: string;
  port: number;
}

export interface PlatformCheckFacts {
  /**
   * The files only this platform's cells depend on, per --affected rule (`stack:<id>`, `cloud:<id>`):
   * a path ending in / is a folder, any other path one file. Anything not named here is shared.
   */
  affectedFiles: { stack: readonly string[]; cloud: readonly string[] };
  /** The `global.platform` values the Helm charts take on this platform (charts/agent-platform/values.schema.json). */
  chartPlatforms: readonly string[];
  /** A cloud's managed Kubernetes: its GPU nodes run the NVIDIA runtime by default, no "nvidia" RuntimeClass exists. */
  managedKubernetes: boolean;
  /** Metadata-server egress the charts open on this platform (the manifest policy metadata-egress allows exactly these). */
  metadataServerEgress: readonly MetadataServerEgress[];
  /**
   * What the Pulumi mock synthesis of one of its cells costs a conformance worker, in ms (calibrated:
   * cli/conformance/cost.ts): the stack, and the model-server stack's extra (GPU node pools, weights storage).
   */
  synthesisMs: { stack: number; selfHostedExtra: number };
}

// ---------------------------------------------------------------------------------------------
// Emit side (helper dim-emit): Helm values, runbook, starter spec, spec rules.
// Methods (not function-typed properties) so a ScmDescriptor<'github'> is a ScmDescriptor: the
// maps in */index.ts pair each value with its own descriptor, so the narrowing always holds.
// ---------------------------------------------------------------------------------------------

/** The strings a starter-spec fragment is built from (cli/emit/starter-spec.ts owns the placeholders). */
export interface StarterContext {
  /** The example domain named after --customer (init-domain.ts). */
  domain: string;
  /** `{ secretRef: { name, key } }` as the starter spec writes it. */
  secret(name: string, key: string): string;
  /** The placeholder SCM organization validate flags. */
  organization: string;
}

export interface ScmEmit<Id extends ScmId> {
  /** The scopes the platform may access (organizations, groups, project keys), from the spec. */
  scopes(scm: ScmSpecOf<Id>): readonly string[];
  /** Runbook's last line: what the platform's users connect ("GitLab groups"). */
  scopesLabel: string;
  /** The server URL the agent-platform chart gets (`scm.url`). */
  serverUrl(scm: ScmSpecOf<Id>): string;
  /** The internal CA that signed the server certificate, when the spec names one. */
  caBundle(scm: ScmSpecOf<Id>): { configMapRef: { name: string; key: string } } | undefined;
  /**
   * A self-managed product: its public SaaS twin, which `scm.url` must not point at
   * (RULE_SCM_URL_IS_SAAS). null: the value is the SaaS service itself (webhooks come from the internet).
   */
  selfManaged: { saasHost: string; saasHint: string } | null;
  /** The starter spec's `scm:` block, without the key line and before indenting. */
  starterLines(context: StarterContext & { webhookSecret: string; caBundle: string[] }): string[];
}

/** The platform's cloud CLI as the runbook's "Before you start" names it. */
export interface CloudCli<Id extends PlatformId> {
  command: string;
  /** "account 123", "subscription ...", "project ..." (raw value: the runbook escapes it). */
  scope: { noun: string; value(platform: PlatformSpecOf<Id>): string };
}

/** The values init invents (cli/install-spec/init-placeholders.ts owns them; validate flags them). */
export interface PlatformPlaceholders {
  accountId: string;
  uuid: string;
  gcpProject: string;
  /** The customer's label (init-domain.ts), and the reserved TLD the example hosts live under. */
  customerLabel: string;
  exampleTld: string;
  /** Object stores and the Azure registry named after the customer label. */
  names: { bucket: string; storageAccount: string; azureRegistry: string };
  /** A Transit Gateway id that is visibly not the customer's. */
  transitGatewayId: string;
}

export interface PlatformEmit<Id extends PlatformId> {
  /** The install creates cloud resources (network, private endpoints, managed services); false: an existing cluster only. */
  cloud: boolean;
  /**
   * The starter spec's `platform:` block, without the key line and before indenting (`cluster`: the
   * shared cluster lines; `network`: the cell's network mode; `kubernetesVersion`: the calendar's
   * default on init's day).
   */
  starterLines(cluster: string[], placeholders: PlatformPlaceholders, network: string, kubernetesVersion: string): string[];
  /** The starter spec's ingress TLS (and DNS) lines under `ingress:`; absent: an existing TLS Secret, which every other ingress serves. */
  starterIngressLines?: (placeholders: PlatformPlaceholders) => string[];
  /** The registry mirror init writes for an air-gapped cell (the cloud's own registry, or the site's). */
  starterMirror(placeholders: PlatformPlaceholders): string;
  /** Starter spec: the GPU product and chat model's GPU count a self-hosted cell starts from. */
  starterGpuPool: { product: string; chatGpus: number; extra?: string };
  /** Starter spec: a connected self-hosted model's weights in the platform's object store; null: a PVC. */
  starterWeights(model: string, placeholders: PlatformPlaceholders): string | null;
  /** The object store the platform's model servers read weights from natively (its own cloud's); null: none of its own. */
  weightsObjectStore: 's3' | 'gcs' | 'azure-blob' | null;
  /**
   * The key of the instance presets (matrix/gpu-presets.yaml) the stack sizes its GPU pool from;
   * null: no pool is created, the cluster's existing GPU nodes have gpuPool.gpusPerNode GPUs each.
   */
  gpuPresets: 'aws' | 'azure' | 'gcp' | null;
  /**
   * Something grows the GPU pool from minNodes to maxNodes when replicas are Pending (the cluster
   * autoscaler, Karpenter, AKS/GKE pool autoscaling); absent or false: the pool stays at minNodes
   * (RULE_GPU_DEMAND_EXCEEDS_POOL checks the replicas against it).
   */
  gpuPoolAutoscales?: boolean;
  /**
   * Whether the platform's stack can build a cluster of this Kubernetes minor version (EKS: its
   * add-on versions are pinned in stacks/decisions/eks-addons.ts); absent: any version the calendar lists.
   */
  buildsKubernetesVersion?: (version: string) => boolean;
  /** Where datastores live by default: the cloud's managed services, or bundled in the cluster. */
  defaultDatastores: 'managed' | 'bundled';
  /** The Pulumi provider package of the emitted project; null: no cloud resources. */
  pulumiProvider: '@pulumi/aws' | '@pulumi/azure-native' | '@pulumi/gcp' | null;
  /** The stack component the emitted index.ts instantiates (stacks/<platform>/install.ts). */
  installClass: string;
  /** The cloud CLI the runbook asks for; null: none. */
  cloudCli: CloudCli<Id> | null;
  /** The stacks' cloud settings (region, account, network) from the spec; null: no cloud (settings.ts). */
  cloudSettings(platform: PlatformSpecOf<Id>): CloudSettings | null;
}
