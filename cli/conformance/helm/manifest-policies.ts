/**
 * Policies over rendered manifests: what every install's Helm output must satisfy whatever the
 * chart. Pure functions of (objects, context); used by the chart tests, `installctl render` tests
 * and `installctl conformance`. Each returns Violations ({ policy, resource: Kind/name | null,
 * message }), the shape of the Pulumi resource policies.
 *
 *   labels               every object (and pod template) has the app.kubernetes.io labels
 *   image-digest         every container image is <registry>/<repository>@sha256:<64 hex>
 *   image-registry       ... and under context.imageRegistry when one is set
 *   restricted-pod       Pod Security "restricted": non-root, RuntimeDefault seccomp, no privilege
 *                        escalation, read-only root filesystem, all capabilities dropped, no host
 *                        namespaces or hostPath volumes; DEVICE_PLUGIN_EXEMPTION lifts exactly
 *                        two of these (root, the kubelet's device-plugin directory) for one DaemonSet
 *   resources            every container requests CPU and memory and limits memory
 *   probes               every long-running container has readiness and liveness probes
 *   disruption-budget    every workload that runs (or scales to) several replicas has a PDB
 *   no-secret-data       no Secret carries data or stringData (credentials come from references)
 *   metadata-egress      no NetworkPolicy lets pods reach a cloud metadata address
 *                        (METADATA_ADDRESSES: 169.254.169.254 and the other credential endpoints)
 *                        nor an IPv6 range, except the metadata server egress the platform's
 *                        descriptor names (gcp: the GKE metadata server, 169.254.169.254 port 80,
 *                        169.254.169.252 port 988)
 *   default-deny-egress  air-gapped: a NetworkPolicy denies all egress of every rendered pod
 *   public-hosts         air-gapped: no string names a public internet host (also inside
 *                        multi-line strings such as embedded config files)
 *   hook-references      a pre-install/pre-upgrade hook (or Argo CD PreSync hook) references no
 *                        Service (env value or argument naming its host), ServiceAccount or
 *                        ConfigMap of the release that is not itself such a hook: hooks run before
 *                        the release's regular objects exist, so the hook would wait forever
 *   endpoint-egress      every endpoint a workload is wired to (context.endpoints: datastores
 *                        with the infrastructure output's host and port, in-cluster model servers,
 *                        the SCM URL's port, token endpoints of workload identity, object stores
 *                        for weights): its client pods have an egress rule for that port to a peer
 *                        that can hold the destination, and are configured with that host and port
 *                        (endpoint-egress.ts)
 *   gpu                  per self-hosted model: its vLLM container limits nvidia.com/gpu to
 *                        tensorParallelSize and runs --tensor-parallel-size to match, the pod
 *                        selects the GPU nodes, tolerates nvidia.com/gpu, mounts a memory-backed
 *                        /dev/shm, has a startup probe, no runtimeClassName "nvidia" on a cloud's
 *                        managed Kubernetes (the platform descriptor's managedKubernetes);
 *                        air-gapped: strict offline environment
 *   postgres-tls         every PostgreSQL client verifies the server with the CAs its platform needs
 *                        (manifest-postgres-tls.ts)
 *
 * metadata-egress, default-deny-egress and public-hosts live in manifest-network-policies.ts;
 * storage-class and model-weights in manifest-storage-policies.ts.
 */
import { pinnedReferenceProblem } from '../../oci/reference.js';
import type { Violation } from '../pulumi/types.js';
import { defaultDenyViolations, metadataEgressViolations, platformFacts, publicHostViolations } from './manifest-network-policies.js';
import { objectRef, type KubeObject } from './helm.js';
import { containersOf, podTemplates, selectorMatches, type Container, type PodTemplate } from './pods.js';
import { endpointEgressViolations, type WiredEndpoint } from './endpoint-egress.js';
import { postgresTlsViolations, type PostgresTlsContext } from './manifest-postgres-tls.js';
import { modelWeightsViolations, storageClassViolations, type ModelFacts } from './manifest-storage-policies.js';

