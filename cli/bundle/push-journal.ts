/**
 * The push journal (<bundle>.push-journal.json): which blobs are committed where, the upload
 * session and acknowledged offset of every blob in flight, and the manifests already put. A push
 * killed at any point and rerun with the same arguments reads it to resume sessions instead of
 * starting them over. Every update is written atomically, so the file is never half-written.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../lib/atomic-write.js';

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

export class PushJournal {
  private data: JournalData;
  /** True when an earlier run of the same push left this journal. */
  readonly resumed: boolean;

  constructor(
    readonly file: string,
    rootDigest: string,
    registry: string,
  ) {
    const fresh: JournalData = { apiVersion: 'installctl.dev/v1alpha1', kind: 'PushJournal', rootDigest, registry, committed: {}, uploads: {}, manifests: [] };
    let loaded: JournalData | null = null;
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as JournalData;
        // A journal of another bundle or target says nothing about this push.
        if (parsed.kind === 'PushJournal' && parsed.rootDigest === rootDigest && parsed.registry === registry) loaded = parsed;
      } catch {
        loaded = null;
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
