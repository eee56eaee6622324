/**
 * The end of a push: the delivery receipt (what went where, schemas/bundle.schema.json) and the
 * relocation map render --relocate reads, one of each per registry (emit/push-files.ts), written
 * only once every manifest read back; then the journal goes.
 */
import { basename } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { packageVersion } from '../lib/package-root.js';
import type { DeliveryReceipt, RelocationMap } from '../generated/bundle.js';
import type { PushFiles } from '../emit/push-files.js';
import type { BundleFile } from './reader.js';
import type { PushJournal } from './push-journal.js';
import type { PushItem } from './push-plan.js';
import { targetReference, type PushTarget } from './push-target.js';
import type { Uploaded } from './push-blobs.js';
import type { PushPlanSummary, PushResult } from './push-types.js';

export interface Delivered {
  bundleFile: string;
  bundle: BundleFile;
  target: PushTarget;
  registry: string;
  signature: PushResult['signature'];
  plan: PushPlanSummary;
  uploaded: Uploaded;
  items: PushItem[];
}

export function deliveryReceipt({ bundleFile, bundle, target, registry, signature, plan, uploaded, items }: Delivered): DeliveryReceipt {
  const { sent, mounted, bytesSent } = uploaded;
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'DeliveryReceipt',
    installctl: packageVersion(),
    bundle: {
      file: basename(bundleFile),
      rootDigest: bundle.rootDigest,
      install: bundle.manifest.install,
      release: bundle.manifest.release,
      cell: bundle.manifest.cell,
      signature,
    },
    registry,
    pushedAt: new Date().toISOString(),
    blobs: { ...plan.blobs, sent: sent.length, mounted, bytesSent },
    items: items.map((item) => ({
      kind: item.kind,
      source: item.source,
      target: targetReference(target, item.repository, item.digest),
      tag: item.manifests.find((manifest) => manifest.tag)?.tag ?? null,
      tags: item.manifests.flatMap((manifest) => (manifest.tag ? [manifest.tag] : [])),
      manifests: item.manifests.map((manifest) => manifest.digest),
    })),
  };
}

/** Writes the receipt and the relocation map, then removes the journal: the push is complete. */
export function writeDelivery(delivered: Delivered, relocation: RelocationMap, files: PushFiles, journal: PushJournal): void {
  writeFileAtomic(files.receipt, JSON.stringify(deliveryReceipt(delivered), null, 2) + '\n');
  writeFileAtomic(files.relocation, JSON.stringify(relocation, null, 2) + '\n');
  journal.remove();
}