export { cidrContains, METADATA_ADDRESSES } from './manifest-network-policies.js';

export interface ManifestContext {
  network: 'connected' | 'air-gapped';
  /** global.imageRegistry: every image must come from it when set. */
  imageRegistry: string | null;
  /** The charts' global.platform (aws, azure, gcp, or an on-prem distribution): see PlatformCheckFacts.chartPlatforms. */
  platform: string;
  /** Public internet hosts (supportMatrix().publicHosts()). */
  publicHosts: readonly string[];
  /** Self-hosted models the manifests must serve (role and claim: the model-weights policy, manifest-storage-policies.ts). */
  models?: readonly ModelFacts[];
  /** The GPU node label the model pods must select. */
  gpuSelector?: { key: string; value: string };
  /** The endpoints this chart's workloads are wired to (cli/conformance/wired-endpoints.ts): endpoint-egress. */
  endpoints?: readonly WiredEndpoint[];
  /** How the cell's PostgreSQL clients verify the server; absent: postgres-tls checks the shape only. */
  postgresTls?: PostgresTlsContext;
  /** The storage classes the cell's stack or prerequisites provide (stacks/decisions/storage.ts); absent: storage-class is not checked. */
  storageClasses?: readonly string[];
}

export const REQUIRED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
] as const;

/** Environment of a vLLM container in an air-gapped install. */
export const OFFLINE_ENV: Readonly<Record<string, string>> = { HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', VLLM_NO_USAGE_STATS: '1', DO_NOT_TRACK: '1' };

function labelViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[]): Violation[] {
  const violations: Violation[] = [];
  const check = (resource: string, where: string, labels: Record<string, string> | undefined) => {
    const missing = REQUIRED_LABELS.filter((label) => typeof labels?.[label] !== 'string' || labels[label] === '');
    if (missing.length > 0) violations.push({ policy: 'labels', resource, message: `${where} lacks ${missing.join(', ')}` });
  };
  for (const object of objects) check(objectRef(object), 'metadata', object.metadata.labels);
  for (const template of templates) check(template.owner, 'the pod template', template.labels);
  return violations;
}

function imageViolations(templates: readonly PodTemplate[], imageRegistry: string | null): Violation[] {
  const violations: Violation[] = [];
  const prefix = imageRegistry ? `${imageRegistry.replace(/\/+$/, '')}/` : null;
  for (const template of templates) {
    for (const { container } of containersOf(template.spec)) {
      const image = container.image ?? '';
      if (pinnedReferenceProblem(image) !== null)
        violations.push({
          policy: 'image-digest',
          resource: template.owner,
          message: `container ${container.name}: image ${JSON.stringify(image)} is not <registry>/<repository>@sha256:<64 hex>`,
        });
      if (prefix && !image.startsWith(prefix))
        violations.push({
          policy: 'image-registry',
          resource: template.owner,
          message: `container ${container.name}: image ${image} is not under the image registry ${imageRegistry}`,
        });
    }
  }
  return violations;
}

/**
 * The only exemption from restricted-pod. A device plugin registers with the kubelet through a
 * socket in the kubelet's own directory, which only root may write: a DaemonSet carrying this
 * annotation (and a non-empty reason) may run as root and mount exactly that hostPath. Nothing
 * else is lifted: no other hostPath, privilege, escalation, capability or host namespace.
 */
export const DEVICE_PLUGIN_EXEMPTION = {
  annotation: 'installctl.dev/pod-security-exemption',
  value: 'nvidia-device-plugin',
  reasonAnnotation: 'installctl.dev/pod-security-exemption-reason',
  hostPath: '/var/lib/kubelet/device-plugins',
} as const;

function devicePluginExempt(template: PodTemplate): boolean {
  const annotations = template.object.metadata.annotations ?? {};
  const reason = annotations[DEVICE_PLUGIN_EXEMPTION.reasonAnnotation];
  return (
    template.object.kind === 'DaemonSet' && annotations[DEVICE_PLUGIN_EXEMPTION.annotation] === DEVICE_PLUGIN_EXEMPTION.value && typeof reason === 'string' && reason.trim() !== ''
  );
}

