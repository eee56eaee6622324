/**
 * `installctl bundle push`: probe the registry, HEAD every blob and tag to print the plan (a dry run
 * stops there), send each missing blob once (resumable, journaled) and mount it into every other
 * repository that needs it, then put manifests children first (top-level ones under their tag,
 * push-tags.ts) with the root index last, read every manifest back, and write the delivery receipt
 * and the relocation map, one of each per registry (push-files.ts).
 */
import { basename } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { UserError, withUserErrors } from '../lib/errors.js';
import { forEachLimit } from '../lib/concurrency.js';
import { packageVersion } from '../lib/package-root.js';
import { RegistryClient, type ProbeResult } from '../oci/registry.js';
import { resolveCredentials } from '../oci/docker-config.js';
import { BundleFile } from '../bundle/reader.js';
import { loadKey, readSignature, signatureProblem } from '../bundle/keys.js';
import { requireKey, SIGNATURE_SKIPPED } from '../bundle/signature-policy.js';
import { assertStructure } from '../bundle/structure.js';
import { bundleError } from '../bundle/errors.js';
import { pushPlan, type PushItem } from '../bundle/push-plan.js';
import { PushJournal } from '../bundle/push-journal.js';
import { DEFAULT_CHUNK_SIZE, uploadBlob, type BlobUploadContext } from '../bundle/blob-upload.js';
import { parseTarget, registryFailure, targetOrigin, targetReference, targetRepository, type PushTarget } from '../bundle/push-target.js';
import { relocationMap } from '../bundle/relocation.js';
import { pushFiles } from '../bundle/push-files.js';
import { planTags, type TagPlan } from '../bundle/push-tags.js';
import type { DeliveryReceipt } from '../generated/bundle.js';
import { BUNDLE_RECORD_REPOSITORY } from '../bundle/manifest.js';

export interface BundlePushOptions {
  file: string;
  registry: string;
  caFile?: string;
  /** With username: where the password came from. Without: the Docker config is read (oci/docker-config.ts). */
  username?: string;
  password?: string;
  passwordSource?: 'stdin' | 'env';
  /** Where DOCKER_CONFIG and HOME are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Lines for stderr (an unusable Docker config). */
  onWarning?: (line: string) => void;
  plainHttp?: boolean;
  /** Public key: the bundle's signature is checked before anything is sent. */
  key?: string | null;
  /** Push without checking the signature (no key); recorded as SIGNATURE_SKIPPED. */
  allowUnsigned?: boolean;
  concurrency?: number;
  chunkSize?: number;
  retries?: number;
  backoffMs?: number;
  /** Probe, HEAD every blob and tag, report the plan and stop: nothing sent, put or written. */
  dryRun?: boolean;
  /** Refuse (PUSH_TAG_CONFLICT) instead of moving a tag that names another digest. */
  keepExistingTags?: boolean;
  onEvent?: (event: PushEvent) => void;
}

export interface PushPlanSummary {
  items: number;
  /** (repository, blob) pairs the bundle needs in the registry. */
  blobs: { total: number; unique: number; present: number; toMount: number; toSend: number };
  bytes: { total: number; present: number; toSend: number };
  manifests: number;
  tags: TagPlan;
}

export type PushEvent =
  | { type: 'credentials'; source: string }
  | { type: 'probe'; probe: ProbeResult }
  | { type: 'plan'; plan: PushPlanSummary; resumed: boolean }
  | { type: 'bytes'; sent: number; total: number }
  | { type: 'blob'; digest: string; repository: string; action: 'sent' | 'mounted'; bytes: number }
  | { type: 'resume'; digest: string; repository: string; offset: number }
  | { type: 'chunk'; digest: string; repository: string; offset: number; size: number }
  | { type: 'retry'; attempt: number; reason: string; delayMs: number }
  | { type: 'manifests'; done: number; total: number };

