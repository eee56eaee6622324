/**
 * The Helm binaries conformance runs: INSTALLCTL_HELM3 / INSTALLCTL_HELM4 when set, else the Helm
 * 3.17 and 4.1 extracted into the package root's .tools/ (by `npm ci`, or here on first use).
 * Each binary is checked before any cell runs (`helm version --short`): a missing, non-executable,
 * crashing or wrong-major Helm is the environment's fault, CONFORMANCE_HELM_MISSING (exit 2), and
 * never a red cell.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../lib/errors.js';
import { packageRoot } from '../../lib/package-root.js';
import { quoteForMessage } from '../../lib/visible-text.js';
import { bundledHelmPath, extractHelm, helmTool, layerZip, type HelmMajor } from './helm-tools.js';

export type { HelmMajor } from './helm-tools.js';

export interface HelmBinary {
  major: HelmMajor;
  path: string;
  /** What `helm version --short` printed, e.g. v3.17.2+gcc0bbbd. */
  version?: string;
  /**
   * What a result cache (--cache-dir) knows this Helm by: the file's SHA-256, its realpath and the
   * full `helm version` output. The file alone is not enough: a shim (asdf, mise, a wrapper that
   * execs $REAL_HELM) keeps its bytes while the Helm behind it changes.
   */
  identity?: string;
}

const missing = (message: string, hint: string) => new UserError(message, { code: 'CONFORMANCE_HELM_MISSING', hint });

const envName = (major: HelmMajor) => `INSTALLCTL_HELM${major}`;

/** Output of a run of `helm version --short`, or why there is none. */
function helmVersion(path: string): Promise<{ version: string } | { problem: string }> {
  return new Promise((resolve) => {
    execFile(path, ['version', '--short'], { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve({ version: stdout.trim().split('\n')[0] ?? '' });
      const code = (error as NodeJS.ErrnoException).code;
      const signal = (error as { signal?: string | null }).signal;
      if (typeof code === 'string') return resolve({ problem: `cannot be run (${code})` });
      const said = quoteForMessage((stderr || stdout).trim().split('\n').slice(-1)[0] ?? '');
      resolve({ problem: signal ? `was killed by ${signal} running \`helm version\`` : `fails \`helm version\` (exit ${String(code)}: ${said})` });
    });
  });
}

/** Why the file cannot be Helm before running it, or null. */
function fileProblem(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return 'is not a file';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return 'is not executable';
  }
  return null;
}

/**
 * The Helm of .tools/ (INSTALLCTL_HELM3 and INSTALLCTL_HELM4 aside), extracted if missing and checked: what `npm ci`
 * and scripts/fetch-helm.mjs prepare.
 */
export async function bundledHelm(major: HelmMajor, root = packageRoot()): Promise<HelmBinary> {
  const path = bundledHelmPath(major, root);
  const refetch = `delete .tools/${helmTool(major).dir}/ in the installctl checkout and run node scripts/fetch-helm.mjs (or npm ci) again, or set ${envName(major)} to a Helm ${major} binary`;
  try {
    await extractHelm(major, root);
  } catch (error) {
    throw missing(
      `Helm ${major} not found at ${path} and cannot be extracted: ${(error as Error).message}`,
      `set ${envName(major)} to a Helm ${major} binary (e.g. ${envName(major)}=$(command -v helm)), or run npm ci in an installctl checkout`,
    );
  }
  const problem = fileProblem(path);
  if (problem) throw missing(`Helm ${major} at ${path} ${problem}`, refetch);
  const ran = await helmVersion(path);
  if ('problem' in ran) throw missing(`Helm ${major} at ${path} ${ran.problem}`, refetch);
  if (!helmTool(major).version.test(ran.version))
    throw missing(`Helm ${major} at ${path} reports ${quoteForMessage(ran.version)}, expected ${helmTool(major).version.source}`, refetch);
  return { major, path, version: ran.version };
}

/**
 * The one absolute file INSTALLCTL_HELM3 or INSTALLCTL_HELM4 names, as a shell would run it: a bare name (`helm`) is
 * looked up in the absolute entries of PATH (an empty or relative entry would mean "wherever the
 * process happens to be"), a path with a slash is resolved against cwd. The file checked, hashed
 * and run is then the same. Null when a bare name is on no absolute PATH entry.
 */
export function resolveHelmPath(value: string, path = process.env.PATH ?? '', cwd = process.cwd()): string | null {
  if (value.includes('/')) return resolve(cwd, value);
  for (const entry of path.split(delimiter)) {
    if (!entry || !isAbsolute(entry)) continue;
    const candidate = join(entry, value);
    if (fileProblem(candidate) === null) return candidate;
  }
  return null;
}

const checked = new Map<string, Promise<HelmBinary>>();

async function resolveBinary(major: HelmMajor): Promise<HelmBinary> {
  const fromEnv = process.env[envName(major)];
  if (fromEnv !== undefined) {
    const shown = quoteForMessage(fromEnv);
    const hint = `point ${envName(major)} at a Helm ${major} binary, or unset it to use the Helm ${major} that npm ci extracts into .tools/`;
    if (!fromEnv.trim()) throw missing(`Helm ${major}: ${envName(major)} is set but empty`, hint);
    const path = resolveHelmPath(fromEnv);
    if (path === null) throw missing(`Helm ${major}: ${envName(major)}=${shown} is not on PATH`, hint);
    const problem = fileProblem(path);
    if (problem) throw missing(`Helm ${major}: ${envName(major)}=${shown} ${problem}`, hint);
    const ran = await helmVersion(path);
    if ('problem' in ran) throw missing(`Helm ${major}: ${envName(major)}=${shown} ${ran.problem}`, hint);
    if (!new RegExp(`^v${major}\\.`).test(ran.version)) throw missing(`Helm ${major}: ${envName(major)}=${shown} reports ${quoteForMessage(ran.version)}, not Helm ${major}`, hint);
    return { major, path, version: ran.version };
  }
  return bundledHelm(major);
}

/** The binaries for these majors, each extracted if needed and checked once per process. */
export async function helmBinaries(majors: readonly HelmMajor[]): Promise<HelmBinary[]> {
  return Promise.all(
    majors.map((major) => {
      const key = `${major}\0${process.env[envName(major)] ?? ''}\0${process.cwd()}\0${process.env.PATH ?? ''}`;
      let binary = checked.get(key);
      if (!binary) {
        binary = resolveBinary(major);
        checked.set(key, binary);
        // A failure is not remembered: the operator may fix the environment in the same process (tests).
        binary.catch(() => checked.delete(key));
      }
      return binary;
    }),
  );
}

/** Whether .tools/ holds this Helm or its npm package is installed to extract it from. */
export function layerAvailable(major: HelmMajor): boolean {
  return fileProblem(bundledHelmPath(major)) === null || layerZip(helmTool(major)) !== null;
}
