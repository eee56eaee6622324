/**
 * Docker credential helpers (`credsStore`, `credHelpers` in the Docker config): the program
 * docker-credential-NAME, run as `docker-credential-NAME get` with the registry on stdin, answers
 * {"ServerURL", "Username", "Secret"} on stdout, or "credentials not found" with a non-zero exit.
 * The name comes from an untrusted file: only a plain word is run, found on PATH, never through a
 * shell; its output is capped and its run bounded in time. Neither output is ever echoed whole: the
 * secret is in stdout, so only stderr's first line (short, escaped) may appear in a message.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../lib/errors.js';
import { formatCap, SIZE_CAPS } from '../lib/read-capped.js';
import { quoteForMessage } from '../lib/visible-text.js';

/** A helper name docker-credential-NAME may be built from: a plain word, no path, no shell syntax. */
export const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const HELPER_TIMEOUT_MS = 30_000;

export interface HelperCredentials {
  username?: string;
  password?: string;
  /** Username "<token>": the Secret is an identity (OAuth2 refresh) token. */
  identityToken?: string;
}

function helperFailed(name: string, server: string, why: string, configFile: string): UserError {
  return new UserError(`the Docker credential helper docker-credential-${name} could not give credentials for ${server}: ${why}`, {
    code: 'REGISTRY_CREDENTIAL_HELPER_FAILED',
    hint: `fix or install docker-credential-${name} (named by ${configFile}), or pass --username and --password-stdin (then the Docker config is not read)`,
    exitCode: 2,
  });
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(name: string, server: string, timeoutMs: number): Promise<Run | { failure: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: Run | { failure: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const child = spawn(`docker-credential-${name}`, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
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
    child.on('error', (error: NodeJS.ErrnoException) => finish({ failure: error.code === 'ENOENT' ? `docker-credential-${name} is not on PATH` : `it could not be run (${error.code ?? error.message})` }));
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