function restrictedViolations(templates: readonly PodTemplate[]): Violation[] {
  const violations: Violation[] = [];
  for (const template of templates) {
    const spec = template.spec;
    const pod = spec.securityContext ?? {};
    const exempt = devicePluginExempt(template);
    const fail = (message: string) => violations.push({ policy: 'restricted-pod', resource: template.owner, message });
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[field] === true) fail(`${field} is set`);
    for (const volume of spec.volumes ?? [])
      if (volume.hostPath && !(exempt && volume.hostPath.path === DEVICE_PLUGIN_EXEMPTION.hostPath)) fail(`volume ${volume.name} is a hostPath`);
    const podSeccomp = pod.seccompProfile?.type;
    if (podSeccomp !== undefined && podSeccomp !== 'RuntimeDefault' && podSeccomp !== 'Localhost') fail(`pod seccompProfile ${podSeccomp}`);
    if (pod.runAsUser === 0 && !exempt) fail('pod runAsUser is 0');
    for (const { container } of containersOf(spec)) {
      const own = container.securityContext ?? {};
      const name = `container ${container.name}`;
      if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true && !exempt) fail(`${name}: runAsNonRoot is not true`);
      if (own.runAsUser === 0 && !exempt) fail(`${name}: runAsUser is 0`);
      const seccomp = own.seccompProfile?.type ?? podSeccomp;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') fail(`${name}: seccompProfile is not RuntimeDefault`);
      if (own.allowPrivilegeEscalation !== false) fail(`${name}: allowPrivilegeEscalation is not false`);
      if (own.privileged === true) fail(`${name}: privileged`);
      if (own.readOnlyRootFilesystem !== true) fail(`${name}: readOnlyRootFilesystem is not true`);
      const drop: unknown[] = own.capabilities?.drop ?? [];
      if (!drop.includes('ALL')) fail(`${name}: capabilities.drop lacks ALL`);
      const added = ((own.capabilities?.add ?? []) as string[]).filter((capability) => capability !== 'NET_BIND_SERVICE');
      if (added.length > 0) fail(`${name}: adds capabilities ${added.join(', ')}`);
    }
  }
  return violations;
}

function resourceViolations(templates: readonly PodTemplate[]): Violation[] {
  const violations: Violation[] = [];
  for (const template of templates) {
    for (const { container, init } of containersOf(template.spec)) {
      const requests = container.resources?.requests ?? {};
      const missing = [
        requests.cpu === undefined && 'requests.cpu',
        requests.memory === undefined && 'requests.memory',
        container.resources?.limits?.memory === undefined && 'limits.memory',
      ].filter(Boolean);
      if (missing.length > 0) violations.push({ policy: 'resources', resource: template.owner, message: `container ${container.name}: no ${missing.join(', ')}` });
      if (!init && template.longRunning && (!container.readinessProbe || !container.livenessProbe)) {
        violations.push({ policy: 'probes', resource: template.owner, message: `container ${container.name}: needs readiness and liveness probes` });
      }
    }
  }
  return violations;
}

function disruptionViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[]): Violation[] {
  const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget').map((object) => (object.spec as any)?.selector);
  const scaledTo = new Map<string, number>();
  for (const object of objects) {
    const spec = object.spec as any;
    if (object.kind === 'HorizontalPodAutoscaler') scaledTo.set(`${spec?.scaleTargetRef?.kind}/${spec?.scaleTargetRef?.name}`, Number(spec?.maxReplicas ?? 1));
    if (object.kind === 'ScaledObject') scaledTo.set(`${spec?.scaleTargetRef?.kind ?? 'Deployment'}/${spec?.scaleTargetRef?.name}`, Number(spec?.maxReplicaCount ?? 100));
  }
  const violations: Violation[] = [];
  for (const template of templates) {
    if (!template.longRunning || template.object.kind === 'DaemonSet') continue;
    const replicas = Math.max(Number((template.object.spec as any)?.replicas ?? 1), scaledTo.get(template.owner) ?? 0);
    if (replicas > 1 && !budgets.some((selector) => selectorMatches(selector, template.labels))) {
      violations.push({ policy: 'disruption-budget', resource: template.owner, message: `runs up to ${replicas} replicas without a PodDisruptionBudget` });
    }
  }
  return violations;
}

