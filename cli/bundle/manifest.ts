/**
 * The bundle manifest: what a bundle holds, every blob with digest and size. The shapes are
 * generated from schemas/bundle.schema.json (#/$defs/manifest), the source of truth.
 */
import validateManifest from '../generated/bundle-manifest.validator.js';
import validateSignature from '../generated/bundle-signature.validator.js';

export type { BundleArtifact, BundleImage, BundleManifest, BundlePlugin, BundleWeights } from '../generated/bundle.js';

export const BUNDLE_ARTIFACT_TYPE = 'application/vnd.installctl.bundle.v1';
export const BUNDLE_RECORD_REPOSITORY = 'installctl/bundles';

/** Why value is not a valid document of this kind (schemas/bundle.schema.json); null when it is one. */
export function bundleDocumentProblem(value: unknown, kind: 'BundleManifest' | 'BundleSignature'): string | null {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== kind) return `not a ${kind}`;
  const validate = kind === 'BundleManifest' ? validateManifest : validateSignature;
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  return `${error?.instancePath || '/'} ${error?.message ?? 'is invalid'}`;
}
