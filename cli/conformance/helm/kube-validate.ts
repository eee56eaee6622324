/**
 * Validates rendered Kubernetes objects offline, the way an API server would reject them:
 *  - schema: built-in kinds with kubernetes-models (Kubernetes 1.33 OpenAPI; the model class is
 *    picked by apiVersion/kind, `kubernetes-models/<group>/<version>/<Kind>`, core group
 *    `kubernetes-models/v1/<Kind>`). The package also ships removed pre-release versions
 *    (extensions/v1beta1, policy/v1beta1...): alpha/beta built-in versions are refused, since
 *    1.33 serves none of them by default. The custom resources the charts emit (Route, ExternalSecret,
 *    ScaledObject) with the schemas of custom-resources.ts; any other kind is a problem.
 *    kubernetes-models does not reject unknown fields, so a misspelt optional field passes.
 *  - what the schemas leave to the API server's validation: name formats (DNS-1123 subdomain,
 *    DNS-1035 label for Services, StatefulSet names short enough for the revision label), label
 *    syntax, duplicate objects, container / port / volume names, mounts of undeclared volumes,
 *    probes on undeclared ports, duplicate env names, workload selectors that miss their template.
 *  - references inside the manifest set: Service selectors and named target ports, Ingress and
 *    Route backends, StatefulSet serviceName, HPA / ScaledObject targets, PDB selectors.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { objectRef, type KubeObject } from './helm.js';
import { CUSTOM_RESOURCE_SCHEMAS } from './custom-resources.js';
import { containersOf, podTemplates, selectorMatches, type PodSpec } from './pods.js';

export interface KubeProblem {
  /** Kind/name of the object. */
  object: string;
  message: string;
}

type ModelClass = { new (data: unknown): { validate(): void }; apiVersion: string; kind: string };

const models = new Map<string, Promise<ModelClass | null>>();
const API_VERSION = /^(?:([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/)?(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)$/;

/** The kubernetes-models class for a built-in apiVersion/kind, or null. */
export function modelFor(apiVersion: string, kind: string): Promise<ModelClass | null> {
  const key = `${apiVersion}/${kind}`;
  let found = models.get(key);
  if (!found) {
    const match = API_VERSION.exec(apiVersion);
    const specifier = match && /^[A-Z][A-Za-z0-9]*$/.test(kind) ? `kubernetes-models/${match[1] ? `${match[1]}/` : ''}${match[3]}/${kind}` : null;
    found = specifier
      ? import(specifier).then(
          (module: Record<string, unknown>) => {
            const candidate = module[kind] as ModelClass | undefined;
            return typeof candidate === 'function' && candidate.kind === kind && candidate.apiVersion === apiVersion ? candidate : null;
          },
          () => null,
        )
      : Promise.resolve(null);
    models.set(key, found);
  }
  return found;
}

let ajv: Ajv | null = null;
const customValidators = new Map<string, ValidateFunction>();

function customValidator(apiVersion: string, kind: string): ValidateFunction | null {
  const key = `${apiVersion}/${kind}`;
  const schema = CUSTOM_RESOURCE_SCHEMAS[key];
  if (!schema) return null;
  let validate = customValidators.get(key);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(schema);
    customValidators.set(key, validate);
  }
  return validate;
}

interface SchemaError {
  instancePath?: string;
  message?: string;
}

/** One message per failing path (ajv reports every oneOf branch of a quantity separately). */
function formatErrors(errors: readonly SchemaError[]): string[] {
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    const path = error.instancePath || '/';
    const messages = byPath.get(path) ?? [];
    if (error.message && !messages.includes(error.message)) messages.push(error.message);
    byPath.set(path, messages);
  }
  return [...byPath].map(([path, messages]) => `${path}: ${messages.join('; ')}`);
}