export interface PushResult {
  /** True for --dry-run: the plan only; nothing was sent and no file written. */
  dryRun: boolean;
  registry: string;
  rootDigest: string;
  signature: 'valid' | typeof SIGNATURE_SKIPPED;
  /** Where the registry credentials came from: stdin, env, docker-config:PATH, credential-helper:NAME or none. */
  credentials: string;
  probe: ProbeResult;
  plan: PushPlanSummary;
  /** Blobs uploaded by this run (mounts excluded). */
  sent: Array<{ digest: string; repository: string; size: number; bytesSent: number; resumedFrom: number | null }>;
  mounted: number;
  bytesSent: number;
  manifests: { put: number; verified: number };
  /** Files written (null on a dry run): one receipt and map per registry (push-files.ts). */
  receipt: string | null;
  relocation: string | null;
  durationMs: number;
}

interface BlobNeed {
  digest: string;
  size: number;
  /** Target repositories that lack it. */
  missing: string[];
  /** A target repository that already has it (mount source). */
  presentIn: string | null;
}

function checkSignature(bundle: BundleFile, key: KeyObject, keyFile: string): void {
  const signatureFile = `${bundle.file}.sig`;
  const read = readSignature(signatureFile);
  if (!read.signature) throw bundleError('BUNDLE_SIGNATURE_INVALID', `no readable signature next to the bundle: ${read.problem}`, { hint: 'copy the .sig file written by bundle create next to the bundle' });
  const problem = signatureProblem(read.signature, bundle.rootDigest, key, keyFile);
  if (problem) throw bundleError('BUNDLE_SIGNATURE_INVALID', `refusing to push ${bundle.file}: ${problem}`, { hint: 'check --key is the public key of whoever built the bundle; re-transfer the bundle and its .sig' });
}

async function planBlobs(client: RegistryClient, target: PushTarget, items: PushItem[], concurrency: number): Promise<Map<string, BlobNeed>> {
  const needs = new Map<string, BlobNeed>();
  const pairs: Array<{ repository: string; digest: string }> = [];
  for (const item of items) {
    const repository = targetRepository(target, item.repository);
    for (const blob of item.blobs) {
      const need = needs.get(blob.digest) ?? { digest: blob.digest, size: blob.size, missing: [], presentIn: null };
      needs.set(blob.digest, need);
      if (!pairs.some((pair) => pair.repository === repository && pair.digest === blob.digest)) pairs.push({ repository, digest: blob.digest });
    }
  }
  await forEachLimit(pairs, concurrency * 2, async ({ repository, digest }) => {
    const need = needs.get(digest)!;
    if (await client.hasBlob(repository, digest)) need.presentIn ??= repository;
    else need.missing.push(repository);
  });
  // Sorted so the order of uploads and mounts does not depend on which HEAD answered first; the
  // bundle repository last, so blobs land in their own repository first and are mounted into it.
  const rank = (repository: string) => `${repository === targetRepository(target, BUNDLE_RECORD_REPOSITORY) ? 1 : 0}${repository}`;
  for (const need of needs.values()) need.missing.sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
  return needs;
}

function summarize(items: PushItem[], needs: Map<string, BlobNeed>, tags: TagPlan): PushPlanSummary {
  const all = [...needs.values()];
  const pairs = all.reduce((sum, need) => sum + need.missing.length, 0);
  const present = items.reduce((sum, item) => sum + item.blobs.length, 0) - pairs;
  const toSend = all.filter((need) => need.missing.length && !need.presentIn);
  return {
    items: items.length,
    blobs: { total: present + pairs, unique: all.length, present, toMount: pairs - toSend.length, toSend: toSend.length },
    bytes: {
      total: all.reduce((sum, need) => sum + need.size, 0),
      present: all.filter((need) => need.presentIn).reduce((sum, need) => sum + need.size, 0),
      toSend: toSend.reduce((sum, need) => sum + need.size, 0),
    },
    manifests: items.reduce((sum, item) => sum + item.manifests.length, 0),
    tags,
  };
}

