/**
 * The blobs of a push: which (repository, blob) pairs the registry lacks (HEAD each), the plan's
 * counts, then each missing blob sent once (resumable, journaled: blob-upload.ts) and mounted into
 * every other repository that needs it.
 */
import { forEachLimit } from '../lib/concurrency.js';
import type { RegistryClient } from '../oci/registry.js';
import type { BundleFile } from './reader.js';
import type { PushJournal } from './push-journal.js';
import type { PushItem } from './push-plan.js';
import type { TagPlan } from './push-tags.js';
import { targetRepository, type PushTarget } from './push-target.js';
import { DEFAULT_CHUNK_SIZE, uploadBlob, type BlobUploadContext } from './blob-upload.js';
import { BUNDLE_RECORD_REPOSITORY } from './manifest.js';
import type { BundlePushOptions, PushEvent, PushPlanSummary, PushResult } from './push-types.js';

export interface BlobNeed {
  digest: string;
  size: number;
  /** Target repositories that lack it. */
  missing: string[];
  /** A target repository that already has it (mount source). */
  presentIn: string | null;
}

export async function planBlobs(client: RegistryClient, target: PushTarget, items: PushItem[], concurrency: number): Promise<Map<string, BlobNeed>> {
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

export function summarize(items: PushItem[], needs: Map<string, BlobNeed>, tags: TagPlan): PushPlanSummary {
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

/** What the upload did: blobs sent (mounts excluded), mounts, and the bytes sent. */
export interface Uploaded {
  sent: PushResult['sent'];
  mounted: number;
  bytesSent: number;
}

/** Sends each missing blob once, largest first, then mounts it into the other repositories that lack it. */
export async function uploadBlobs(
  client: RegistryClient,
  bundle: BundleFile,
  journal: PushJournal,
  needs: Map<string, BlobNeed>,
  plan: PushPlanSummary,
  options: Pick<BundlePushOptions, 'chunkSize' | 'retries' | 'backoffMs'> & { concurrency: number },
  emit: (event: PushEvent) => void,
): Promise<Uploaded> {
  const { concurrency } = options;
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
  return { sent, mounted, bytesSent };
}
