/**
 * Hostile variants of a real bundle for the adversarial suite: the entries of a bundle bundle create
 * wrote, changed at any level (tar entries, index.json, root index, bundle record, bundle manifest)
 * and re-chained so that every digest above the change matches again, then written as a tar with
 * the tiny writer (test/helpers/tar-writer.ts).
 */
import { createHash } from 'node:crypto';
import { MEDIA } from '../../cli/oci/types.js';
import { readEntries, tarBytes, type RawEntry } from './tar-writer.js';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
export const blobPath = (digest: string) => `blobs/sha256/${digest.slice(7)}`;

export class BundleCraft {
  entries: Array<{ name: string; data: Buffer }>;

  constructor(file: string) {
    this.entries = readEntries(file);
  }

  data(name: string): Buffer {
    const entry = this.entries.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`no entry ${name}`);
    return entry.data;
  }

  json(name: string): any {
    return JSON.parse(this.data(name).toString('utf8'));
  }

  get rootDigest(): string {
    return this.json('index.json').manifests[0].digest;
  }

  get root(): any {
    return this.json(blobPath(this.rootDigest));
  }

  get record(): any {
    return this.json(blobPath(this.root.manifests[0].digest));
  }

  get manifest(): any {
    return this.json(blobPath(this.record.layers[0].digest));
  }

  /** Replaces (or adds) an entry's bytes. */
  set(name: string, data: Buffer): this {
    const entry = this.entries.find((candidate) => candidate.name === name);
    if (entry) entry.data = data;
    else this.entries.push({ name, data });
    return this;
  }

  drop(name: string): this {
    this.entries = this.entries.filter((entry) => entry.name !== name);
    return this;
  }

  /** Adds a blob under its own digest; returns its descriptor. */
  addBlob(data: Buffer | string, mediaType: string): { mediaType: string; digest: string; size: number } {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    const digest = sha(bytes);
    if (!this.entries.some((entry) => entry.name === blobPath(digest))) this.set(blobPath(digest), bytes);
    return { mediaType, digest, size: bytes.length };
  }

  /** Points index.json at a new root index (the old root blob is dropped). */
  setRoot(root: unknown): this {
    const old = this.rootDigest;
    const descriptor = this.addBlob(JSON.stringify(root), MEDIA.index);
    const layout = this.json('index.json');
    layout.manifests[0] = { ...layout.manifests[0], digest: descriptor.digest, size: descriptor.size };
    this.set('index.json', Buffer.from(JSON.stringify(layout)));
    if (old !== descriptor.digest) this.drop(blobPath(old));
    return this;
  }

  /** A new bundle record, root re-chained. */
  setRecord(record: unknown): this {
    const root = this.root;
    const old = root.manifests[0].digest;
    const descriptor = this.addBlob(JSON.stringify(record), MEDIA.manifest);
    root.manifests[0] = { ...root.manifests[0], digest: descriptor.digest, size: descriptor.size };
    this.setRoot(root);
    if (old !== descriptor.digest) this.drop(blobPath(old));
    return this;
  }

  /** Changes the bundle manifest (any shape), record and root re-chained. */
  editManifest(change: (manifest: any) => unknown): this {
    const record = this.record;
    const old = record.layers[0].digest;
    const manifest = this.manifest;
    const changed = change(manifest) ?? manifest;
    const descriptor = this.addBlob(JSON.stringify(changed), MEDIA.bundleManifest);
    record.layers[0] = { ...record.layers[0], digest: descriptor.digest, size: descriptor.size };
    this.setRecord(record);
    if (old !== descriptor.digest) this.drop(blobPath(old));
    return this;
  }

  /** The entries as a tar, with extra raw entries or options for hostile layouts. */
  tar(options: { before?: RawEntry[]; after?: RawEntry[]; trailing?: Buffer; end?: boolean; rename?: (name: string) => string } = {}): Buffer {
    const rename = options.rename ?? ((name: string) => name);
    return tarBytes([...(options.before ?? []), ...this.entries.map((entry) => ({ name: rename(entry.name), data: entry.data })), ...(options.after ?? [])], {
      trailing: options.trailing,
      end: options.end,
    });
  }
}