async function pushManifests(client: RegistryClient, bundle: BundleFile, target: PushTarget, item: PushItem, journal: PushJournal, tagged: Set<string>, onPut: () => void): Promise<number> {
  const repository = targetRepository(target, item.repository);
  let put = 0;
  for (const manifest of item.manifests) {
    const done = journal.manifestPut.bind(journal, repository, manifest.digest);
    const bytes = bundle.blob(manifest.digest);
    // A tag already naming this digest is left alone: put by digest (an immutable tag would refuse a re-put).
    const reference = manifest.tag && !tagged.has(`${repository}:${manifest.tag}`) ? manifest.tag : manifest.digest;
    const digest = await client.putManifest(repository, reference, bytes, manifest.mediaType);
    if (digest !== manifest.digest) throw new UserError(`${repository}: the registry stored manifest ${manifest.digest} as ${digest}`, { code: 'PUSH_DIGEST_MISMATCH', hint: 'the registry rewrites manifests; push to a registry that keeps them byte for byte' });
    done();
    put++;
    onPut();
  }
  return put;
}

async function verifyItem(client: RegistryClient, target: PushTarget, item: PushItem): Promise<number> {
  const repository = targetRepository(target, item.repository);
  const references = [...item.manifests.map((manifest) => manifest.digest), ...item.manifests.filter((manifest) => manifest.tag).map((manifest) => manifest.tag!)];
  for (const reference of references) {
    const stored = await client.getManifest(repository, reference);
    const expected = reference.startsWith('sha256:') ? reference : item.digest;
    if (stored.digest !== expected) {
      throw new UserError(`read back ${repository}:${reference} as ${stored.digest}, pushed ${expected}`, { code: 'PUSH_DIGEST_MISMATCH', hint: 'something else wrote to this repository during the push; rerun the push' });
    }
  }
  return references.length;
}

/** The service boundary: an OciError of the layers below leaves as the UserError the catalogue makes of it. */
export function pushBundle(options: BundlePushOptions): Promise<PushResult> {
  return withUserErrors(() => push(options));
}

