/**
 * Docker credential helpers (`credsStore`, `credHelpers` in the Docker config): the program
 * docker-credential-NAME, run as `docker-credential-NAME get` with the registry on stdin, answers
 * {"ServerURL", "Username", "Secret"} on stdout, or "credentials not found" with a non-zero exit.
 * The name comes from an untrusted file: only a plain word is run, found on PATH, never through a
 * shell, and only from an absolute PATH entry (as Go's exec.LookPath, which docker uses, refuses
 * `.`: an empty or relative entry would run whatever the current directory holds). It gets
 * installctl's environment minus the INSTALLCTL_*PASSWORD variables, which are not its business.
 * Its output is capped and its run bounded in time (INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT seconds,
 * default 30). Neither output is ever echoed whole: the secret is in stdout, so only stderr's first
 * line (short, escaped) may appear in a message.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { OciError } from './errors.js';
import { formatCap, SIZE_CAPS } from '../lib/read-capped.js';
import { quoteForMessage } from '../lib/visible-text.js';

/** A helper name docker-credential-NAME may be built from: a plain word, no path, no shell syntax. */
export const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const HELPER_TIMEOUT_MS = 30_000;
/** The environment variable that overrides HELPER_TIMEOUT_MS, in seconds. */
export const HELPER_TIMEOUT_ENV = 'INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT';
const MAX_TIMEOUT_SECONDS = 3600;

/** The helper timeout: INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT (seconds, 1 to 3600, decimals allowed) or 30 s. */
export function helperTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = env[HELPER_TIMEOUT_ENV];
  if (value === undefined || value === '') return HELPER_TIMEOUT_MS;
  const seconds = /^\d{1,4}(?:\.\d{1,3})?$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw new OciError('USAGE', `${HELPER_TIMEOUT_ENV} must be a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, not ${quoteForMessage(value, 40)}`, {
      hint: `unset it for the default (${HELPER_TIMEOUT_MS / 1000} s), or set e.g. ${HELPER_TIMEOUT_ENV}=120`,
    });
  }
  return Math.round(seconds * 1000);
}

/** INSTALLCTL_REGISTRY_PASSWORD, INSTALLCTL_SOURCE_PASSWORD and any other INSTALLCTL_*PASSWORD. */
const OWN_SECRET = /^INSTALLCTL_.*PASSWORD$/i;

/** installctl's environment for a helper: its own password variables left out. */
export function helperEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !OWN_SECRET.test(name)));
}

/** docker-credential-NAME in the first absolute PATH entry that holds it as an executable file; empty and relative entries are skipped. */
export function lookPath(program: string, path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const file = join(dir, program);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      continue;
    }
  }
  return null;
}

export interface HelperCredentials {
  username?: string;
  password?: string;
  /** Username "<token>": the Secret is an identity (OAuth2 refresh) token. */
  identityToken?: string;
}

function helperFailed(name: string, server: string, why: string, configFile: string): OciError {
  return new OciError('REGISTRY_CREDENTIAL_HELPER_FAILED', `the Docker credential helper docker-credential-${name} could not give credentials for ${server}: ${why}`, {
    hint: `fix or install docker-credential-${name} (named by ${configFile}), or pass --username and --password-stdin (then the Docker config is not read)`,
  });
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(name: string, server: string, timeoutMs: number): Promise<Run | { failure: string }> {
  const program = lookPath(`docker-credential-${name}`, process.env.PATH);
  if (!program) return Promise.resolve({ failure: `docker-credential-${name} is not on PATH (absolute entries only)` });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: Run | { failure: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true, env: helperEnvironment(process.env) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    const stop = (failure: string) => {
      child.kill('SIGKILL');
      // Its own children (a shell script's) may hold the pipes open: let go of them, or they keep installctl alive.
      for (const stream of [child.stdin, child.stdout, child.stderr]) stream.destroy();
      finish({ failure });
    };
    const timer = setTimeout(() => stop(`it did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > SIZE_CAPS.credentialHelperOutput) return stop(`it printed more than ${formatCap(SIZE_CAPS.credentialHelperOutput)}`);
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes <= SIZE_CAPS.credentialHelperOutput) err.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ failure: error.code === 'ENOENT' ? `docker-credential-${name} is not on PATH` : `it could not be run (${error.code ?? error.message})` }),
    );
    child.on('close', (status) => finish({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(server);
  });
}

/** Credentials from docker-credential-NAME for `server`; {} when the helper has none for it. */
export async function helperCredentials(name: string, server: string, configFile: string, timeoutMs = HELPER_TIMEOUT_MS): Promise<HelperCredentials> {
  if (!HELPER_NAME.test(name)) throw helperFailed(quoteForMessage(name, 40), server, 'that is not a plain helper name', configFile);
  const result = await run(name, server, timeoutMs);
  if ('failure' in result) throw helperFailed(name, server, result.failure, configFile);
  if (result.status !== 0) {
    if (/credentials not found/i.test(result.stdout) || /credentials not found/i.test(result.stderr)) return {};
    const said = result.stderr.trim().split('\n')[0] ?? '';
    throw helperFailed(name, server, `it exited with status ${result.status}${said ? `: ${quoteForMessage(said, 200)}` : ''}`, configFile);
  }
  let body: unknown;
  try {
    body = JSON.parse(result.stdout);
  } catch {
    throw helperFailed(name, server, 'it printed something that is not JSON', configFile);
  }
  const { Username: username, Secret: secret } = (typeof body === 'object' && body !== null ? body : {}) as { Username?: unknown; Secret?: unknown };
  if (typeof username !== 'string' || typeof secret !== 'string') throw helperFailed(name, server, 'its JSON lacks the strings "Username" and "Secret"', configFile);
  if (!secret) return {};
  return username === '<token>' ? { identityToken: secret } : { username, password: secret };
}
