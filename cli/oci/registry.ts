/**
 * An OCI distribution-spec client for pushing: probe, blob existence (HEAD), cross-repository
 * mounts, monolithic and chunked uploads that resume from the registry's own offset (GET on the
 * upload URL), manifests, and reading manifests back.
 */
import type { Readable } from 'node:stream';
import { HttpError, RegistryHttp, TransientError, type HttpOptions, type HttpResponse } from './http.js';
import { locationRefused, printable } from './origin.js';
import { sha256 } from './types.js';

export interface ProbeResult {
  apiVersion: string | null;
  auth: 'none' | 'basic' | 'bearer';
  tls: boolean;
}

export class RegistryClient {
  readonly http: RegistryHttp;

  constructor(
    readonly host: string,
    readonly options: HttpOptions,
  ) {
    this.http = new RegistryHttp(host, options);
  }

  close(): void {
    this.http.close();
  }

  /** GET /v2/: reachable, TLS as configured, credentials accepted, a distribution API. */
  async probe(): Promise<ProbeResult> {
    const response = await this.http.request({ method: 'GET', url: '/v2/', ok: [200], retries: 2 });
    return {
      apiVersion: (response.headers['docker-distribution-api-version'] as string | undefined) ?? null,
      auth: this.http.authScheme,
      tls: !this.options.plainHttp,
    };
  }

  private scope(repository: string, actions = 'pull,push'): string {
    return `repository:${repository}:${actions}`;
  }

  /**
   * The upload URL a response names, absolute and checked (origin.ts); `fallback` when it names
   * none. Another origin is allowed (storage behind the registry) but gets no credentials.
   */
  private location(response: HttpResponse, fallback?: string): string {
    const header = response.headers.location;
    if (!header) {
      if (fallback !== undefined) return fallback;
      throw locationRefused(`the registry answered ${response.status} to ${response.url.pathname} without the Location of the upload`);
    }
    return this.http.follow(response.url, header).toString();
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    try {
      const response = await this.http.request({ method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, ok: [200, 404], scope: this.scope(repository, 'pull') });
      return response.status === 200;
    } catch (error) {
      // A registry killed while committing a blob can keep a damaged record of it and answer 500 for
      // that blob ever after ("invalid checksum digest format"). Sending the blob again rewrites the
      // record; refusing to go on would leave the push stuck for good.
      if (error instanceof TransientError && /^HTTP 5\d\d/.test(error.reason)) return false;
      throw error;
    }
  }

  /** Cross-repository mount: true when mounted; else the upload session the registry opened instead. */
  async mount(repository: string, digest: string, from: string): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const response = await this.http.request({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
      headers: { 'content-length': '0' },
      ok: [201, 202],
      scope: `${this.scope(repository)} ${this.scope(from, 'pull')}`,
    });
    return response.status === 201 ? { mounted: true } : { mounted: false, location: this.location(response) };
  }

  async startUpload(repository: string): Promise<string> {
    const response = await this.http.request({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/`,
      headers: { 'content-length': '0' },
      ok: [202],
      scope: this.scope(repository),
    });
    return this.location(response);
  }

  /**
   * Bytes the registry holds for an upload session, and the session's current location; null when
   * the session is gone or no longer matches what the registry stored (404/400/416: start over).
   * A Range of "0-0" is read as nothing stored: the registry reports 0 and 1 byte alike. A Range
   * that is not "0-N" with N inside the blob is a session installctl cannot trust: start over too.
   */
  async uploadStatus(repository: string, location: string, size: number): Promise<{ offset: number; location: string } | null> {
    const response = await this.http.request({ method: 'GET', url: location, ok: [204, 400, 404, 416], scope: this.scope(repository) });
    if (response.status !== 204) return null;
    const header = response.headers.range;
    const range = header === undefined ? ['', '0'] : /^(?:bytes=)?0-(\d{1,15})$/.exec(header.trim());
    if (!range) return null;
    const end = Number(range[1]);
    const offset = end === 0 ? 0 : end + 1;
    if (offset > size) return null;
    return { offset, location: this.location(response, location) };
  }

  /** Appends bytes [start, start+length) to an upload; returns the next location. */
  async patch(repository: string, location: string, start: number, length: number, body: () => Readable): Promise<string> {
    const response = await this.http.request({
      method: 'PATCH',
      url: location,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(length), 'content-range': `${start}-${start + length - 1}` },
      body,
      ok: [202],
      scope: this.scope(repository),
      noRetry: true,
    });
    return this.location(response, location);
  }

  /** Commits an upload (with the remaining bytes as body for a monolithic upload). */
  async commit(repository: string, location: string, digest: string, body?: { length: number; stream: () => Readable }): Promise<void> {
    const url = new URL(location, this.http.origin);
    url.searchParams.set('digest', digest);
    await this.http.request({
      method: 'PUT',
      url: url.toString(),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(body?.length ?? 0) },
      body: body?.stream,
      ok: [201, 204],
      scope: this.scope(repository),
    });
  }

  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const response = await this.http.request({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      body: () => bytes,
      ok: [201],
      scope: this.scope(repository),
    });
    const header = response.headers['docker-content-digest'];
    if (header === undefined) return sha256(bytes);
    const stored = String(header);
    // Echoed in PUSH_DIGEST_MISMATCH when it differs: only a digest-shaped value is shown as is.
    return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{1,128}$/.test(stored) ? stored : `an invalid Docker-Content-Digest ${JSON.stringify(printable(stored, 80))}`;
  }

  async hasManifest(repository: string, digest: string): Promise<boolean> {
    const response = await this.http.request({
      method: 'HEAD',
      url: `/v2/${repository}/manifests/${digest}`,
      headers: { accept: ACCEPT },
      ok: [200, 404],
      scope: this.scope(repository, 'pull'),
    });
    return response.status === 200;
  }

  /** A manifest's bytes, read back to check what the registry stores. */
  async getManifest(repository: string, reference: string): Promise<{ bytes: Buffer; mediaType: string; digest: string }> {
    const response = await this.http.request({
      method: 'GET',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: ACCEPT },
      ok: [200],
      scope: this.scope(repository, 'pull'),
    });
    return { bytes: response.body, mediaType: String(response.headers['content-type'] ?? ''), digest: sha256(response.body) };
  }

  /** A blob as a stream (for pulling images from a registry source). */
  async getBlob(repository: string, digest: string): Promise<Readable> {
    const response = await this.http.request({ method: 'GET', url: `/v2/${repository}/blobs/${digest}`, ok: [200], scope: this.scope(repository, 'pull'), stream: true });
    return response.stream!;
  }
}

export const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export { HttpError };