async function schemaProblems(object: KubeObject): Promise<string[]> {
  const custom = customValidator(object.apiVersion, object.kind);
  if (custom) return custom(object) ? [] : formatErrors(custom.errors ?? []);
  if (/(alpha|beta)[0-9]+$/.test(object.apiVersion) && (await modelFor(object.apiVersion, object.kind))) {
    return [`${object.apiVersion} is a pre-release API: removed from Kubernetes 1.33 or not served by default (use the GA version)`];
  }
  const Model = await modelFor(object.apiVersion, object.kind);
  if (!Model) return [`unknown kind ${object.apiVersion} ${object.kind}: neither a Kubernetes 1.33 built-in nor a custom resource with a schema in cli/helm/custom-resources.ts`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    return errors ? formatErrors(errors) : [String((error as Error).message ?? error)];
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function nameProblems(object: KubeObject): string[] {
  const name = object.metadata.name;
  if (object.kind === 'Service')
    return DNS_1035.test(name) && name.length <= 63
      ? []
      : [`Service name ${JSON.stringify(name)} must be a DNS-1035 label (lowercase letters, digits, '-', starting with a letter, at most 63)`];
  const problems = DNS_SUBDOMAIN.test(name) && name.length <= 253 ? [] : [`name ${JSON.stringify(name)} must be a DNS-1123 subdomain`];
  if (object.kind === 'StatefulSet' && name.length > 52)
    problems.push(`StatefulSet name ${JSON.stringify(name)} is longer than 52 characters (its pods' controller-revision-hash label would exceed 63)`);
  return problems;
}

function qualifiedNameProblem(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && !(DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253)) return `key ${JSON.stringify(key)}: prefix must be a DNS subdomain`;
  if (!(LABEL_NAME.test(name) && name.length <= 63)) return `key ${JSON.stringify(key)}: name must be at most 63 alphanumerics, '-', '_' or '.'`;
  return null;
}

function metadataProblems(where: string, metadata: { labels?: Record<string, unknown>; annotations?: Record<string, unknown> } | undefined): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(metadata?.labels ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) problems.push(`${where} label ${keyProblem}`);
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value))
      problems.push(`${where} label ${key}: value ${JSON.stringify(value)} is not a valid label value`);
  }
  for (const [key, value] of Object.entries(metadata?.annotations ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) problems.push(`${where} annotation ${keyProblem}`);
    if (typeof value !== 'string') problems.push(`${where} annotation ${key}: value must be a string`);
  }
  return problems;
}

function podProblems(spec: PodSpec, extraVolumes: readonly string[]): string[] {
  const problems: string[] = [];
  const volumes = new Set<string>(extraVolumes);
  for (const volume of spec.volumes ?? []) {
    if (!DNS_LABEL.test(volume.name)) problems.push(`volume ${JSON.stringify(volume.name)}: name must be a DNS-1123 label`);
    if (volumes.has(volume.name)) problems.push(`volume ${volume.name} is declared twice`);
    volumes.add(volume.name);
  }
  const names = new Set<string>();
  for (const { container } of containersOf(spec)) {
    const name = container.name ?? '?';
    if (!DNS_LABEL.test(name)) problems.push(`container ${JSON.stringify(name)}: name must be a DNS-1123 label`);
    if (names.has(name)) problems.push(`container name ${name} is used twice`);
    names.add(name);
    const ports = new Set<string>();
    for (const port of container.ports ?? []) {
      if (port.name === undefined) continue;
      if (!(PORT_NAME.test(port.name) && port.name.length <= 15 && /[a-z]/.test(port.name) && !port.name.includes('--')))
        problems.push(`container ${name}: port name ${JSON.stringify(port.name)} must be an IANA service name (at most 15)`);
      if (ports.has(port.name)) problems.push(`container ${name}: port name ${port.name} is used twice`);
      ports.add(port.name);
    }
    const mountPaths = new Set<string>();
    for (const mount of container.volumeMounts ?? []) {
      if (!volumes.has(mount.name)) problems.push(`container ${name}: volumeMount ${mount.name} names no volume of the pod`);
      if (mountPaths.has(mount.mountPath)) problems.push(`container ${name}: two volumes are mounted at ${mount.mountPath}`);
      mountPaths.add(mount.mountPath);
    }
    const envNames = new Set<string>();
    for (const variable of container.env ?? []) {
      if (envNames.has(variable.name)) problems.push(`container ${name}: env ${variable.name} is set twice`);
      envNames.add(variable.name);
    }
    for (const probeName of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      const probe = container[probeName];
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
      if (typeof port === 'string' && !ports.has(port)) problems.push(`container ${name}: ${probeName} uses port ${port}, which the container does not declare`);
    }
  }
  return problems;
}

