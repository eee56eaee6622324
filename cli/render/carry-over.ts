/**
 * What a re-render keeps of the directory it replaces. The render owns the files its manifest
 * lists; everything else there belongs to the operator (pulumi/node_modules after `npm ci`,
 * generated passwords, `pulumi config set --secret` values and the stack's encryption salt) and
 * must survive a re-render, or the next `pulumi up` would lose its secrets.
 */
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { compareText } from '../lib/compare.js';
import { MANIFEST_FILE, isEarlierRender } from './output-dir.js';

export interface PreviousRender {
  dir: string;
  /** Paths the earlier render wrote (its manifest's files, and the manifest itself). */
  rendered: Set<string>;
}

export function previousRender(dir: string): PreviousRender | null {
  if (!isEarlierRender(dir)) return null;
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { files?: Array<{ path?: unknown }> };
  const rendered = new Set((manifest.files ?? []).map((file) => file.path).filter((path): path is string => typeof path === 'string'));
  rendered.add(MANIFEST_FILE);
  return { dir, rendered };
}

/**
 * Entries of the previous directory the render does not own, shallowest first: a directory
 * holding no rendered file is kept whole (one entry), others are descended into.
 */
export function operatorEntries(previous: PreviousRender, produced: ReadonlySet<string>): string[] {
  const renderedDirs = new Set([...previous.rendered, ...produced].flatMap((path) => path.split('/').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('/'))));
  const kept: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(previous.dir, relative)).sort(compareText)) {
      const path = relative ? `${relative}/${name}` : name;
      if (previous.rendered.has(path) || produced.has(path)) continue;
      const stat = lstatSync(join(previous.dir, path));
      if (stat.isDirectory() && renderedDirs.has(path)) walk(path);
      else kept.push(path);
    }
  };
  walk('');
  return kept;
}

/** Links the kept entries into the staging directory: no bytes copied, the old names go with the old directory. */
export function linkEntries(fromDir: string, toDir: string, entries: readonly string[]): void {
  const link = (path: string) => {
    const source = join(fromDir, path);
    const target = join(toDir, path);
    const stat = lstatSync(source);
    mkdirSync(dirname(target), { recursive: true });
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stat.isDirectory()) {
      mkdirSync(target, { recursive: true, mode: stat.mode & 0o7777 });
      for (const name of readdirSync(source).sort(compareText)) link(`${path}/${name}`);
    } else if (stat.isFile()) linkSync(source, target);
    // Sockets and FIFOs are not state worth carrying.
  };
  for (const entry of entries) link(entry);
}

/** Top-level keys Pulumi writes into a stack file to decrypt its secrets. */
const ENCRYPTION_KEYS = ['secretsprovider', 'encryptedkey', 'encryptionsalt'];

/**
 * The new stack file, plus what `pulumi config set --secret` and `pulumi stack init` wrote into the
 * old one: `secure:` values of keys the render does not set, and the encryption keys. Plain values
 * are the render's to decide (re-rendering is how settings change).
 */
export function mergeStackConfig(previousText: string, renderedText: string): string {
  let old: Document;
  try {
    old = parseDocument(previousText);
    if (old.errors.length) return renderedText;
  } catch {
    return renderedText;
  }
  const next = parseDocument(renderedText);
  let changed = false;
  for (const key of ENCRYPTION_KEYS) {
    const value = old.get(key);
    if (value !== undefined && value !== null) {
      next.set(key, value);
      changed = true;
    }
  }
  const oldConfig = old.get('config');
  if (isMap(oldConfig)) {
    for (const pair of oldConfig.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (!key || !isMap(pair.value) || !pair.value.has('secure')) continue;
      if (next.hasIn(['config', key])) continue;
      next.setIn(['config', key], { secure: String(pair.value.get('secure')) });
      changed = true;
    }
  }
  return changed ? next.toString({ lineWidth: 0 }) : renderedText;
}

/** The previous stack file's text, when the earlier render wrote one at this path. */
export function previousStackFile(previous: PreviousRender | null, path: string): string | null {
  if (!previous || !previous.rendered.has(path)) return null;
  const file = join(previous.dir, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
