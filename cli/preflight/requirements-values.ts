/**
 * What the merged chart values (vendor base + customer layer) ask of a cluster: the Secrets and
 * ConfigMaps they reference and the keys they read, the claims and their classes, the CPU and
 * memory the pods request, and the CRDs their kinds need. Read from the values, never from a list.
 */
import type { ChartName, Values } from '../emit/charts.js';
import type { KeyedReference } from './types.js';
import { cpuMillis, wholeUnits } from './quantity.js';

const map = (value: unknown): Values => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Values) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A key of a reference object: `key`, or any `<something>Key` (usernameKey, passwordKey). */
const KEY_FIELD = /^(?:key|[a-z][A-Za-z0-9]*Key)$/;

function addReference(found: Map<string, KeyedReference>, namespace: string, name: string, keys: string[], usedBy: string): void {
  const id = `${namespace}/${name}`;
  const entry = found.get(id) ?? { namespace, name, keys: [], usedBy: [] };
  for (const key of keys) if (!entry.keys.includes(key)) entry.keys.push(key);
  if (!entry.usedBy.includes(usedBy)) entry.usedBy.push(usedBy);
  found.set(id, entry);
}

function walk(value: unknown, path: string[], visit: (object: Values, path: string[]) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, String(index)], visit));
  else if (value !== null && typeof value === 'object') {
    visit(value as Values, path);
    for (const [key, child] of Object.entries(value)) walk(child, [...path, key], visit);
  }
}

export interface ValueReferences {
  secrets: KeyedReference[];
  configMaps: KeyedReference[];
}

/**
 * Every {secretName, key | *Key} and {configMapName, key} object with a name, and the ingress TLS
 * Secret the Ingress or Route reads (tls.crt, tls.key) when no cert-manager issuer writes it.
 * Secrets an ExternalSecret of the release creates are left out: they exist only after install.
 */
export function valueReferences(chart: ChartName, values: Values, namespace: string, found: ValueReferences): void {
  const synced = new Set(list(values.externalSecrets).map((entry) => text(map(entry).name)));
  const secrets = new Map(found.secrets.map((entry) => [`${entry.namespace}/${entry.name}`, entry]));
  const configMaps = new Map(found.configMaps.map((entry) => [`${entry.namespace}/${entry.name}`, entry]));
  walk(values, [], (object, path) => {
    const keys = Object.entries(object)
      .filter(([field, value]) => KEY_FIELD.test(field) && typeof value === 'string' && value !== '')
      .map(([, value]) => value as string);
    const where = `${chart}: ${path.join('.')}`;
    const secretName = text(object.secretName);
    if (secretName && keys.length && !synced.has(secretName)) addReference(secrets, namespace, secretName, keys, where);
    const configMapName = text(object.configMapName);
    if (configMapName && keys.length) addReference(configMaps, namespace, configMapName, keys, where);
  });
  const ingress = map(values.ingress);
  const tls = map(ingress.tls);
  const issuer = text(map(tls.certManager).issuer);
  const className = text(ingress.className);
  if (chart === 'agent-platform' && enabledIngress(ingress) && text(tls.secretName) && !issuer && className !== 'alb' && !synced.has(text(tls.secretName))) {
    addReference(secrets, namespace, text(tls.secretName), ['tls.crt', 'tls.key'], `${chart}: ingress.tls.secretName`);
  }
  found.secrets = [...secrets.values()];
  found.configMaps = [...configMaps.values()];
}

const enabledIngress = (ingress: Values) => ingress.enabled === true;

export interface PodRequest {
  /** chart: component (or model name). */
  workload: string;
  replicas: number;
  cpuMillis: number;
  memoryBytes: number;
}

function requestOf(workload: string, replicas: unknown, resources: unknown): PodRequest {
  const requests = map(map(resources).requests);
  return {
    workload,
    replicas: typeof replicas === 'number' ? replicas : 1,
    cpuMillis: cpuMillis(String(requests.cpu ?? '0')) ?? 0,
    memoryBytes: wholeUnits(String(requests.memory ?? '0')) ?? 0,
  };
}

/** The agent-platform pods and what each requests (replicas x resources.requests, as the templates read them). */
export function platformPodRequests(values: Values): PodRequest[] {
  const pods: PodRequest[] = [];
  for (const component of ['portal', 'api', 'aiGateway', 'identity', 'indexer', 'gitGateway']) {
    const settings = map(values[component]);
    pods.push(requestOf(`agent-platform: ${component}`, settings.replicas, settings.resources));
  }
  const agents = map(values.agents);
  for (const worker of list(agents.workers).map(map))
    pods.push(requestOf(`agent-platform: agent ${text(worker.name)}`, worker.replicas ?? 1, worker.resources ?? agents.resources));
  for (const store of ['postgres', 'redis', 'rabbitmq']) {
    const settings = map(values[store]);
    if (settings.mode === 'bundled') pods.push(requestOf(`agent-platform: ${store} (bundled)`, 1, map(settings.bundled).resources));
  }
  pods.push(requestOf('agent-platform: migrations job', 1, map(values.migrations).resources));
  return pods.filter((pod) => pod.replicas > 0);
}

