/**
 * What --active probes from inside the cluster: one image the release runs, by digest, from where
 * the render pulls it (the mirror's path with global.imageRegistry, as images.txt names it); the
 * hosts the install connects to (SCM, external datastores, the model endpoint; through an egress
 * proxy only the proxy and what noProxy exempts); and, air-gapped, a public host that must stay
 * unreachable.
 */
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import type { Values } from '../emit/charts.js';
import { chartImageKeys, imageOf } from '../emit/charts.js';
import { scmOf } from '../dimensions/index.js';
import { supportMatrix } from '../matrix/engine.js';
import type { ActivePlan } from './types.js';

const SAAS_MODEL_HOSTS: Record<string, string> = { anthropic: 'api.anthropic.com', openai: 'api.openai.com', 'google-gemini': 'generativelanguage.googleapis.com' };

const map = (value: unknown): Values => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Values) : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** host and port of a URL (default port by scheme); null when it does not parse. */
export function urlEndpoint(url: string): { host: string; port: number } | null {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
    return parsed.hostname ? { host: parsed.hostname.replace(/^\[|\]$/g, ''), port } : null;
  } catch {
    return null;
  }
}

/** The image the probe pulls: the first the agent-platform release runs, as its template writes it (global.imageRegistry replaces the registry). */
function probeImage(values: Values): string {
  const key = chartImageKeys('agent-platform', values)[0]!;
  const image = imageOf('agent-platform', values, key);
  const registry = text(map(values.global).imageRegistry) || image.registry;
  return `${registry.replace(/\/$/, '')}/${image.repository}@${image.digest}`;
}

function modelEndpoint(values: Values): { host: string; port: number } | null {
  const backend = map(values.aiGatewayBackend);
  const type = text(backend.type);
  const baseUrl = text(backend.baseUrl);
  if (type === 'in-cluster') return null;
  if (baseUrl) return urlEndpoint(baseUrl);
  const region = text(backend.region);
  if (type === 'saas-api') return SAAS_MODEL_HOSTS[text(backend.provider)] ? { host: SAAS_MODEL_HOSTS[text(backend.provider)]!, port: 443 } : null;
  if (type === 'bedrock' && region) return { host: `bedrock-runtime.${region}.amazonaws.com`, port: 443 };
  if (type === 'vertex' && region) return { host: `${region}-aiplatform.googleapis.com`, port: 443 };
  return null;
}

function datastoreEndpoints(values: Values): Array<{ id: string; host: string; port: number }> {
  const endpoints: Array<{ id: string; host: string; port: number }> = [];
  for (const store of ['postgres', 'redis', 'rabbitmq']) {
    const settings = map(values[store]);
    // Bundled stores do not exist before install; managed ones get their host from the infrastructure layer.
    if (settings.mode === 'external' && text(settings.host)) endpoints.push({ id: store, host: text(settings.host), port: Number(settings.port) });
  }
  return endpoints;
}

/** noProxy entries: a host, a .domain suffix, or a domain and its subdomains. */
function bypassesProxy(host: string, noProxy: string): boolean {
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => (entry.startsWith('.') ? host.endsWith(entry) : host === entry || host.endsWith(`.${entry}`)));
}

export function activePlanFor(install: Install, settings: InstallSettings, platformValues: Values, pullSecret: string | null): ActivePlan {
  const endpoints: Array<{ id: string; host: string; port: number }> = [];
  const scm = urlEndpoint(scmOf(install.spec.scm).emit.serverUrl(install.spec.scm));
  if (scm) endpoints.push({ id: 'scm', ...scm });
  endpoints.push(...datastoreEndpoints(platformValues));
  const model = modelEndpoint(platformValues);
  if (model) endpoints.push({ id: 'model-endpoint', ...model });
  const proxy = map(map(platformValues.global).proxy);
  const proxyEndpoint = text(proxy.httpsProxy) ? urlEndpoint(text(proxy.httpsProxy)) : null;
  const direct = proxyEndpoint ? endpoints.filter((endpoint) => bypassesProxy(endpoint.host.toLowerCase(), text(proxy.noProxy))) : endpoints;
  return {
    image: probeImage(platformValues),
    pullSecret,
    endpoints: [...(proxyEndpoint ? [{ id: 'egress-proxy', ...proxyEndpoint }] : []), ...direct],
    publicHost: settings.network.mode === 'air-gapped' ? (supportMatrix().publicHosts()[0] ?? null) : null,
  };
}
