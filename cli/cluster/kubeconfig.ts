/**
 * Finding and reading kubeconfig files the way kubectl does: `--kubeconfig FILE`, else every file of
 * `KUBECONFIG` (colon-separated; missing files skipped; for each cluster, user and context name the
 * first file that defines it wins, and so does the first current-context), else ~/.kube/config.
 * Every file is read with a cap, and the files a kubeconfig names (CA, client certificate and key,
 * token file) only for the context in use, relative to the kubeconfig that names them, also capped:
 * client-node would read them whole, and every user's token-file while parsing.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { UserError } from '../lib/errors.js';
import { readFileCapped, readTextCapped } from '../lib/read-capped.js';
import { CLUSTER_CAPS } from './limits.js';
import { visibleLine } from '../lib/visible-text.js';

type Raw = Record<string, unknown>;

/** One named entry of a kubeconfig, with the directory its relative paths are relative to. */
interface Entry {
  name: string;
  body: Raw;
  dir: string;
}

export interface KubeconfigFiles {
  clusters: Entry[];
  users: Entry[];
  contexts: Entry[];
  currentContext: string | null;
  /** The files read, in order. */
  files: string[];
}

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const NOT_FOUND_HINT =
  'pass --kubeconfig FILE, set KUBECONFIG, or write ~/.kube/config (your cloud CLI does: aws eks update-kubeconfig, az aks get-credentials, gcloud container clusters get-credentials)';

/** The kubeconfig files to read, in kubectl's order of precedence. */
export function kubeconfigPaths(kubeconfig: string | null, env: NodeJS.ProcessEnv): string[] {
  if (kubeconfig !== null) return [kubeconfig];
  const variable = env.KUBECONFIG;
  if (variable !== undefined && variable !== '') {
    const listed = variable.split(delimiter).filter((file) => file !== '');
    const present = listed.filter((file) => existsSync(file) && !statSync(file).isDirectory());
    if (present.length === 0) throw new UserError(`no file of KUBECONFIG exists (${visibleLine(listed.join(delimiter))})`, { code: 'KUBECONFIG_NOT_FOUND', hint: NOT_FOUND_HINT });
    return present;
  }
  const home = env.HOME ?? env.USERPROFILE;
  const fallback = home ? join(home, '.kube', 'config') : null;
  if (fallback === null || !existsSync(fallback))
    throw new UserError('no kubeconfig: --kubeconfig not given, KUBECONFIG not set and no ~/.kube/config', { code: 'KUBECONFIG_NOT_FOUND', hint: NOT_FOUND_HINT });
  return [fallback];
}

function invalid(file: string, problem: string): UserError {
  return new UserError(`${visibleLine(file)} is not a usable kubeconfig: ${problem}`, {
    code: 'KUBECONFIG_INVALID',
    hint: 'check the file with kubectl config view --kubeconfig FILE',
  });
}

function parseKubeconfig(file: string): Raw {
  const source = readTextCapped(file, { what: 'kubeconfig', maxBytes: CLUSTER_CAPS.kubeconfig });
  let document: unknown;
  try {
    document = parse(source, { maxAliasCount: 64, prettyErrors: false });
  } catch (error) {
    throw invalid(file, visibleLine((error as Error).message.split('\n')[0] ?? 'YAML syntax'));
  }
  if (document === null || document === undefined) return {};
  if (!isRecord(document)) throw invalid(file, 'the document is not a mapping');
  return document;
}

function entries(file: string, document: Raw, list: 'clusters' | 'users' | 'contexts', field: 'cluster' | 'user' | 'context'): Entry[] {
  const value = document[list];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(file, `${list} is not a list`);
  return value.map((item: unknown, index) => {
    if (!isRecord(item) || !text(item.name)) throw invalid(file, `${list}[${index}] has no name`);
    const body = item[field] ?? {};
    if (!isRecord(body)) throw invalid(file, `${list}[${index}].${field} is not a mapping`);
    return { name: item.name as string, body, dir: dirname(resolve(file)) };
  });
}

/** Reads and merges the files (kubectl's rules: the first definition of a name wins). */
export function readKubeconfigs(paths: string[]): KubeconfigFiles {
  const merged: KubeconfigFiles = { clusters: [], users: [], contexts: [], currentContext: null, files: paths };
  const addFirst = (target: Entry[], found: Entry[]) => {
    for (const entry of found) if (!target.some((existing) => existing.name === entry.name)) target.push(entry);
  };
  for (const file of paths) {
    const document = parseKubeconfig(file);
    addFirst(merged.clusters, entries(file, document, 'clusters', 'cluster'));
    addFirst(merged.users, entries(file, document, 'users', 'user'));
    addFirst(merged.contexts, entries(file, document, 'contexts', 'context'));
    merged.currentContext ??= text(document['current-context']) ?? null;
  }
  return merged;
}

