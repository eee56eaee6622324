/**
 * The push journal (<bundle>.push-journal.json): which blobs are committed where, the upload
 * session and acknowledged offset of every blob in flight, and the manifests already put. A push
 * killed at any point and rerun with the same arguments reads it to resume sessions instead of
 * starting them over. Every update is written atomically, so the file is never half-written.
 * The file sits next to the bundle and anyone may have edited it: it is read capped and checked
 * in shape (a bad one is ignored: the push starts over), and an upload URL on another origin than
 * the registry's is dropped, so an edited journal cannot send the credentials elsewhere.
 */
import { rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { readFileCapped, SIZE_CAPS } from '../lib/read-capped.js';

export interface UploadSession {
  repository: string;
  location: string;
  /** Bytes the registry acknowledged (the next PATCH starts here). */
  offset: number;
}

export interface JournalData {
  apiVersion: 'installctl.dev/v1alpha1';
  kind: 'PushJournal';
  rootDigest: string;
  registry: string;
  /** repository -> digests committed there by this push. */
  committed: Record<string, string[]>;
  uploads: Record<string, UploadSession>;
  /** repository@digest of manifests put. */
  manifests: string[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown, max = 1024): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

/** The journal's data when it has the expected shape for this push, else null (ignored). */
function parseJournal(bytes: Buffer, rootDigest: string, registry: string): JournalData | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(parsed) || parsed.apiVersion !== 'installctl.dev/v1alpha1' || parsed.kind !== 'PushJournal') return null;
  // A journal of another bundle or target says nothing about this push.
  if (parsed.rootDigest !== rootDigest || parsed.registry !== registry) return null;
  const { committed, uploads, manifests } = parsed;
  if (!isRecord(committed) || !isRecord(uploads) || !Array.isArray(manifests)) return null;
  const data: JournalData = { apiVersion: 'installctl.dev/v1alpha1', kind: 'PushJournal', rootDigest, registry, committed: {}, uploads: {}, manifests: [] };
  for (const [repository, digests] of Object.entries(committed)) {
    if (!isText(repository, 255) || !Array.isArray(digests) || !digests.every((digest) => typeof digest === 'string' && DIGEST.test(digest))) return null;
    data.committed[repository] = [...digests];
  }
  for (const [digest, session] of Object.entries(uploads)) {
    if (!DIGEST.test(digest) || !isRecord(session) || !isText(session.repository, 255) || !isText(session.location, 8192)) return null;
    if (typeof session.offset !== 'number' || !Number.isSafeInteger(session.offset) || session.offset < 0) return null;
    data.uploads[digest] = { repository: session.repository, location: session.location, offset: session.offset };
  }
  if (!manifests.every((entry) => isText(entry, 512))) return null;
  data.manifests = [...manifests];
  return data;
}

/** An upload URL from the journal, absolute, when it is on the registry's own origin; else null. */
function ownLocation(location: string, origin: string): string | null {
  try {
    const url = new URL(location, origin);
    return url.origin === origin && !url.username && !url.password ? url.toString() : null;
  } catch {
    return null;
  }
}

export class PushJournal {
  private data: JournalData;
  /** True when an earlier run of the same push left this journal. */
  readonly resumed: boolean;
  /** Upload sessions of the journal dropped because their URL is not on the registry's origin. */
  readonly discarded: string[] = [];

  /** `origin` is the registry's scheme://host:port: the only place a journaled upload URL may point. */
  constructor(
    readonly file: string,
    rootDigest: string,
    registry: string,
    origin: string,
  ) {
    const fresh: JournalData = { apiVersion: 'installctl.dev/v1alpha1', kind: 'PushJournal', rootDigest, registry, committed: {}, uploads: {}, manifests: [] };
    let loaded: JournalData | null = null;
    try {
      // Only a regular file: opening a FIFO put there would block the push.
      if (statSync(file).isFile()) loaded = parseJournal(readFileCapped(file, { what: 'push journal', maxBytes: SIZE_CAPS.pushJournal }), rootDigest, registry);
    } catch {
      // Missing, unreadable or over the cap: nothing to resume (the push starts over and rewrites it).
      loaded = null;
    }
    if (loaded) {
      for (const [digest, session] of Object.entries(loaded.uploads)) {
        const location = ownLocation(session.location, origin);
        if (location) session.location = location;
        else {
          delete loaded.uploads[digest];
          this.discarded.push(digest);
        }
      }
    }
    this.data = loaded ?? fresh;
    this.resumed = loaded !== null;
  }

  committedIn(repository: string): Set<string> {
    return new Set(this.data.committed[repository] ?? []);
  }

  /** Every digest this journal knows as committed somewhere. */
  allCommitted(): Set<string> {
    return new Set(Object.values(this.data.committed).flat());
  }

  session(digest: string): UploadSession | null {
    return this.data.uploads[digest] ?? null;
  }

  setSession(digest: string, session: UploadSession): void {
    this.data.uploads[digest] = session;
    this.save();
  }

  dropSession(digest: string): void {
    if (!(digest in this.data.uploads)) return;
    delete this.data.uploads[digest];
    this.save();
  }

  commit(repository: string, digest: string): void {
    delete this.data.uploads[digest];
    const list = (this.data.committed[repository] ??= []);
    if (!list.includes(digest)) list.push(digest);
    this.save();
  }

  manifestPut(repository: string, digest: string): void {
    const key = `${repository}@${digest}`;
    if (this.data.manifests.includes(key)) return;
    this.data.manifests.push(key);
    this.save();
  }

  /** The push finished and its receipt is written: nothing left to resume. */
  remove(): void {
    rmSync(this.file, { force: true });
  }

  private save(): void {
    writeFileAtomic(this.file, JSON.stringify(this.data, null, 2) + '\n');
  }
}