function secretViolations(objects: readonly KubeObject[]): Violation[] {
  return objects
    .filter((object) => object.kind === 'Secret' && (Object.keys((object.data as object) ?? {}).length > 0 || Object.keys((object.stringData as object) ?? {}).length > 0))
    .map((object) => ({
      policy: 'no-secret-data',
      resource: objectRef(object),
      message: 'a Secret with data/stringData puts credentials in the manifests; reference an existing Secret or an ExternalSecret',
    }));
}

const EARLY_HELM_HOOKS = new Set(['pre-install', 'pre-upgrade']);

/** Whether the object runs before the release's regular objects exist (Helm pre-install/pre-upgrade, Argo CD PreSync). */
export function isEarlyHook(object: KubeObject): boolean {
  const annotations = object.metadata.annotations ?? {};
  const helm = String(annotations['helm.sh/hook'] ?? '')
    .split(',')
    .map((hook) => hook.trim());
  return helm.some((hook) => EARLY_HELM_HOOKS.has(hook)) || annotations['argocd.argoproj.io/hook'] === 'PreSync';
}

/** The host a string names: a URL's host, else the string before any port or path. */
function hostIn(value: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#@]+@)?([^/:?#]+)/i.exec(value);
  return (url ? url[2]! : value.split(/[:/]/)[0]!).toLowerCase();
}

function hookReferenceViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[]): Violation[] {
  const regular = (kind: string) => new Set(objects.filter((object) => object.kind === kind && !isEarlyHook(object)).map((object) => object.metadata.name));
  const services = regular('Service');
  const accounts = regular('ServiceAccount');
  const configMaps = regular('ConfigMap');
  const violations: Violation[] = [];
  for (const template of templates.filter((candidate) => isEarlyHook(candidate.object))) {
    const fail = (message: string) => violations.push({ policy: 'hook-references', resource: template.owner, message: `${message}, which is created only after the hooks ran` });
    const account = template.spec.serviceAccountName as string | undefined;
    if (account && accounts.has(account)) fail(`runs as ServiceAccount ${account}`);
    for (const volume of template.spec.volumes ?? []) {
      const names = [volume.configMap?.name, ...((volume.projected?.sources ?? []) as any[]).map((source) => source.configMap?.name)];
      for (const name of names) if (name && configMaps.has(name)) fail(`mounts ConfigMap ${name}`);
    }
    for (const { container } of containersOf(template.spec)) {
      const values = [...(container.command ?? []), ...(container.args ?? [])].map(String);
      for (const variable of container.env ?? []) {
        if (typeof variable.value === 'string') values.push(variable.value);
        const ref = (variable.valueFrom as any)?.configMapKeyRef?.name;
        if (ref && configMaps.has(ref)) fail(`container ${container.name}: ${variable.name} reads ConfigMap ${ref}`);
      }
      for (const source of (container.envFrom ?? []) as any[])
        if (source.configMapRef?.name && configMaps.has(source.configMapRef.name)) fail(`container ${container.name}: reads ConfigMap ${source.configMapRef.name}`);
      for (const value of values) {
        const host = hostIn(value);
        // <service>, <service>.<namespace>, <service>.<namespace>.svc.cluster.local
        const service = [...services].find((name) => host === name || host.startsWith(`${name}.`));
        if (service) fail(`container ${container.name}: ${JSON.stringify(value)} names Service ${service}`);
      }
    }
  }
  return violations;
}