async function push(options: BundlePushOptions): Promise<PushResult> {
  const started = Date.now();
  const target = parseTarget(options.registry);
  const emit = options.onEvent ?? (() => {});
  // Everything that can be refused offline is refused before the first request: the key, the
  // bundle's tar and documents, the signature, every referenced blob and the plan itself.
  requireKey('push', options.key, options.allowUnsigned);
  const key = options.key ? loadKey(options.key, 'public') : null;
  const bundle = new BundleFile(options.file);
  if (key) checkSignature(bundle, key, options.key!);
  assertStructure(bundle);
  const items = pushPlan(bundle);
  const registry = target.prefix ? `${target.host}/${target.prefix}` : target.host;
  // The map is made (and checked) before anything is sent: a push render --relocate could not use is refused up front.
  const relocation = relocationMap(target, bundle.rootDigest, items, bundle.manifest.platform ?? null);
  const files = pushFiles(options.file, target);
  const journal = new PushJournal(files.journal, bundle.rootDigest, registry, targetOrigin(target, options.plainHttp ?? false));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const credentials = await resolveCredentials(target.host, options);
  emit({ type: 'credentials', source: credentials.source });
  const client = new RegistryClient(target.host, {
    plainHttp: options.plainHttp ?? false,
    caFile: options.caFile,
    username: credentials.username,
    password: credentials.password,
    identityToken: credentials.identityToken,
    maxSockets: concurrency * 2,
    retries: options.retries,
    backoffMs: options.backoffMs,
    onRetry: (event) => emit({ type: 'retry', ...event }),
  });
  let stage: 'probe' | 'push' = 'probe';
  try {
    const probe = await client.probe();
    emit({ type: 'probe', probe });
    stage = 'push';
    const needs = await planBlobs(client, target, items, concurrency);
    const tags = await planTags(client, target, items, concurrency * 2, options.keepExistingTags ?? false);
    const plan = summarize(items, needs, tags.plan);
    emit({ type: 'plan', plan, resumed: journal.resumed });
    const signature = options.key ? 'valid' : SIGNATURE_SKIPPED;
    if (options.dryRun) {
      // Only GET /v2/ and HEADs have reached the registry; the journal was read, never written.
      return { dryRun: true, registry, rootDigest: bundle.rootDigest, signature, credentials: credentials.source, probe, plan, sent: [], mounted: 0, bytesSent: 0, manifests: { put: 0, verified: 0 }, receipt: null, relocation: null, durationMs: Date.now() - started };
    }

    let bytesSent = 0;
    let mounted = 0;
    const sent: PushResult['sent'] = [];
    const context: BlobUploadContext = {
      client,
      bundle,
      journal,
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      retries: options.retries ?? 8,
      backoffMs: options.backoffMs ?? 250,
      onBytes: (delta) => emit({ type: 'bytes', sent: (bytesSent += delta), total: plan.bytes.toSend }),
      onResume: (event) => emit({ type: 'resume', ...event }),
      onChunk: (event) => emit({ type: 'chunk', ...event }),
      onRetry: (event) => emit({ type: 'retry', ...event }),
    };
    const work = [...needs.values()].filter((need) => need.missing.length).sort((a, b) => b.size - a.size || (a.digest < b.digest ? -1 : 1));
    await forEachLimit(work, concurrency, async (need) => {
      let source = need.presentIn;
      for (const repository of need.missing) {
        if (source) {
          const mount = await client.mount(repository, need.digest, source);
          if (mount.mounted) {
            mounted++;
            journal.commit(repository, need.digest);
            emit({ type: 'blob', digest: need.digest, repository, action: 'mounted', bytes: 0 });
            continue;
          }
        }
        const upload = await uploadBlob(context, repository, need.digest, need.size);
        sent.push({ digest: need.digest, repository, size: need.size, ...upload });
        emit({ type: 'blob', digest: need.digest, repository, action: 'sent', bytes: upload.bytesSent });
        source = repository;
      }
    });

    let put = 0;
    const onPut = () => emit({ type: 'manifests', done: ++put, total: plan.manifests });
    const last = items[items.length - 1]!;
    await forEachLimit(items.slice(0, -1), concurrency, async (item) => void (await pushManifests(client, bundle, target, item, journal, tags.unchanged, onPut)));
    await pushManifests(client, bundle, target, last, journal, tags.unchanged, onPut);
    let verified = 0;
    await forEachLimit(items, concurrency, async (item) => {
      const count = await verifyItem(client, target, item);
      verified += count;
    });

    const { receipt: receiptFile, relocation: relocationFile } = files;
    const receipt: DeliveryReceipt = {
      apiVersion: 'installctl.dev/v1alpha1',
      kind: 'DeliveryReceipt',
      installctl: packageVersion(),
      bundle: { file: basename(options.file), rootDigest: bundle.rootDigest, install: bundle.manifest.install, release: bundle.manifest.release, cell: bundle.manifest.cell, signature },
      registry,
      pushedAt: new Date().toISOString(),
      blobs: { ...plan.blobs, sent: sent.length, mounted, bytesSent },
      items: items.map((item) => ({ kind: item.kind, source: item.source, target: targetReference(target, item.repository, item.digest), tag: item.manifests.find((manifest) => manifest.tag)?.tag ?? null, tags: item.manifests.flatMap((manifest) => (manifest.tag ? [manifest.tag] : [])), manifests: item.manifests.map((manifest) => manifest.digest) })),
    };
    writeFileAtomic(receiptFile, JSON.stringify(receipt, null, 2) + '\n');
    writeFileAtomic(relocationFile, JSON.stringify(relocation, null, 2) + '\n');
    journal.remove();
    return {
      dryRun: false,
      registry,
      rootDigest: bundle.rootDigest,
      signature,
      credentials: credentials.source,
      probe,
      plan,
      sent: sent.sort((a, b) => (a.digest < b.digest ? -1 : 1)),
      mounted,
      bytesSent,
      manifests: { put, verified },
      receipt: receiptFile,
      relocation: relocationFile,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    throw registryFailure(error, { host: target.host, stage, journal: stage === 'push' ? journal.file : undefined, credentials: credentials.source });
  } finally {
    client.close();
  }
}
