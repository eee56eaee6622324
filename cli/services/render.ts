/**
 * `installctl render SPEC --out DIR`: validate, then emit the Pulumi project (and, with later
 * layers, Helm values) plus manifest.json listing every file's SHA-256. Deterministic: the same
 * spec gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { packageVersion } from '../lib/package-root.js';
import { ExitCode } from '../lib/errors.js';
import type { Issue } from '../spec/issue.js';
import { loadSpecFile } from '../spec/load-spec.js';
import { settingsFor } from '../render/settings.js';
import { pulumiProjectFiles } from '../render/pulumi-project.js';
import { checkOutputDir, MANIFEST_FILE, MANIFEST_KIND, writeDirectoryAtomic } from '../render/output-dir.js';
import type { InstallSettings } from '../../stacks/settings.js';

export interface RenderOptions {
  spec: string;
  outDir: string;
  force?: boolean;
}

export interface RenderedFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface RenderResult {
  valid: boolean;
  /** validate's issues for the spec (warnings on success). */
  issues: Issue[];
  exitCode: number;
  outDir: string | null;
  cell: { id: string; status: string } | null;
  files: RenderedFile[];
  settings: InstallSettings | null;
}

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');

/** Every file of a render, keyed by path relative to the output directory (manifest.json included). */
export function renderFiles(specFile: string, specText: string, settings: InstallSettings, cellStatus: string): Map<string, string> {
  const version = packageVersion();
  const files = new Map<string, string>();
  for (const [path, content] of pulumiProjectFiles(settings, `installctl ${version}`)) files.set(`pulumi/${path}`, content);
  const listed = [...files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, content]) => ({ path, sha256: sha256(content), bytes: Buffer.byteLength(content) }));
  const manifest = {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: MANIFEST_KIND,
    installctl: version,
    install: settings.name,
    spec: { file: basename(specFile), sha256: sha256(specText) },
    cell: { id: settings.cell, status: cellStatus },
    files: listed,
  };
  files.set(MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  return files;
}

export function render(options: RenderOptions): RenderResult {
  const loaded = loadSpecFile(options.spec);
  const cell = loaded.cell ? { id: loaded.cell.id, status: loaded.cell.status } : null;
  if (loaded.exitCode !== ExitCode.ok || !loaded.install || !loaded.cell) {
    return { valid: false, issues: loaded.issues, exitCode: loaded.exitCode || ExitCode.invalid, outDir: null, cell, files: [], settings: null };
  }
  checkOutputDir(options.outDir, options.force ?? false);
  const settings = settingsFor(loaded.install, loaded.cell);
  const files = renderFiles(options.spec, loaded.text ?? '', settings, loaded.cell.status);
  writeDirectoryAtomic(options.outDir, files);
  return {
    valid: true,
    issues: loaded.issues,
    exitCode: ExitCode.ok,
    outDir: options.outDir,
    cell,
    files: [...files].map(([path, content]) => ({ path, sha256: sha256(content), bytes: Buffer.byteLength(content) })).sort((a, b) => a.path.localeCompare(b.path)),
    settings,
  };
}
