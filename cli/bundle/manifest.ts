/**
 * The bundle manifest: what a bundle holds, every blob with digest and size. The shapes are
 * generated from schemas/bundle.schema.json (#/$defs/manifest), the source of truth.
 */
export type { BundleArtifact, BundleImage, BundleManifest, BundlePlugin, BundleWeights } from '../generated/bundle.js';

export const BUNDLE_ARTIFACT_TYPE = 'application/vnd.installctl.bundle.v1';
export const BUNDLE_RECORD_REPOSITORY = 'installctl/bundles';
