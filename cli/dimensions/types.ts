/**
 * The four dimensions of the support matrix, as types derived from the generated spec types: the
 * schema (schemas/install.schema.json) and the matrix data (matrix/support-matrix.yaml) are the
 * source of the value lists; the descriptor maps below are exhaustive Records over them, so a value
 * added to the schema without a descriptor (or a descriptor without a value) fails to compile and
 * fails test/dimensions/descriptors.test.ts.
 */
import type { CloudManagedModels, InstallSpec } from '../generated/install-spec.js';

export type PlatformId = InstallSpec['platform']['type'];
export type ScmId = InstallSpec['scm']['type'];
export type ModelHostingId = InstallSpec['models']['hosting'];
export type NetworkId = InstallSpec['network']['mode'];

/** What installctl knows about one platform value; each concern adds its fields here. */
export interface PlatformDescriptor {
  id: PlatformId;
  /** The name people use for it in prose (runbook, help text). */
  label: string;

  // ---- Checker side (conformance, matrix requirements, --affected): PlatformCheckFacts below ----
  check: PlatformCheckFacts;
}

/** What installctl knows about one SCM value. */
export interface ScmDescriptor {
  id: ScmId;
  label: string;
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
  /** The cloud's own model service (models.provider of a cloud-managed spec), or null: the platform has none. */
  cloudModelService: CloudManagedModels['provider'] | null;
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
