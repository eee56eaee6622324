// DO NOT EDIT. Generated from schemas/bundle.schema.json by scripts/generate.mjs (npm run generate).

/**
 * The files bundle create and bundle push write: the bundle manifest (inside the bundle, the layer of the bundle record), the detached signature (FILE.sig), the delivery receipt (FILE.<registry>.receipt.json) and the relocation map (FILE.<registry>.relocation.json) that render --relocate reads.
 */
export interface BundleFormats {
  [k: string]: unknown | undefined;
}
/**
 * An artifact the bundle carries and where bundle push puts it
 *
 * This interface was referenced by `BundleFormats`'s JSON-Schema
 * via the `definition` "artifact".
 */
export interface BundleArtifact {
  name: string;
  /**
   * repository under the target prefix
   */
  repository: string;
  tag: string;
  digest: string;
  mediaType: string;
}
/**
 * The bundle manifest: what the bundle holds, every blob with digest and size
 *
 * This interface was referenced by `BundleFormats`'s JSON-Schema
 * via the `definition` "manifest".
 */
export interface BundleManifest {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "BundleManifest";
  installctl: string;
  /**
   * the spec's install name (a DNS label); with release it makes the root index tag <install>-<release>, e.g. acme-gov-2026.11.0
   */
  install: string;
  cell: string;
  /**
   * the release version (e.g. 2026.11.0): the tag of images images.txt pins by digest only, so it is an OCI tag
   */
  release: string;
  /**
   * OS/ARCH when --platform narrowed multi-arch images; null keeps every platform
   */
  platform: string | null;
  images: BundleImage[];
  charts: BundleArtifact[];
  render: BundleArtifact;
  /**
   * Pulumi provider plugins
   */
  plugins: {
    artifact: BundleArtifact;
    list: BundlePlugin[];
  };
  weights: BundleWeights[];
  weightArtifacts: BundleArtifact[];
  blobs: BundleBlob[];
}
/**
 * An image from images.txt
 */
export interface BundleImage {
  /**
   * the reference images.txt lists
   */
  source: string;
  repository: string;
  tag: string | null;
  /**
   * top-level digest in the bundle (an index, or a platform manifest with --platform)
   */
  digest: string;
  mediaType: string;
}
/**
 * A plugin and version; archive when --plugins-dir carried it
 */
export interface BundlePlugin {
  name: string;
  kind: "resource";
  version: string;
  archive: string | null;
  file: string | null;
}
/**
 * A model's weights, included or by reference
 */
export interface BundleWeights {
  model: string;
  source: string;
  included: boolean;
  manifest: string | null;
  /**
   * Items: A weight file
   */
  files: {
    path: string;
    size: number;
    digest: string;
  }[];
}
/**
 * A blob
 */
export interface BundleBlob {
  digest: string;
  size: number;
  mediaType: string;
}
/**
 * FILE.sig: a detached ed25519 signature over the root digest
 *
 * This interface was referenced by `BundleFormats`'s JSON-Schema
 * via the `definition` "signature".
 */
export interface BundleSignature {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "BundleSignature";
  algorithm: "ed25519";
  /**
   * sha256 of the signing public key (SPKI DER)
   */
  keyId: string;
  rootDigest: string;
  /**
   * base64 signature over the UTF-8 bytes of rootDigest
   */
  signature: string;
}
/**
 * FILE.<registry>.relocation.json: every item's source and where it lives in the customer's registry. render --relocate refuses a map that breaks a rule here or the ones only code can check (README: --relocate)
 *
 * This interface was referenced by `BundleFormats`'s JSON-Schema
 * via the `definition` "relocationMap".
 */
export interface RelocationMap {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "RelocationMap";
  /**
   * the registry the items were pushed to: lowercase HOST[:PORT][/PREFIX] whose host has a dot, a port, or is localhost or [IPv6]; every target lies under it
   */
  registry: string;
  /**
   * OS/ARCH[/VARIANT] when bundle create --platform narrowed multi-arch images: image entries then pin that platform's manifest, not the source index
   */
  platform?: string;
  rootDigest: string;
  /**
   * @maxItems 10000
   */
  entries: RelocationEntry[];
}
/**
 * One item
 */
export interface RelocationEntry {
  kind: "image" | "chart" | "render" | "plugins" | "weights" | "bundle";
  /**
   * what was pushed: the pinned reference images.txt lists (images), else the artifact name (printable ASCII)
   */
  source: string;
  /**
   * where it lives now: REGISTRY/REPOSITORY@sha256:DIGEST (lowercase, no tag) under the map's registry
   */
  target: string;
  digest: string;
  /**
   * the tag bundle push also set on the item in the registry (so retention rules keep it); informative: render --relocate uses the digest-pinned target
   */
  tag?: string;
}
/**
 * FILE.<registry>.receipt.json: what bundle push delivered, where, with which digests
 *
 * This interface was referenced by `BundleFormats`'s JSON-Schema
 * via the `definition` "deliveryReceipt".
 */
export interface DeliveryReceipt {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "DeliveryReceipt";
  installctl: string;
  /**
   * The bundle
   */
  bundle: {
    file: string;
    rootDigest: string;
    install: string;
    release: string;
    cell: string;
    /**
     * valid: checked with --key; skipped: --allow-unsigned, nothing proves who made the bundle
     */
    signature: "valid" | "skipped (--allow-unsigned)";
  };
  registry: string;
  /**
   * when the push finished (ISO 8601, UTC)
   */
  pushedAt: string;
  /**
   * Blob counts
   */
  blobs: {
    total: number;
    unique: number;
    present: number;
    toMount: number;
    toSend: number;
    sent: number;
    mounted: number;
    bytesSent: number;
  };
  items: ReceiptItem[];
}
/**
 * One pushed item
 */
export interface ReceiptItem {
  kind: "image" | "chart" | "render" | "plugins" | "weights" | "bundle";
  source: string;
  target: string;
  tag: string | null;
  /**
   * every tag the push set on the item (images: the source tag, else the release version)
   */
  tags: string[];
  manifests: string[];
}
