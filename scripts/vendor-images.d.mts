export interface VendorImage {
  key: string;
  chart: string;
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}
export interface BuiltImage {
  ref: string;
  repository: string;
  digest: string;
}
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  [key: string]: unknown;
}
export declare const MEDIA: { index: string; manifest: string; config: string; layer: string };
export declare const PLATFORMS: Array<{ architecture: string; os: string }>;
export declare function tarball(files: Array<[string, string | Buffer]>): Promise<Buffer>;
export declare function chartImages(): VendorImage[];
/** The images of a catalogued release (releases/VERSION.yaml). */
export declare function releaseImages(version: string): VendorImage[];
export declare class LayoutWriter {
  constructor(dir: string);
  blob(bytes: Buffer, mediaType: string, extra?: Record<string, unknown>): Descriptor;
  json(value: unknown, mediaType: string, extra?: Record<string, unknown>): Descriptor;
  tag(descriptor: Descriptor, ref: string): void;
  finish(): void;
}
export declare function buildImage(layout: LayoutWriter, image: { registry: string; repository: string; tag: string }): Promise<Descriptor>;
export declare function buildVendorImages(dir: string, images?: VendorImage[]): Promise<BuiltImage[]>;
