/**
 * Registry credentials, found as docker and crane find them: --password-stdin or the
 * environment variable (with --username) first; else the Docker config, $DOCKER_CONFIG/config.json
 * or ~/.docker/config.json: a credential helper for that registry (credHelpers), else the default
 * helper (credsStore), else its `auths` entry (base64 "user:password" in `auth`, or `username` and
 * `password`, or an `identitytoken`), keyed by the registry's host[:port] as Docker normalises it.
 *
 * The config is untrusted input: only a regular file is opened (a FIFO or device never is), read
 * with a cap and shape-checked. One that is not what Docker writes, or whose entry for the target
 * registry is not, is ignored with a warning naming the file, as docker itself does ("WARNING:
 * Error loading config file"); entries for other registries are not looked at. A helper that fails
 * is an error (docker fails too). Secrets are never echoed.
 */
import { statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CodedError } from '../lib/errors.js';
import { OciError } from './errors.js';
import { readFileCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { quoteForMessage } from '../lib/visible-text.js';
import { HELPER_NAME, helperCredentials, helperTimeoutMs } from './credential-helper.js';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (Docker's identitytoken), traded for bearer tokens at the token service. */
  identityToken?: string;
  /** Where they came from: stdin, env, docker-config:PATH, credential-helper:NAME, or none. */
  source: string;
}

export interface CredentialOptions {
  /** --username; with it, the password from stdin or the environment variable, and the Docker config is not read. */
  username?: string;
  password?: string;
  passwordSource?: 'stdin' | 'env';
  /** The environment DOCKER_CONFIG and HOME are taken from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  helperTimeoutMs?: number;
  /** A line for stderr: the Docker config was ignored, and why. */
  onWarning?: (line: string) => void;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** The config's top level; the entries are still unchecked (see entryProblem, helperProblem). */
interface DockerConfig {
  auths: Record<string, unknown>;
  credHelpers: Record<string, unknown>;
  credsStore: unknown;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(env.HOME || homedir(), '.docker', 'config.json');
}

/** Docker's ConvertToHostname: no scheme, nothing after the first slash. */
export function registryKeyHost(key: string): string {
  return key
    .replace(/^https?:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
}

/** The server name helpers and `auths` know a host by (Docker Hub keeps its historical URL). */
function serverName(host: string): string {
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host) ? 'https://index.docker.io/v1/' : host;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The config's top-level shape, or why it is not one Docker writes. Entries are checked only when
 * the target registry uses them (entryProblem): a bad entry for another registry changes nothing.
 */
function parseConfig(bytes: Buffer): DockerConfig | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'it is not JSON';
  }
  if (!isObject(value)) return 'it is not a JSON object';
  const { auths = {}, credHelpers = {}, credsStore = null } = value;
  if (!isObject(auths)) return '"auths" is not an object';
  if (!isObject(credHelpers)) return '"credHelpers" is not an object';
  return { auths: auths as Record<string, unknown>, credHelpers, credsStore };
}

/** Why the helper name the config gives for the target is not one installctl runs (null: it is). */
function helperProblem(helper: unknown, field: string): string | null {
  if (typeof helper !== 'string') return `${field} is not a string`;
  return HELPER_NAME.test(helper) ? null : `${field} ${quoteForMessage(helper, 40)} is not a plain helper name`;
}

/** Why the target's `auths` entry is not what docker login writes (the secrets in it are never quoted). */
function entryProblem(registry: string, entry: unknown): string | null {
  const where = `"auths" entry ${quoteForMessage(registry, 80)}`;
  if (!isObject(entry)) return `${where} is not an object`;
  for (const field of ['auth', 'username', 'password', 'identitytoken'] as const) {
    if (entry[field] !== undefined && typeof entry[field] !== 'string') return `${where}: "${field}" is not a string`;
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    if (!BASE64.test(entry.auth)) return `${where}: "auth" is not base64`;
    if (!Buffer.from(entry.auth, 'base64').toString('utf8').includes(':')) return `${where}: "auth" is not base64 of user:password`;
  }
  return null;
}

/** The config, or null (absent, or unusable: then a warning says why). */
function loadConfig(file: string, warn: (why: string) => void): DockerConfig | null {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    warn(`cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return null;
  }
  // Checked before opening: opening a FIFO blocks until a writer comes, and a device never ends.
  if (!stat.isFile()) {
    warn('it is not a regular file');
    return null;
  }
  let bytes: Buffer;
  try {
    bytes = readFileCapped(file, { what: 'Docker config', maxBytes: SIZE_CAPS.dockerConfig });
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    warn(error.message);
    return null;
  }
  const config = parseConfig(bytes);
  if (typeof config === 'string') {
    warn(config);
    return null;
  }
  return config;
}

/** The target's `auths` entry and its key: an exact key first, then any key that normalises to the host (in a stable order). */
function authsEntry(config: DockerConfig, host: string): { key: string; entry: unknown } | null {
  const server = serverName(host);
  const key = Object.hasOwn(config.auths, server)
    ? server
    : Object.keys(config.auths)
        .sort()
        .find((candidate) => registryKeyHost(candidate) === registryKeyHost(server));
  return key === undefined ? null : { key, entry: config.auths[key] };
}

/**
 * Credentials from a checked `auths` entry. An identity token keeps the user and password beside
 * it, as docker does: a registry that challenges Basic gets those, a token service the token.
 */
function fromAuths(entry: AuthEntry): Omit<RegistryCredentials, 'source'> | null {
  let found: Omit<RegistryCredentials, 'source'> = {};
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    found = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } else if (entry.username) found = { username: entry.username, password: entry.password ?? '' };
  if (entry.identitytoken) found = { ...found, identityToken: entry.identitytoken };
  return Object.keys(found).length ? found : null;
}

/** Credentials for `host` (host[:port], lowercase) by the precedence above. */
export async function resolveCredentials(host: string, options: CredentialOptions = {}): Promise<RegistryCredentials> {
  if (options.username !== undefined) {
    if (options.password === undefined) {
      throw new OciError('USAGE', '--username needs a password: --password-stdin, or the password environment variable', {
        hint: 'or drop --username to use the Docker config (docker login)',
      });
    }
    return { username: options.username, password: options.password, source: options.passwordSource ?? 'env' };
  }
  const file = dockerConfigPath(options.env);
  const warn = (why: string) => options.onWarning?.(`installctl: warning: ignoring the Docker config ${file}: ${why}`);
  const config = loadConfig(file, warn);
  if (!config) return { source: 'none' };
  const own = (record: Record<string, unknown>, key: string) => (Object.hasOwn(record, key) ? record[key] : undefined);
  const [field, helper] =
    own(config.credHelpers, host) !== undefined
      ? [`"credHelpers" entry for ${quoteForMessage(host, 80)}`, own(config.credHelpers, host)]
      : own(config.credHelpers, serverName(host)) !== undefined
        ? [`"credHelpers" entry for ${quoteForMessage(serverName(host), 80)}`, own(config.credHelpers, serverName(host))]
        : ['"credsStore"', config.credsStore === '' ? null : config.credsStore];
  if (helper !== null && helper !== undefined) {
    const problem = helperProblem(helper, field);
    if (problem) {
      warn(problem);
      return { source: 'none' };
    }
    const found = await helperCredentials(helper as string, serverName(host), file, options.helperTimeoutMs ?? helperTimeoutMs(options.env));
    return Object.keys(found).length ? { ...found, source: `credential-helper:${helper as string}` } : { source: 'none' };
  }
  const target = authsEntry(config, host);
  if (!target) return { source: 'none' };
  const problem = entryProblem(target.key, target.entry);
  if (problem) {
    warn(problem);
    return { source: 'none' };
  }
  const found = fromAuths(target.entry as AuthEntry);
  return found ? { ...found, source: `docker-config:${file}` } : { source: 'none' };
}
