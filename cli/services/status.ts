/**
 * `installctl status DIR`: has a render drifted? It compares what manifest.json recorded at render
 * time with now: the spec's SHA-256 (the manifest keeps only its file name, so the spec is looked
 * up), every rendered file's SHA-256, and the installctl version; and it says which release DIR
 * holds, where that release stands in this installctl's catalog and what to run next. It reads
 * only: DIR is never written (status-manifest.ts reads it without following links).
 */
import { createHash } from 'node:crypto';
import { closeSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../lib/errors.js';
import { compareText } from '../lib/compare.js';
import { packageVersion } from '../lib/package-root.js';
import { SIZE_CAPS } from '../lib/read-capped.js';
import { readSpecFile } from '../install-spec/read-file.js';
import { STACK_FILE } from '../emit/carry-over.js';
import { operand, option, shellLine } from '../emit/shell.js';
import { compareReleaseVersions, currentRelease, findRelease, releaseCatalog, type Release } from '../releases/catalog.js';
import { hashOpened, openInside, readInside, readStatusManifest, RELEASE_VERSION, type StatusManifest } from './status-manifest.js';
import type * as Output from '../generated/cli-output.js';

export interface StatusOptions {
  dir: string;
  /** --spec: the spec to compare; else the manifest's file name in cwd, then beside DIR. */
  spec?: string | null;
  /** Where the manifest's spec file name is looked up first (default: the current directory, and the name shown as is). */
  cwd?: string;
  /** The running installctl's version (default: package.json's); tests forge others. */
  running?: string;
  catalog?: readonly Release[];
}

export interface StatusResult extends Output.Status {
  /** 0 in sync, 1 drift. */
  exitCode: number;
}

type SpecStatus = Output.Status['spec'];
type FileState = Output.Status['files']['entries'][number]['state'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** SHA-256 of the spec's text as render hashes it (read-file.ts: UTF-8, BOM dropped); null when render could not have read it. */
function specHash(file: string): { found: boolean; sha256: string | null; unreadable?: UserError } {
  const read = readSpecFile(file);
  if (read.ok) return { found: true, sha256: sha256(read.text) };
  if (read.kind === 'invalid') return { found: true, sha256: null };
  const { code, message, hint } = read.finding;
  return { found: false, sha256: null, unreadable: new UserError(message, { code: code as 'FILE_NOT_FOUND', hint: hint ?? undefined }) };
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Compares the spec: --spec FILE (which must be readable), else the manifest's file name in cwd, then beside DIR. */
export function compareSpec(manifest: StatusManifest, dir: string, spec: string | null, cwd: string | null): SpecStatus {
  // A render of `-` read the spec from standard input: there is no file to look up (and `-` would read stdin).
  const candidates: Array<[string, NonNullable<SpecStatus['foundBy']>]> = spec
    ? [[spec, 'flag']]
    : manifest.spec.file === '-'
      ? []
      : [
          [cwd === null ? manifest.spec.file : join(cwd, manifest.spec.file), 'current-directory'],
          // Lexically next to DIR as given (deploy -> acme.yaml, out/deploy -> out/acme.yaml, . -> ../acme.yaml).
          [normalize(join(dir, '..', manifest.spec.file)), 'beside-dir'],
        ];
  const searched: string[] = [];
  for (const [file, foundBy] of candidates) {
    if (searched.some((earlier) => resolve(earlier) === resolve(file))) continue;
    searched.push(file);
    // A name from the manifest is looked up, not trusted: only a regular file is read (a FIFO would block the read).
    if (foundBy !== 'flag' && !isRegularFile(file)) continue;
    const hashed = specHash(file);
    if (hashed.unreadable && foundBy === 'flag') throw hashed.unreadable;
    if (!hashed.found) continue;
    const state = hashed.sha256 === manifest.spec.sha256 ? 'unchanged' : 'changed';
    return { file: manifest.spec.file, recordedSha256: manifest.spec.sha256, state, compared: file, foundBy, sha256: hashed.sha256, searched };
  }
  return { file: manifest.spec.file, recordedSha256: manifest.spec.sha256, state: 'not-found', compared: null, foundBy: null, sha256: null, searched };
}

/** One listed file now: its size first (no read when it differs), then its SHA-256. A changed stack file is Pulumi's doing. */
function fileState(dir: string, listed: StatusManifest['files'][number]): FileState {
  const opened = openInside(dir, listed.path);
  if ('problem' in opened) return opened.problem;
  let same: boolean;
  try {
    same = opened.size === listed.bytes && hashOpened(opened.fd, opened.size) === listed.sha256;
  } catch {
    return 'unreadable';
  } finally {
    closeSync(opened.fd);
  }
  if (same) return 'unchanged';
  // `pulumi stack init`, `pulumi config set --secret` write into the stack file (and a re-render keeps what they wrote).
  return STACK_FILE.test(listed.path) ? 'changed-by-pulumi' : 'changed';
}

export function compareFiles(dir: string, manifest: StatusManifest): Output.Status['files'] {
  const entries = [...manifest.files].sort((a, b) => compareText(a.path, b.path)).map((listed) => ({ path: listed.path, state: fileState(dir, listed) }));
  const unchanged = entries.filter((entry) => entry.state === 'unchanged').length;
  const drifted = entries.filter((entry) => entry.state !== 'unchanged' && entry.state !== 'changed-by-pulumi').length;
  return { total: entries.length, unchanged, drifted, entries };
}

/** Semantic-version order of two installctl versions (pre-releases before their release). */
export function compareInstallctlVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const [core = '', pre] = version.split('+')[0]!.split(/-(.*)/s);
    return { parts: core.split('.').map(Number), pre: pre ?? null };
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) if (pa.parts[i] !== pb.parts[i]) return (pa.parts[i] ?? 0) - (pb.parts[i] ?? 0);
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === null) return 1;
  if (pb.pre === null) return -1;
  return compareText(pa.pre, pb.pre);
}

