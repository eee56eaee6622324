/**
 * The manifests of a push: put children first (top-level ones under their tag, push-tags.ts), the
 * root index last, then read every manifest back by digest and tag: a registry that stored other
 * bytes, or another writer during the push, is refused (PUSH_DIGEST_MISMATCH).
 */
import { UserError } from '../lib/errors.js';
import { forEachLimit } from '../lib/concurrency.js';
import type { RegistryClient } from '../oci/registry.js';
import type { BundleFile } from './reader.js';
import type { PushJournal } from './push-journal.js';
import type { PushItem } from './push-plan.js';
import { targetRepository, type PushTarget } from './push-target.js';

async function pushManifests(
  client: RegistryClient,
  bundle: BundleFile,
  target: PushTarget,
  item: PushItem,
  journal: PushJournal,
  tagged: Set<string>,
  onPut: () => void,
): Promise<number> {
  const repository = targetRepository(target, item.repository);
  let put = 0;
  for (const manifest of item.manifests) {
    const done = journal.manifestPut.bind(journal, repository, manifest.digest);
    const bytes = bundle.blob(manifest.digest);
    // A tag already naming this digest is left alone: put by digest (an immutable tag would refuse a re-put).
    const reference = manifest.tag && !tagged.has(`${repository}:${manifest.tag}`) ? manifest.tag : manifest.digest;
    const digest = await client.putManifest(repository, reference, bytes, manifest.mediaType);
    if (digest !== manifest.digest)
      throw new UserError(`${repository}: the registry stored manifest ${manifest.digest} as ${digest}`, {
        code: 'PUSH_DIGEST_MISMATCH',
        hint: 'the registry rewrites manifests; push to a registry that keeps them byte for byte',
      });
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
      throw new UserError(`read back ${repository}:${reference} as ${stored.digest}, pushed ${expected}`, {
        code: 'PUSH_DIGEST_MISMATCH',
        hint: 'something else wrote to this repository during the push; rerun the push',
      });
    }
  }
  return references.length;
}

/** Puts every item's manifests, the root item (the last) once all others are in; returns how many were put. */
export async function putManifests(
  client: RegistryClient,
  bundle: BundleFile,
  target: PushTarget,
  items: PushItem[],
  journal: PushJournal,
  tagged: Set<string>,
  concurrency: number,
  onPut: (done: number) => void,
): Promise<number> {
  let put = 0;
  const counted = () => onPut(++put);
  const last = items[items.length - 1]!;
  await forEachLimit(items.slice(0, -1), concurrency, async (item) => void (await pushManifests(client, bundle, target, item, journal, tagged, counted)));
  await pushManifests(client, bundle, target, last, journal, tagged, counted);
  return put;
}

/** Reads every manifest back by digest and tag; returns how many references were checked. */
export async function readBack(client: RegistryClient, target: PushTarget, items: PushItem[], concurrency: number): Promise<number> {
  let verified = 0;
  await forEachLimit(items, concurrency, async (item) => {
    const count = await verifyItem(client, target, item);
    verified += count;
  });
  return verified;
}