export interface ModelRequest extends PodRequest {
  gpuCount: number;
  tensorParallelSize: number;
}

/** Each model's Deployment: replicas, GPUs per replica (tensor-parallel size) and CPU/memory per replica (the model's resources, else defaults). */
export function modelRequests(values: Values): ModelRequest[] {
  const defaults = map(values.defaults);
  return list(values.models)
    .map(map)
    .map((model) => ({
      ...requestOf(text(model.name), model.replicas ?? defaults.replicas, model.resources ?? defaults.resources),
      gpuCount: Number(model.gpuCount ?? 0),
      tensorParallelSize: Number(model.tensorParallelSize ?? 0),
    }));
}

export interface StorageClaim {
  /** '' when the claim names no class: the cluster's default class then. */
  storageClass: string;
  namespace: string;
  usedBy: string;
}

const FETCHED = ['oci', 's3', 'gcs', 'azure-blob', 'hf'];

/** Every claim the releases create and the class it names. */
export function storageClaims(chart: ChartName, values: Values, namespace: string): StorageClaim[] {
  const claims: StorageClaim[] = [];
  const claim = (storage: unknown, usedBy: string) => claims.push({ storageClass: text(map(storage).storageClass), namespace, usedBy: `${chart}: ${usedBy}` });
  if (chart === 'agent-platform') {
    // 2026.12.0 renamed gitGateway.storage to gitGateway.persistence; the chart reads persistence when it is set.
    const gitGateway = map(values.gitGateway);
    if (gitGateway.persistence !== undefined) claim(gitGateway.persistence, 'gitGateway.persistence');
    else claim(gitGateway.storage, 'gitGateway.storage');
    for (const store of ['postgres', 'redis', 'rabbitmq']) {
      const settings = map(values[store]);
      if (settings.mode === 'bundled') claim(map(settings.bundled).storage, `${store}.bundled.storage`);
    }
    return claims;
  }
  const defaults = map(map(values.defaults).weightsVolume);
  list(values.models)
    .map(map)
    .forEach((model, index) => {
      const weights = map(model.weights);
      if (map(weights.create).size !== undefined) claim(weights.create, `models.${index}.weights.create`);
      const volume = { ...defaults, ...map(model.weightsVolume) };
      if (FETCHED.includes(text(weights.source)) && volume.type === 'ephemeral') claim(volume, `models.${index}.weightsVolume (${text(model.name)})`);
    });
  return claims;
}

export interface CrdNeed {
  name: string;
  version: string;
  reason: string;
}

const STORE_CRDS: Record<string, string> = { ClusterSecretStore: 'clustersecretstores.external-secrets.io', SecretStore: 'secretstores.external-secrets.io' };

/** The CRDs the values need: ExternalSecrets (and the store kind they read), cert-manager's issuer kind, KEDA's ScaledObject. */
export function crdNeeds(chart: ChartName, values: Values): CrdNeed[] {
  const needs: CrdNeed[] = [];
  const external = list(values.externalSecrets).map(map);
  if (external.length) {
    const names = external.map((entry) => text(entry.name)).join(', ');
    needs.push({ name: 'externalsecrets.external-secrets.io', version: 'v1', reason: `${chart}: externalSecrets (${names}) are ExternalSecrets` });
    const stores = map(map(values.externalSecretStores).stores);
    for (const entry of external) {
      const store = map(stores[text(entry.store)]);
      const crd = STORE_CRDS[text(store.kind)];
      if (crd) needs.push({ name: crd, version: 'v1', reason: `${chart}: externalSecrets ${text(entry.name)} reads the ${text(store.kind)} ${text(store.name)}` });
    }
  }
  const certManager = map(map(map(values.ingress).tls).certManager);
  if (chart === 'agent-platform' && text(certManager.issuer)) {
    const kind = text(certManager.kind) || 'ClusterIssuer';
    needs.push({ name: 'certificates.cert-manager.io', version: 'v1', reason: `${chart}: ingress.tls.certManager issues the TLS certificate` });
    needs.push({
      name: kind === 'Issuer' ? 'issuers.cert-manager.io' : 'clusterissuers.cert-manager.io',
      version: 'v1',
      reason: `${chart}: ingress.tls.certManager.issuer ${text(certManager.issuer)} is a ${kind}`,
    });
  }
  if (chart === 'model-server' && map(map(values.autoscaling).keda).enabled === true)
    needs.push({ name: 'scaledobjects.keda.sh', version: 'v1alpha1', reason: `${chart}: autoscaling.keda is a ScaledObject` });
  return needs;
}