function argValue(container: Container, flag: string): string | undefined {
  const args = [...(container.command ?? []), ...(container.args ?? [])].map(String);
  const index = args.indexOf(flag);
  if (index >= 0) return args[index + 1];
  return args.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

function gpuViolations(templates: readonly PodTemplate[], context: ManifestContext): Violation[] {
  const violations: Violation[] = [];
  for (const model of context.models ?? []) {
    const serving = templates.flatMap((template) =>
      (template.spec.containers ?? []).filter((container) => argValue(container, '--served-model-name') === model.name).map((container) => ({ template, container })),
    );
    if (serving.length === 0) {
      violations.push({ policy: 'gpu', resource: null, message: `no vLLM container serves model ${model.name} (--served-model-name)` });
      continue;
    }
    for (const { template, container } of serving) {
      const fail = (message: string) => violations.push({ policy: 'gpu', resource: template.owner, message: `model ${model.name}: ${message}` });
      const gpus = Number(container.resources?.limits?.['nvidia.com/gpu']);
      if (gpus !== model.tensorParallelSize)
        fail(`limits nvidia.com/gpu is ${container.resources?.limits?.['nvidia.com/gpu'] ?? 'unset'}, tensorParallelSize is ${model.tensorParallelSize}`);
      const tp = argValue(container, '--tensor-parallel-size');
      if (Number(tp ?? 1) !== model.tensorParallelSize) fail(`--tensor-parallel-size is ${tp ?? 'unset (1)'}, expected ${model.tensorParallelSize}`);
      if (context.gpuSelector && template.spec.nodeSelector?.[context.gpuSelector.key] !== context.gpuSelector.value) {
        fail(`nodeSelector ${context.gpuSelector.key} is ${template.spec.nodeSelector?.[context.gpuSelector.key] ?? 'unset'}, expected ${context.gpuSelector.value}`);
      }
      if (!(template.spec.tolerations ?? []).some((toleration) => toleration.key === 'nvidia.com/gpu' && (toleration.operator === 'Exists' || toleration.operator === 'Equal')))
        fail('no toleration for the nvidia.com/gpu taint');
      const shm = (container.volumeMounts ?? []).find((mount) => mount.mountPath === '/dev/shm');
      const shmVolume = (template.spec.volumes ?? []).find((volume) => volume.name === shm?.name);
      if (shmVolume?.emptyDir?.medium !== 'Memory') fail('no memory-backed emptyDir at /dev/shm (NCCL needs more than 64 MiB)');
      if (!container.startupProbe) fail('no startupProbe: liveness would kill the pod while weights load');
      if (platformFacts(context.platform)?.managedKubernetes && template.spec.runtimeClassName === 'nvidia') fail(`runtimeClassName nvidia does not exist on ${context.platform}`);
      if (context.network === 'air-gapped') {
        const env = new Map((container.env ?? []).map((variable) => [variable.name, variable.value]));
        const missing = Object.entries(OFFLINE_ENV)
          .filter(([name, value]) => env.get(name) !== value)
          .map(([name, value]) => `${name}=${value}`);
        if (missing.length > 0) fail(`air-gapped without ${missing.join(', ')}`);
      }
    }
  }
  return violations;
}

export function checkManifests(objects: readonly KubeObject[], context: ManifestContext): Violation[] {
  const templates = podTemplates(objects);
  const violations = [
    ...labelViolations(objects, templates),
    ...imageViolations(templates, context.imageRegistry),
    ...restrictedViolations(templates),
    ...resourceViolations(templates),
    ...disruptionViolations(objects, templates),
    ...secretViolations(objects),
    ...metadataEgressViolations(objects, context.platform),
    ...hookReferenceViolations(objects, templates),
    ...gpuViolations(templates, context),
    ...endpointEgressViolations(objects, context.endpoints ?? []),
    ...postgresTlsViolations(objects, templates, context.postgresTls),
    ...storageClassViolations(objects, templates, context.storageClasses),
    ...modelWeightsViolations(objects, templates, context.models),
  ];
  if (context.network === 'air-gapped') violations.push(...defaultDenyViolations(objects, templates), ...publicHostViolations(objects, context.publicHosts));
  return violations;
}
