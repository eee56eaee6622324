/**
 * Writes a rendered directory atomically: everything goes to a staging directory beside the
 * target, then replaces it with renames. An interrupted or failed render leaves the previous
 * output in place. A directory that is not an earlier render is never replaced without --force.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../lib/errors.js';
import { compareText } from '../lib/compare.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_KIND = 'RenderManifest';

/** Whether dir holds an earlier render (its manifest says so). */
export function isEarlierRender(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { kind?: unknown };
    return manifest.kind === MANIFEST_KIND;
  } catch {
    return false;
  }
}

/** Relative, forward-slash, no '..': a rendered file path may never escape the output directory. */
export function checkRelativePath(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '' || part === '.') || path.includes('\\') || path.includes('\0')) {
    throw new Error(`refusing to write unsafe path ${JSON.stringify(path)}`);
  }
}

export function checkOutputDir(outDir: string, force: boolean): void {
  const target = resolve(outDir);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw new UserError(`${outDir} exists and is not a directory`, { code: 'RENDER_OUT_NOT_DIRECTORY', hint: 'choose another --out path' });
  }
  if (readdirSync(target).length > 0 && !isEarlierRender(target) && !force) {
    throw new UserError(`${outDir} is not empty and is not an earlier installctl render`, {
      code: 'RENDER_OUT_NOT_RENDER',
      hint: 'choose an empty or new directory, or pass --force to replace it',
    });
  }
}

/** beforeSwap completes the staging directory (e.g. with what a re-render keeps) before it replaces the target. */
export function writeDirectoryAtomic(outDir: string, files: ReadonlyMap<string, string | Uint8Array>, beforeSwap?: (staging: string) => void): void {
  const target = resolve(outDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.installctl-staging-${process.pid}`);
  const previous = join(parent, `.${basename(target)}.installctl-previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging);
    for (const [path, content] of [...files].sort(([a], [b]) => compareText(a, b))) {
      checkRelativePath(path);
      const file = join(staging, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    beforeSwap?.(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(target)) {
    renameSync(target, previous);
    try {
      renameSync(staging, target);
    } catch (error) {
      renameSync(previous, target);
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    rmSync(previous, { recursive: true, force: true });
  } else {
    renameSync(staging, target);
  }
}
