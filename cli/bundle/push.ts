/**
 * `installctl bundle push`: refuse offline what can be refused (key, bundle, signature, structure,
 * the plan and its relocation map), probe the registry, HEAD every blob and tag to print the plan (a
 * dry run stops there), send each missing blob once and mount it into every other repository that
 * needs it (push-blobs.ts), put manifests children first with the root index last and read every one
 * back (push-manifests.ts), and write the delivery receipt and the relocation map (push-receipt.ts).
 */
import type { KeyObject } from 'node:crypto';
import { RegistryClient } from '../oci/registry.js';
import { resolveCredentials } from '../oci/docker-config.js';
import type { RelocationMap } from '../generated/bundle.js';
import { pushFiles, type PushFiles } from '../emit/push-files.js';
import { BundleFile } from './reader.js';
import { loadKey, readSignature, signatureProblem } from './keys.js';
import { requireKey, SIGNATURE_SKIPPED } from './signature-policy.js';
import { assertStructure } from './structure.js';
import { bundleError } from './errors.js';
import { pushPlan, type PushItem } from './push-plan.js';
import { PushJournal } from './push-journal.js';
import { parseTarget, registryFailure, targetOrigin, type PushTarget } from './push-target.js';
import { relocationMap } from './relocation.js';
import { planTags } from './push-tags.js';
import { planBlobs, summarize, uploadBlobs } from './push-blobs.js';
import { putManifests, readBack } from './push-manifests.js';
import { writeDelivery } from './push-receipt.js';
import type { BundlePushOptions, PushEvent, PushResult } from './push-types.js';

export type { BundlePushOptions, PushEvent, PushPlanSummary, PushResult } from './push-types.js';

/** A push that passed every offline check: nothing has been sent yet. */
interface OpenedPush {
  target: PushTarget;
  /** HOST[:PORT][/PREFIX], as receipts and maps name it. */
  registry: string;
  bundle: BundleFile;
  items: PushItem[];
  relocation: RelocationMap;
  files: PushFiles;
  journal: PushJournal;
  signature: PushResult['signature'];
}

function checkSignature(bundle: BundleFile, key: KeyObject, keyFile: string): void {
  const signatureFile = `${bundle.file}.sig`;
  const read = readSignature(signatureFile);
  if (!read.signature)
    throw bundleError('BUNDLE_SIGNATURE_INVALID', `no readable signature next to the bundle: ${read.problem}`, {
      hint: 'copy the .sig file written by bundle create next to the bundle',
    });
  const problem = signatureProblem(read.signature, bundle.rootDigest, key, keyFile);
  if (problem)
    throw bundleError('BUNDLE_SIGNATURE_INVALID', `refusing to push ${bundle.file}: ${problem}`, {
      hint: 'check --key is the public key of whoever built the bundle; re-transfer the bundle and its .sig',
    });
}

/**
 * Everything that can be refused offline is refused before the first request: the key, the
 * bundle's tar and documents, the signature, every referenced blob and the plan itself.
 */
function openPush(options: BundlePushOptions): OpenedPush {
  const target = parseTarget(options.registry);
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
  const signature = options.key ? 'valid' : SIGNATURE_SKIPPED;
  return { target, registry, bundle, items, relocation, files, journal, signature };
}

function registryClient(
  host: string,
  options: BundlePushOptions,
  credentials: Awaited<ReturnType<typeof resolveCredentials>>,
  concurrency: number,
  emit: (event: PushEvent) => void,
): RegistryClient {
  return new RegistryClient(host, {
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
}

export async function pushBundle(options: BundlePushOptions): Promise<PushResult> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => {});
  const opened = openPush(options);
  const { target, registry, bundle, items, journal, signature } = opened;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const credentials = await resolveCredentials(target.host, options);
  emit({ type: 'credentials', source: credentials.source });
  const client = registryClient(target.host, options, credentials, concurrency, emit);
  let stage: 'probe' | 'push' = 'probe';
  try {
    const probe = await client.probe();
    emit({ type: 'probe', probe });
    stage = 'push';
    const needs = await planBlobs(client, target, items, concurrency);
    const tags = await planTags(client, target, items, concurrency * 2, options.keepExistingTags ?? false);
    const plan = summarize(items, needs, tags.plan);
    emit({ type: 'plan', plan, resumed: journal.resumed });
    if (options.dryRun) {
      // Only GET /v2/ and HEADs have reached the registry; the journal was read, never written.
      return {
        dryRun: true,
        registry,
        rootDigest: bundle.rootDigest,
        signature,
        credentials: credentials.source,
        probe,
        plan,
        sent: [],
        mounted: 0,
        bytesSent: 0,
        manifests: { put: 0, verified: 0 },
        receipt: null,
        relocation: null,
        durationMs: Date.now() - started,
      };
    }
    const uploaded = await uploadBlobs(client, bundle, journal, needs, plan, { ...options, concurrency }, emit);
    const put = await putManifests(client, bundle, target, items, journal, tags.unchanged, concurrency, (done) => emit({ type: 'manifests', done, total: plan.manifests }));
    const verified = await readBack(client, target, items, concurrency);
    writeDelivery({ bundleFile: options.file, bundle, target, registry, signature, plan, uploaded, items }, opened.relocation, opened.files, journal);
    const { sent, mounted, bytesSent } = uploaded;
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
      receipt: opened.files.receipt,
      relocation: opened.files.relocation,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    throw registryFailure(error, { host: target.host, stage, journal: stage === 'push' ? journal.file : undefined, credentials: credentials.source });
  } finally {
    client.close();
  }
}
