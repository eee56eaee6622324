/**
 * Helm results shared by the cells of one conformance run whose Helm inputs are byte-identical
 * (the model-server values do not depend on the SCM, so four cells render the very same release).
 * The key is everything Helm reads: the binary, the command, every file of the chart and the
 * values bytes; Helm is deterministic for identical inputs, so a hit is the result the run would
 * have computed. The cache lives in the run's work directory and dies with it; workers share it
 * through files (written atomically; two workers computing one key write the same bytes). The same
 * store, in --cache-dir, keeps results across runs (result-cache.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFileCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { join } from 'node:path';
import { compareText } from '../lib/compare.js';

const treeHashes = new Map<string, string>();
let sequence = 0;

/** SHA-256 over a directory's relative paths and contents (memoized: charts do not change during a run). */
export function treeHash(dir: string): string {
  let hash = treeHashes.get(dir);
  if (!hash) {
    const digest = createHash('sha256');
    const walk = (relative: string) => {
      for (const name of readdirSync(join(dir, relative)).sort(compareText)) {
        const path = relative ? `${relative}/${name}` : name;
        if (statSync(join(dir, path)).isDirectory()) walk(path);
        else digest.update(`${path}\0${readFileSync(join(dir, path)).length}\0`).update(readFileSync(join(dir, path)));
      }
    };
    walk('');
    hash = digest.digest('hex');
    treeHashes.set(dir, hash);
  }
  return hash;
}

type FileTree = Map<string, FileTree | Buffer>;

/** treeHash of files in memory (paths relative to a directory, those under `prefix/`): the hash the same files written under that directory would have. */
export function filesTreeHash(files: ReadonlyMap<string, string | Uint8Array>, prefix: string): string {
  const root: FileTree = new Map();
  for (const [path, content] of files) {
    if (!path.startsWith(`${prefix}/`)) continue;
    const parts = path.slice(prefix.length + 1).split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.get(part);
      if (!(next instanceof Map)) node.set(part, (next = new Map()));
      node = next;
    }
    node.set(parts[parts.length - 1]!, Buffer.from(content));
  }
  const digest = createHash('sha256');
  const walk = (node: FileTree, relative: string) => {
    for (const name of [...node.keys()].sort(compareText)) {
      const path = relative ? `${relative}/${name}` : name;
      const child = node.get(name)!;
      if (child instanceof Map) walk(child, path);
      else digest.update(`${path}\0${child.length}\0`).update(child);
    }
  };
  walk(root, '');
  return digest.digest('hex');
}

/**
 * Results in files, one per key: the run's Helm cache (in its work directory) and, with
 * --cache-dir, the persistent result cache (cli/conformance/result-cache.ts). An entry is untrusted
 * on read (another run, an actions/cache restore, a person may have left anything there): it is
 * size-capped, must name its own key and pass the caller's shape check; anything else is a miss.
 * Writes are atomic (a temporary file renamed into place: a reader sees a whole entry or none) but
 * not fsynced: an entry torn by a crash fails those checks and is a miss, and a conformance run
 * writes thousands of entries (fsync was a tenth of a worker's time). A failed write (a full disk)
 * loses the entry, never the run.
 */
export class HelmCache {
  constructor(private readonly dir: string) {}

  /** A key over length-prefixed parts, so no two different part lists collide by concatenation. */
  static key(parts: ReadonlyArray<string | Uint8Array>): string {
    const digest = createHash('sha256');
    for (const part of parts) digest.update(`${typeof part === 'string' ? Buffer.byteLength(part) : part.length}:`).update(part);
    return digest.digest('hex');
  }

  get<T>(key: string, check: (value: unknown) => value is T = (value): value is T => value !== undefined): T | null {
    const file = join(this.dir, `${key}.json`);
    if (!existsSync(file)) return null;
    try {
      // Only a regular file: opening a FIFO planted in the cache would wait for a writer forever.
      if (!statSync(file).isFile()) return null;
      const entry = JSON.parse(readFileCapped(file, { what: 'conformance cache entry', maxBytes: SIZE_CAPS.conformanceCacheEntry }).toString('utf8')) as unknown;
      if (entry === null || typeof entry !== 'object' || (entry as { key?: unknown }).key !== key) return null;
      const value = (entry as { value?: unknown }).value;
      if (!check(value)) return null;
      // A hit is marked used (its mtime is now): --cache-prune keeps what a run read or wrote.
      const now = new Date();
      utimesSync(file, now, now);
      return value;
    } catch {
      return null;
    }
  }

  set(key: string, value: unknown): void {
    const temp = join(this.dir, `.${key}.${process.pid}.${++sequence}.tmp`);
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, JSON.stringify({ key, value }), { flag: 'wx' });
      renameSync(temp, join(this.dir, `${key}.json`));
    } catch {
      // A cache that cannot be written is a slower next run, not a failed one.
      rmSync(temp, { force: true });
    }
  }
}
