/**
 * Registry credentials, found as helm, oras, skopeo and crane find them: --password-stdin or the
 * environment variable (with --username) first; else the Docker config, $DOCKER_CONFIG/config.json
 * or ~/.docker/config.json: a credential helper for that registry (credHelpers), else the default
 * helper (credsStore), else its `auths` entry (base64 "user:password" in `auth`, or `username` and
 * `password`, or an `identitytoken`), keyed by the registry's host[:port] as Docker normalises it.
 *
 * The config is untrusted input: read with a cap and shape-checked. One that is not what Docker
 * writes is ignored with a warning naming the file, as docker itself does ("WARNING: Error loading
 * config file"); a helper that fails is an error (docker fails too). Secrets are never echoed.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { readFileCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { quoteForMessage } from '../lib/visible-text.js';
import { HELPER_NAME, helperCredentials } from './credential-helper.js';

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

interface DockerConfig {
  auths: Record<string, AuthEntry>;
  credHelpers: Record<string, string>;
  credsStore: string | null;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(env.HOME || homedir(), '.docker', 'config.json');
}

/** Docker's ConvertToHostname: no scheme, nothing after the first slash. */
export function registryKeyHost(key: string): string {
  return key.replace(/^https?:\/\//i, '').split('/')[0]!.toLowerCase();
}

/** The server name helpers and `auths` know a host by (Docker Hub keeps its historical URL). */
function serverName(host: string): string {
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host) ? 'https://index.docker.io/v1/' : host;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The config's shape, or why it is not one Docker writes (the secrets in it are never quoted). */
function parseConfig(bytes: Buffer): DockerConfig | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'it is not JSON';
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return 'it is not a JSON object';
  const { auths = {}, credHelpers = {}, credsStore = null } = value;
  if (!isObject(auths)) return '"auths" is not an object';
  if (!isObject(credHelpers)) return '"credHelpers" is not an object';
  if (credsStore !== null && typeof credsStore !== 'string') return '"credsStore" is not a string';
  if (typeof credsStore === 'string' && credsStore !== '' && !HELPER_NAME.test(credsStore)) return `"credsStore" ${quoteForMessage(credsStore, 40)} is not a plain helper name`;
  for (const [registry, helper] of Object.entries(credHelpers)) {
    if (typeof helper !== 'string' || !HELPER_NAME.test(helper)) return `"credHelpers" names a helper for ${quoteForMessage(registry, 80)} that is not a plain helper name`;
  }
  for (const [registry, entry] of Object.entries(auths)) {
    const where = `"auths" entry ${quoteForMessage(registry, 80)}`;
    if (!isObject(entry)) return `${where} is not an object`;
    for (const field of ['auth', 'username', 'password', 'identitytoken'] as const) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') return `${where}: "${field}" is not a string`;
    }
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      if (!BASE64.test(entry.auth)) return `${where}: "auth" is not base64`;
      if (!Buffer.from(entry.auth, 'base64').toString('utf8').includes(':')) return `${where}: "auth" is not base64 of user:password`;
    }
  }
  return { auths: auths as Record<string, AuthEntry>, credHelpers: credHelpers as Record<string, string>, credsStore: credsStore || null };
}

/** The config, or null (absent, or unusable: then a warning says why). */
function loadConfig(file: string, onWarning: (line: string) => void): DockerConfig | null {
  if (!existsSync(file)) return null;
  let bytes: Buffer;
  try {
    bytes = readFileCapped(file, { what: 'Docker config', maxBytes: SIZE_CAPS.dockerConfig });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    onWarning(`installctl: warning: ignoring the Docker config ${file}: ${error.message}`);
    return null;
  }
  const config = parseConfig(bytes);
  if (typeof config === 'string') {
    onWarning(`installctl: warning: ignoring the Docker config ${file}: ${config}`);
    return null;
  }
  return config;
}

function fromAuths(config: DockerConfig, host: string): Omit<RegistryCredentials, 'source'> | null {
  const server = serverName(host);
  // An exact key first, then any key that normalises to the host (in a stable order).
  const key = server in config.auths ? server : Object.keys(config.auths).sort().find((candidate) => registryKeyHost(candidate) === registryKeyHost(server));
  const entry = key === undefined ? undefined : config.auths[key];
  if (!entry) return null;
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username) return { username: entry.username, password: entry.password ?? '' };
  return null;
}

/** Credentials for `host` (host[:port], lowercase) by the precedence above. */
export async function resolveCredentials(host: string, options: CredentialOptions = {}): Promise<RegistryCredentials> {
  if (options.username !== undefined) {
    if (options.password === undefined) {
      throw new UserError('--username needs a password: --password-stdin, or the password environment variable', { code: 'USAGE', hint: 'or drop --username to use the Docker config (docker login)' });
    }
    return { username: options.username, password: options.password, source: options.passwordSource ?? 'env' };
  }
  const file = dockerConfigPath(options.env);
  const config = loadConfig(file, options.onWarning ?? (() => undefined));
  if (!config) return { source: 'none' };
  const helper = config.credHelpers[host] ?? config.credHelpers[serverName(host)] ?? config.credsStore;
  if (helper) {
    const found = await helperCredentials(helper, serverName(host), file, options.helperTimeoutMs);
    return Object.keys(found).length ? { ...found, source: `credential-helper:${helper}` } : { source: 'none' };
  }
  const found = fromAuths(config, host);
  return found ? { ...found, source: `docker-config:${file}` } : { source: 'none' };
}