const SELECTED_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export async function validateObjects(objects: readonly KubeObject[]): Promise<KubeProblem[]> {
  const problems: KubeProblem[] = [];
  const add = (object: KubeObject, message: string) => problems.push({ object: objectRef(object), message });
  const seen = new Set<string>();
  const templates = podTemplates(objects);
  const byKindName = (kind: string, name: string) => objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);

  const schemaResults = await Promise.all(objects.map(schemaProblems));
  objects.forEach((object, index) => {
    for (const message of schemaResults[index]!) add(object, message);
    const key = `${object.apiVersion.split('/').slice(0, -1).join('/')}|${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name}`;
    if (seen.has(key)) add(object, 'duplicate object: the same kind and name is rendered twice');
    seen.add(key);
    for (const message of nameProblems(object)) add(object, message);
    for (const message of metadataProblems('metadata', object.metadata)) add(object, message);
    const spec = (object.spec ?? {}) as Record<string, any>;

    if (SELECTED_WORKLOADS.has(object.kind) && spec.template) {
      if (!selectorMatches(spec.selector, spec.template.metadata?.labels ?? {})) add(object, 'spec.selector does not match spec.template.metadata.labels');
    }
    if (object.kind === 'StatefulSet' && spec.serviceName && !byKindName('Service', spec.serviceName))
      add(object, `serviceName ${spec.serviceName} names no Service of the manifests`);
    if (object.kind === 'Service' && spec.selector && Object.keys(spec.selector).length > 0) {
      const selected = templates.filter((template) => selectorMatches({ matchLabels: spec.selector }, template.labels));
      if (selected.length === 0) add(object, 'selector matches no pod template of the manifests');
      for (const port of spec.ports ?? []) {
        if (typeof port.targetPort !== 'string') continue;
        for (const template of selected) {
          const declared = (template.spec.containers ?? []).some((container) => (container.ports ?? []).some((p) => p.name === port.targetPort));
          if (!declared) add(object, `targetPort ${port.targetPort} is not a container port of ${template.owner}`);
        }
      }
    }
    if (object.kind === 'Ingress') {
      const paths = ((spec.rules ?? []) as any[]).flatMap((rule) => rule.http?.paths ?? []);
      for (const backend of [spec.defaultBackend, ...paths.map((path: any) => path.backend)]) {
        const service = backend?.service;
        if (!service) continue;
        const target = byKindName('Service', service.name);
        if (!target) add(object, `backend Service ${service.name} is not in the manifests`);
        else if (!((target.spec as any)?.ports ?? []).some((p: any) => p.name === service.port?.name || p.port === service.port?.number))
          add(object, `backend Service ${service.name} has no port ${service.port?.name ?? service.port?.number}`);
      }
    }
    if (object.kind === 'Route') {
      const target = byKindName('Service', spec.to?.name);
      if (!target) add(object, `spec.to Service ${spec.to?.name} is not in the manifests`);
      else if (spec.port && !((target.spec as any)?.ports ?? []).some((p: any) => p.name === spec.port.targetPort || p.targetPort === spec.port.targetPort))
        add(object, `Service ${spec.to.name} has no port ${spec.port.targetPort}`);
    }
    if (object.kind === 'HorizontalPodAutoscaler' || object.kind === 'ScaledObject') {
      const ref = spec.scaleTargetRef ?? {};
      if (!byKindName(ref.kind ?? 'Deployment', ref.name)) add(object, `scaleTargetRef ${ref.kind ?? 'Deployment'}/${ref.name} is not in the manifests`);
    }
    if (object.kind === 'PodDisruptionBudget' && !templates.some((template) => template.longRunning && selectorMatches(spec.selector, template.labels))) {
      add(object, 'selector matches no workload of the manifests');
    }
  });

  for (const template of templates) {
    const object = template.object;
    const claimTemplates = object.kind === 'StatefulSet' ? (((object.spec as any)?.volumeClaimTemplates ?? []) as any[]).map((claim) => String(claim.metadata?.name)) : [];
    for (const message of podProblems(template.spec, claimTemplates)) add(object, message);
    for (const message of metadataProblems('pod template', { labels: template.labels })) add(object, message);
  }
  return problems;
}