const absolute = (dir: string, file: string) => (isAbsolute(file) ? file : join(dir, file));
const fileData = (dir: string, file: string, what: string) => readFileCapped(absolute(dir, file), { what, maxBytes: CLUSTER_CAPS.kubeconfig }).toString('base64');

/** The context's entry, or a user error naming the contexts there are. */
export function selectContext(config: KubeconfigFiles, requested: string | null): Context {
  const name = requested ?? config.currentContext;
  const names = config.contexts.map((context) => visibleLine(context.name)).join(', ') || 'none';
  if (name === null) throw new UserError(`the kubeconfig sets no current-context; its contexts: ${names}`, { code: 'KUBECONFIG_CONTEXT_UNKNOWN', hint: 'pass --context NAME' });
  const entry = config.contexts.find((context) => context.name === name);
  if (!entry)
    throw new UserError(`no context ${visibleLine(name)} in the kubeconfig; its contexts: ${names}`, {
      code: 'KUBECONFIG_CONTEXT_UNKNOWN',
      hint: 'pass --context with one of them',
    });
  const cluster = text(entry.body.cluster);
  const user = text(entry.body.user) ?? '';
  if (!cluster) throw invalid(config.files.join(delimiter), `context ${visibleLine(name)} names no cluster`);
  return { name, cluster, user, ...(text(entry.body.namespace) ? { namespace: entry.body.namespace as string } : {}) };
}

/** The cluster entry as client-node's Cluster, its CA file read (capped) into caData. */
export function materializeCluster(config: KubeconfigFiles, name: string): Cluster {
  const entry = config.clusters.find((cluster) => cluster.name === name);
  if (!entry) throw invalid(config.files.join(delimiter), `no cluster ${visibleLine(name)} (named by the context)`);
  const body = entry.body;
  const server = text(body.server);
  if (!server) throw invalid(config.files.join(delimiter), `cluster ${visibleLine(name)} has no server`);
  const caFile = text(body['certificate-authority']);
  const caData = caFile ? fileData(entry.dir, caFile, 'certificate authority file') : text(body['certificate-authority-data']);
  return {
    name,
    server: server.replace(/\/$/, ''),
    skipTLSVerify: body['insecure-skip-tls-verify'] === true,
    ...(caData ? { caData } : {}),
    ...(text(body['tls-server-name']) ? { tlsServerName: body['tls-server-name'] as string } : {}),
    ...(text(body['proxy-url']) ? { proxyUrl: body['proxy-url'] as string } : {}),
  };
}

/** An exec plugin's command: a relative path with a separator is relative to the kubeconfig (as kubectl resolves it). */
function execConfig(exec: unknown, dir: string): unknown {
  if (!isRecord(exec)) return undefined;
  const command = text(exec.command);
  if (command && command.includes('/') && !isAbsolute(command)) return { ...exec, command: join(dir, command) };
  return exec;
}

/** The user entry as client-node's User: certificate, key and token files read (capped) into data. */
export function materializeUser(config: KubeconfigFiles, name: string): User {
  const entry = config.users.find((user) => user.name === name);
  if (!entry) return { name };
  const body = entry.body;
  const certFile = text(body['client-certificate']);
  const keyFile = text(body['client-key']);
  const tokenFile = text(body['token-file']);
  const certData = certFile ? fileData(entry.dir, certFile, 'client certificate') : text(body['client-certificate-data']);
  const keyData = keyFile ? fileData(entry.dir, keyFile, 'client key') : text(body['client-key-data']);
  const token = text(body.token) ?? (tokenFile ? readTextCapped(absolute(entry.dir, tokenFile), { what: 'token file', maxBytes: CLUSTER_CAPS.kubeconfig }).trim() : undefined);
  const exec = execConfig(body.exec, entry.dir);
  return {
    name,
    ...(certData ? { certData } : {}),
    ...(keyData ? { keyData } : {}),
    ...(token ? { token } : {}),
    ...(exec ? { exec } : {}),
    ...(isRecord(body['auth-provider']) ? { authProvider: body['auth-provider'] } : {}),
    ...(text(body.username) ? { username: body.username as string, password: text(body.password) ?? '' } : {}),
    ...(text(body.as) ? { impersonateUser: body.as as string } : {}),
  };
}
