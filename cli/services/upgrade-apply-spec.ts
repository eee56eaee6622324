/**
 * `installctl upgrade apply-spec SPEC --to VERSION`: writes the spec one hop further on its upgrade
 * path (the first required stop, or VERSION), its release bumped and the fields renamed by the
 * releases crossed moved, after checking the result at the new release. The person then re-renders
 * and follows the RUNBOOK's upgrade section, and runs apply-spec again for the next hop: one hop at a
 * time because each stop must be installed (its background migrations finished) before the next.
 */
import { closeSync, existsSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { UserError } from '../lib/errors.js';
import { visibleLine } from '../lib/visible-text.js';
import type * as Output from '../generated/cli-output.js';
import { operand, shellLine } from '../emit/shell.js';
import { releaseCatalog, type Release } from '../releases/catalog.js';
import { upgradePath, type UpgradeHop } from '../releases/path.js';
import { blockedStep, loadSpecForUpgrade, specDiff, stepSpec } from './upgrade-spec.js';

export interface UpgradeApplySpecOptions {
  spec: string;
  to: string;
  /** Write here instead of SPEC (refused when it exists and is not SPEC). */
  out: string | null;
  dryRun: boolean;
  now?: Date;
  catalog?: readonly Release[];
}

const hopJson = (hop: UpgradeHop) => ({ from: hop.from.version, to: hop.to.version, stopReason: hop.stopReason });

/** The upgrade path from the spec's release, or the user error that says why there is none. */
function pathOrThrow(file: string, from: string, to: string, catalog: readonly Release[]): UpgradeHop[] {
  const path = upgradePath(from, to, catalog);
  if (path.ok) return path.hops;
  if (path.code === 'UPGRADE_DOWNGRADE') throw new UserError(visibleLine(`${file} is at ${from}: ${path.message}`), { code: path.code, hint: path.hint });
  const whose = path.message.startsWith(`release ${to} `) ? `--to ${to}` : `${file}'s release ${from}`;
  throw new UserError(visibleLine(`${whose} is not in the release catalog`), { code: path.code, hint: path.hint });
}

/** The file a path names, through symbolic links; the path itself when it does not exist (reading it says so). */
function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether anything is at `path`, a symbolic link (even a dangling one) included. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether the file starts with a UTF-8 byte order mark (which reading drops, and writing puts back). */
function startsWithBom(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(3);
    return readSync(fd, head, 0, 3, 0) === 3 && head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Where the new spec goes: SPEC itself (through a symbolic link to its file), or a new --out. An
 * --out that is SPEC (or a link to it) is SPEC's real file, so that the write replaces the file
 * and never the link (a rename onto the link would leave SPEC as it was).
 */
function destination(options: UpgradeApplySpecOptions): string {
  if (options.out === null) {
    if (options.spec === '-' && !options.dryRun)
      throw new UserError('a spec read from standard input cannot be upgraded in place', { code: 'USAGE', hint: 'pass --out FILE, or --dry-run to see the diff' });
    return resolved(options.spec);
  }
  if (!present(options.out)) return options.out;
  if (options.spec === '-' || resolved(options.out) !== resolved(options.spec))
    throw new UserError(visibleLine(`--out ${options.out} exists`), { code: 'FILE_EXISTS', hint: 'choose a new --out file, or leave --out out to upgrade SPEC in place' });
  return resolved(options.spec);
}

/** A file written in place keeps its permissions; a new one gets the usual 0644. */
function modeOf(path: string): number {
  return existsSync(path) ? statSync(path).mode & 0o777 : 0o644;
}

export function upgradeApplySpec(options: UpgradeApplySpecOptions): Output.UpgradeApplySpec {
  const now = options.now ?? new Date();
  const catalog = options.catalog ?? releaseCatalog();
  // Where it goes is checked before anything is read (a spec on standard input needs --out).
  const dest = destination(options);
  const spec = loadSpecForUpgrade(options.spec, { now, catalog });
  const hops = pathOrThrow(options.spec, spec.version, options.to, catalog);
  const hop = hops[0];
  const to = hop?.to.version ?? spec.version;
  const base = {
    file: options.spec,
    from: spec.version,
    to,
    target: options.to,
    stopReason: hop?.stopReason ?? null,
    remainingHops: hops.slice(1).map(hopJson),
    dryRun: options.dryRun,
  };
  if (!hop && spec.stale.length === 0) return { ...base, renamed: [], issues: [], written: null, diff: '', next: null };

  const step = stepSpec(spec, to, { now, catalog });
  if (step.blocking.length > 0) throw blockedStep(options.spec, to, step);
  const written = options.out ?? options.spec;
  // A byte order mark is dropped by reading (read-file.ts) and kept on writing: the file changes only where the upgrade changes it.
  const bom = options.spec !== '-' && startsWithBom(options.spec) ? '\uFEFF' : '';
  if (!options.dryRun) writeFileAtomic(dest, bom + step.text, modeOf(dest));
  return {
    ...base,
    renamed: step.moved,
    issues: step.loaded.issues,
    written: options.dryRun ? null : written,
    diff: specDiff(written, spec.text, step.text),
    next: hops.length > 1 ? shellLine(['installctl', 'upgrade', 'apply-spec', operand(written), '--to', options.to]) : null,
  };
}
