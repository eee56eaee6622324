/**
 * From a kubeconfig to a connection: the context chosen (--context, else current-context), its
 * cluster and user loaded into client-node's KubeConfig (token, exec plugin, client certificate, CA
 * data or file all work), TLS verification never switched off unless asked for, and API clients
 * whose requests go to the cluster's origin only (./http.ts). Nothing is sent here: collectEvidence
 * asks /version first and turns an unreachable server or refused credentials into a user error.
 */
import { createConfiguration, KubeConfig, ServerConfiguration, type Cluster, type Configuration } from '@kubernetes/client-node';
import { UserError } from '../lib/errors.js';
import { visibleLine } from '../lib/visible-text.js';
import { pinnedHttpLibrary } from './http.js';
import { kubeconfigPaths, materializeCluster, materializeUser, readKubeconfigs, selectContext } from './kubeconfig.js';

export interface ConnectOptions {
  /** --kubeconfig FILE; null: KUBECONFIG, then ~/.kube/config. */
  kubeconfig: string | null;
  /** --context NAME; null: the kubeconfig's current-context. */
  context: string | null;
  /** --insecure-skip-tls-verify: accept insecure-skip-tls-verify, and plain http:// off the loopback. */
  allowInsecure: boolean;
  env: NodeJS.ProcessEnv;
  /** Deadline of each request (default 15 s; tests use less). */
  requestTimeoutMs?: number;
}

/** The constructor of a typed client-node API (CoreV1Api, AppsV1Api ...). */
export type ApiType<T> = new (configuration: Configuration) => T;

export interface ClusterConnection {
  kubeConfig: KubeConfig;
  context: string | null;
  /** The API server's origin (scheme://host:port): no path, no credentials. */
  server: string;
  /** A typed API client whose requests go to `server` only, never follow a redirect and are size-capped. */
  api<T>(type: ApiType<T>): T;
}

const DEFAULT_TIMEOUT_MS = 15_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function serverUrl(cluster: Cluster): URL {
  try {
    const url = new URL(cluster.server);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(url.protocol);
    if (url.username || url.password) throw new Error('credentials in the URL');
    return url;
  } catch (error) {
    throw new UserError(`the cluster ${visibleLine(cluster.name)} has no usable server URL (${visibleLine((error as Error).message)})`, {
      code: 'KUBECONFIG_INVALID',
      hint: 'the server is https://HOST[:PORT] in the kubeconfig',
    });
  }
}

/**
 * TLS verification off, or credentials in clear text to another machine: refused unless asked for.
 * A loopback http:// server (kubectl proxy) is accepted; client-node wants skipTLSVerify set to
 * speak http at all, which means nothing there is no TLS.
 */
function checkTransport(cluster: Cluster, url: URL, allowInsecure: boolean): Cluster {
  const refuse = (why: string) =>
    new UserError(`refusing to talk to ${visibleLine(url.origin)}: ${why}`, {
      code: 'KUBECONFIG_INSECURE_REFUSED',
      hint: 'give the cluster its CA (certificate-authority-data) instead; pass --insecure-skip-tls-verify only for a throw-away cluster you trust the network to',
    });
  if (url.protocol === 'http:') {
    if (!LOOPBACK.has(url.hostname) && !allowInsecure)
      throw refuse('plain http:// sends the credentials in clear text (only a loopback server, such as kubectl proxy, is accepted)');
    return { ...cluster, skipTLSVerify: true };
  }
  if (cluster.skipTLSVerify && !allowInsecure) throw refuse('the kubeconfig sets insecure-skip-tls-verify: true, so anyone on the path could answer for the cluster');
  return cluster;
}

export async function connect(options: ConnectOptions): Promise<ClusterConnection> {
  const config = readKubeconfigs(kubeconfigPaths(options.kubeconfig, options.env));
  const context = selectContext(config, options.context);
  const loaded = materializeCluster(config, context.cluster);
  const url = serverUrl(loaded);
  const cluster = checkTransport(loaded, url, options.allowInsecure);
  const user = materializeUser(config, context.user);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: [cluster], users: [user], contexts: [{ ...context, user: user.name }], currentContext: context.name });
  const httpApi = pinnedHttpLibrary({ origin: url.origin, timeoutMs: options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS });
  const configuration = createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: kubeConfig }, httpApi });
  return Promise.resolve({
    kubeConfig,
    context: context.name,
    server: url.origin,
    api: <T>(type: ApiType<T>) => new type(configuration),
  });
}
