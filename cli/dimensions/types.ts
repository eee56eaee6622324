/**
 * The four dimensions of the support matrix, as types derived from the generated spec types: the
 * schema (schemas/install.schema.json) and the matrix data (matrix/support-matrix.yaml) are the
 * source of the value lists; the descriptor maps below are exhaustive Records over them, so a value
 * added to the schema without a descriptor (or a descriptor without a value) fails to compile and
 * fails test/dimensions/descriptors.test.ts.
 */
import type { InstallSpec } from '../generated/install-spec.js';

export type PlatformId = InstallSpec['platform']['type'];
export type ScmId = InstallSpec['scm']['type'];
export type ModelHostingId = InstallSpec['models']['hosting'];
export type NetworkId = InstallSpec['network']['mode'];

/** What installctl knows about one platform value; each concern adds its fields here. */
export interface PlatformDescriptor {
  id: PlatformId;
  /** The name people use for it in prose (runbook, help text). */
  label: string;
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
