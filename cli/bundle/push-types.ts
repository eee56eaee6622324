/** What `bundle push` is given, tells on the way (progress events) and returns (push.ts). */
import type { ProbeResult } from '../oci/registry.js';
import type { SIGNATURE_SKIPPED } from './signature-policy.js';
import type { TagPlan } from './push-tags.js';

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
  /** Files written (null on a dry run): one receipt and map per registry (emit/push-files.ts). */
  receipt: string | null;
  relocation: string | null;
  durationMs: number;
}