const VALUES_LAYER = 'helm/agent-platform.values.yaml';

/** The agent-platform values layer's install.release; null when it names none (missing, not YAML, no such key). */
function valuesRelease(dir: string): string | null {
  const text = readInside(dir, VALUES_LAYER, SIZE_CAPS.renderState);
  if (text === null) return null;
  try {
    const document = parseDocument(text);
    const release: unknown = document.errors.length ? null : document.getIn(['install', 'release']);
    return typeof release === 'string' && RELEASE_VERSION.test(release) ? release : null;
  } catch {
    // Not YAML any more: the release is unknown.
    return null;
  }
}

type Rendered = Pick<Output.Status['release'], 'source' | 'mismatch'> & { version: string | null };

/**
 * The rendered release: the manifest's, checked against the agent-platform values layer's
 * install.release; for older renders (no release in the manifest) the values layer's alone. The
 * manifest's release is one line anyone can edit, while the values layer's SHA-256 is in the
 * manifest and compared file by file: when the two disagree the values layer's is the one shown,
 * and the disagreement is drift.
 */
function renderedRelease(dir: string, manifest: StatusManifest): Rendered {
  const values = valuesRelease(dir);
  if (manifest.release === null) return values ? { version: values, source: 'values', mismatch: null } : { version: null, source: 'unknown', mismatch: null };
  if (values === manifest.release) return { version: values, source: 'manifest', mismatch: null };
  const mismatch = { manifest: manifest.release, values };
  return values ? { version: values, source: 'values', mismatch } : { version: manifest.release, source: 'manifest', mismatch };
}

export function releaseStatus(dir: string, manifest: StatusManifest, catalog: readonly Release[]): Output.Status['release'] {
  const { version, source, mismatch } = renderedRelease(dir, manifest);
  if (version === null) return { version: 'unknown', source, status: null, newer: [], upgradeTo: null, mismatch };
  const catalogued = findRelease(version, catalog);
  const newer = catalog
    .filter((release) => compareReleaseVersions(release.version, version) > 0)
    .map((release) => ({ version: release.version, status: release.status, date: release.date }));
  const current = currentRelease(catalog);
  // An upgrade plan starts from a catalogued release; it aims at the current one, or past it at the newest preview.
  const upgradeTo = !catalogued || !newer.length ? null : newer.some((release) => release.version === current.version) ? current.version : newer[newer.length - 1]!.version;
  return { version, source, status: catalogued?.status ?? 'not-catalogued', newer, upgradeTo, mismatch };
}

/** What to run next: re-render after drift (its --diff first), find the spec, plan an upgrade. */
function nextSteps(options: StatusOptions, manifest: StatusManifest, status: Omit<Output.Status, 'next'>): Output.Status['next'] {
  const spec = status.spec.compared ?? (manifest.spec.file === '-' ? 'SPEC' : manifest.spec.file);
  const next: Output.Status['next'] = [];
  if (status.spec.state === 'not-found')
    next.push({
      command: shellLine(['installctl', 'status', operand(options.dir), ...option('--spec', spec)]),
      why: status.spec.searched.length
        ? `compare the spec: ${manifest.spec.file} is not in the current directory or beside DIR`
        : 'compare the spec: DIR was rendered from standard input',
    });
  if (!status.inSync) {
    next.push({
      command: shellLine(['installctl', 'render', operand(spec), ...option('--out', options.dir), '--diff']),
      why: 'see what a re-render would change in DIR, secrets redacted',
    });
    next.push({ command: shellLine(['installctl', 'render', operand(spec), ...option('--out', options.dir)]), why: 're-render: DIR matches the spec and this installctl again' });
  }
  if (status.release.upgradeTo)
    next.push({
      command: shellLine(['installctl', 'upgrade', 'plan', operand(spec), '--to', status.release.upgradeTo]),
      why: `plan the upgrade from ${status.release.version} to ${status.release.upgradeTo}${status.release.newer.find((release) => release.version === status.release.upgradeTo)?.status === 'preview' ? ' (a preview)' : ''}`,
    });
  return next;
}

export function status(options: StatusOptions): StatusResult {
  const manifest = readStatusManifest(options.dir);
  const spec = compareSpec(manifest, options.dir, options.spec ?? null, options.cwd ?? null);
  const files = compareFiles(options.dir, manifest);
  const running = options.running ?? packageVersion();
  const relation = compareInstallctlVersions(manifest.installctl, running);
  const installctl = { rendered: manifest.installctl, running, state: relation === 0 ? ('same' as const) : relation < 0 ? ('older' as const) : ('newer' as const) };
  const release = releaseStatus(options.dir, manifest, options.catalog ?? releaseCatalog());
  const inSync = spec.state !== 'changed' && files.drifted === 0 && installctl.state === 'same' && release.mismatch === null;
  const result = { dir: options.dir, inSync, install: manifest.install, cell: manifest.cell, spec, files, installctl, release };
  return { ...result, next: nextSteps(options, manifest, result), exitCode: inSync ? 0 : 1 };
}
