/** Unit tests of cli/helm/manifest-policies.ts on hand-made objects: each policy passes a good set and catches its bad case. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cli/conformance/helm/helm.js';
import { PLATFORMS } from '../../cli/dimensions/index.js';
import { checkManifests, cidrContains, DEVICE_PLUGIN_EXEMPTION, METADATA_ADDRESSES, type ManifestContext } from '../../cli/conformance/helm/manifest-policies.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const labels = (component: string) => ({
  'app.kubernetes.io/name': 'demo',
  'app.kubernetes.io/instance': 'rel',
  'app.kubernetes.io/version': '1.0.0',
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'agent-platform',
  'app.kubernetes.io/managed-by': 'Helm',
});
const restricted = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

function vllmContainer(tp: number): Record<string, any> {
  return {
    name: 'vllm',
    image: `registry.acme.internal/vendor/vllm@${DIGEST}`,
    args: ['/models', '--served-model-name', 'coder', '--tensor-parallel-size', String(tp)],
    env: [
      { name: 'HF_HUB_OFFLINE', value: '1' },
      { name: 'TRANSFORMERS_OFFLINE', value: '1' },
      { name: 'VLLM_NO_USAGE_STATS', value: '1' },
      { name: 'DO_NOT_TRACK', value: '1' },
    ],
    resources: { requests: { cpu: '4', memory: '48Gi' }, limits: { memory: '64Gi', 'nvidia.com/gpu': tp } },
    readinessProbe: { httpGet: { path: '/health', port: 8000 } },
    livenessProbe: { httpGet: { path: '/version', port: 8000 }, periodSeconds: 30 },
    startupProbe: { httpGet: { path: '/health', port: 8000 }, failureThreshold: 180 },
    securityContext: restricted,
    volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
  };
}

/** A model Deployment (2 replicas), its PDB, a default-deny NetworkPolicy and a ConfigMap: all policies hold. */
function good(): KubeObject[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coder', labels: labels('model') },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/instance': 'rel', 'app.kubernetes.io/component': 'model' } },
        template: {
          metadata: { labels: labels('model') },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            nodeSelector: { 'node.kubernetes.io/instance-type': 'p5.48xlarge' },
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
            initContainers: [{ name: 'fetch', image: `registry.acme.internal/vendor/fetcher@${DIGEST}`, resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '2Gi' } }, securityContext: restricted }],
            containers: [vllmContainer(4)],
            volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } }],
          },
        },
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'coder', labels: labels('model') }, spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/component': 'model' } } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', labels: labels('network-policy') }, spec: { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'rel' } }, policyTypes: ['Ingress', 'Egress'] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', labels: labels('config') }, data: { 'config.yaml': 'endpoint: https://models.acme.internal/v1\n' } },
  ];
}

const airGapped: ManifestContext = {
  network: 'air-gapped',
  imageRegistry: 'registry.acme.internal',
  platform: 'aws',
  publicHosts: ['huggingface.co', 'api.openai.com', 'docker.io'],
  models: [{ name: 'coder', tensorParallelSize: 4 }],
  gpuSelector: { key: 'node.kubernetes.io/instance-type', value: 'p5.48xlarge' },
};

const deployment = (objects: KubeObject[]) => objects[0] as any;
const pod = (objects: KubeObject[]) => deployment(objects).spec.template.spec;
const vllm = (objects: KubeObject[]) => pod(objects).containers[0];

function violations(mutate: (objects: KubeObject[]) => void, context: ManifestContext = airGapped) {
  const objects = good();
  mutate(objects);
  return checkManifests(objects, context);
}
const policies = (found: ReturnType<typeof violations>) => [...new Set(found.map((violation) => violation.policy))];

describe('checkManifests', () => {
  it('passes the good objects (air-gapped and connected)', () => {
    expect(checkManifests(good(), airGapped)).toEqual([]);
    expect(checkManifests(good(), { ...airGapped, network: 'connected', imageRegistry: null })).toEqual([]);
  });

  it('labels: an object or pod template without the app.kubernetes.io labels', () => {
    const found = violations((objects) => {
      delete objects[3]!.metadata.labels!['app.kubernetes.io/part-of'];
      delete deployment(objects).spec.template.metadata.labels['app.kubernetes.io/version'];
    });
    expect(found).toEqual([
      { policy: 'labels', resource: 'ConfigMap/config', message: 'metadata lacks app.kubernetes.io/part-of' },
      { policy: 'labels', resource: 'Deployment/coder', message: 'the pod template lacks app.kubernetes.io/version' },
    ]);
  });

  it('image-digest: a tag, a short digest, a registry-less name; init containers included', () => {
    for (const image of ['registry.acme.internal/vendor/vllm:v0.11.0', 'registry.acme.internal/vendor/vllm@sha256:abc', `vendor/vllm@${DIGEST}`]) {
      const found = violations((objects) => {
        pod(objects).initContainers[0].image = image;
      });
      expect(policies(found)).toContain('image-digest');
      expect(found.find((v) => v.policy === 'image-digest')!.message).toContain('container fetch');
    }
  });

  it('image-registry: an image outside global.imageRegistry', () => {
    const found = violations((objects) => {
      vllm(objects).image = `docker.io/vllm/vllm-openai@${DIGEST}`;
    }, { ...airGapped, network: 'connected' });
    expect(found).toEqual([{ policy: 'image-registry', resource: 'Deployment/coder', message: `container vllm: image docker.io/vllm/vllm-openai@${DIGEST} is not under the image registry registry.acme.internal` }]);
  });

  it('restricted-pod: each missing control is reported', () => {
    const found = violations((objects) => {
      const spec = pod(objects);
      spec.hostNetwork = true;
      spec.volumes.push({ name: 'host', hostPath: { path: '/' } });
      delete spec.securityContext.runAsNonRoot;
      spec.securityContext.seccompProfile.type = 'Unconfined';
      spec.containers[0].securityContext = { allowPrivilegeEscalation: true, privileged: true, capabilities: { add: ['SYS_ADMIN'] } };
    });
    expect(found.filter((v) => v.policy === 'restricted-pod').map((v) => v.message)).toEqual([
      'hostNetwork is set',
      'volume host is a hostPath',
      'pod seccompProfile Unconfined',
      'container fetch: seccompProfile is not RuntimeDefault',
      'container vllm: runAsNonRoot is not true',
      'container vllm: seccompProfile is not RuntimeDefault',
      'container vllm: allowPrivilegeEscalation is not false',
      'container vllm: privileged',
      'container vllm: readOnlyRootFilesystem is not true',
      'container vllm: capabilities.drop lacks ALL',
      'container vllm: adds capabilities SYS_ADMIN',
    ]);
  });

  it('resources and probes: a container without requests, limits or probes', () => {
    const found = violations((objects) => {
      delete pod(objects).initContainers[0].resources;
      delete vllm(objects).livenessProbe;
    });
    expect(found).toEqual([
      { policy: 'resources', resource: 'Deployment/coder', message: 'container fetch: no requests.cpu, requests.memory, limits.memory' },
      { policy: 'probes', resource: 'Deployment/coder', message: 'container vllm: needs readiness and liveness probes' },
    ]);
  });

  it('disruption-budget: several replicas (or an autoscaler) without a PDB', () => {
    expect(violations((objects) => void objects.splice(1, 1)).map((v) => v.policy)).toEqual(['disruption-budget']);
    const scaled = violations((objects) => {
      objects.splice(1, 1);
      deployment(objects).spec.replicas = 1;
      objects.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'coder', labels: labels('model') }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'coder' }, maxReplicas: 3 } });
    });
    expect(scaled).toEqual([{ policy: 'disruption-budget', resource: 'Deployment/coder', message: 'runs up to 3 replicas without a PodDisruptionBudget' }]);
  });

  it('no-secret-data: a Secret with data or stringData', () => {
    const found = violations((objects) => {
      objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', labels: labels('secrets') }, stringData: { password: 'hunter2' } });
      objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'empty', labels: labels('secrets') }, type: 'Opaque' });
    });
    expect(found.map((v) => [v.policy, v.resource])).toEqual([['no-secret-data', 'Secret/creds']]);
  });

  it('metadata-egress: egress that reaches any cloud metadata address unless excepted (GKE metadata server allowed on gcp)', () => {
    const egress = (to: object[], ports?: object[]) => (objects: KubeObject[]) =>
      objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'out', labels: labels('network-policy') }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to, ports }] } });
    const all = METADATA_ADDRESSES.map((address) => `${address}/32`);
    expect(violations(egress([{ ipBlock: { cidr: '0.0.0.0/0' } }])).map((v) => v.policy)).toEqual(['metadata-egress']);
    expect(violations(egress([{ ipBlock: { cidr: '169.254.0.0/16' } }])).map((v) => v.policy)).toEqual(['metadata-egress']);
    expect(violations(egress([{ ipBlock: { cidr: '0.0.0.0/0', except: all } }]))).toEqual([]);
    // Each address counts: excepting 169.254.169.254 alone leaves the others open.
    expect(violations(egress([{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }])).map((v) => v.message)).toEqual([
      'egress to 0.0.0.0/0 reaches the cloud metadata addresses 169.254.169.252, 169.254.170.2, 169.254.170.23, 169.254.0.23, 100.100.100.200; add 169.254.169.252/32, 169.254.170.2/32, 169.254.170.23/32, 169.254.0.23/32, 100.100.100.200/32 to except',
    ]);
    expect(violations(egress([{ ipBlock: { cidr: '100.64.0.0/10' } }])).map((v) => v.message)).toEqual(['egress to 100.64.0.0/10 reaches the cloud metadata address 100.100.100.200; add 100.100.100.200/32 to except']);
    expect(violations(egress([{ ipBlock: { cidr: '169.254.169.0/24', except: ['169.254.169.254/32', '169.254.169.252/32'] } }]))).toEqual([]);
    expect(violations(egress([{ ipBlock: { cidr: '10.0.0.0/8' } }]))).toEqual([]);
    expect(violations(egress([{ ipBlock: { cidr: '::/0' } }])).map((v) => v.policy)).toEqual(['metadata-egress']);
    for (const [cidr, port] of [['169.254.169.254/32', 80], ['169.254.169.252/32', 988]] as const) {
      const gke = egress([{ ipBlock: { cidr } }], [{ protocol: 'TCP', port }]);
      expect(violations(gke, { ...airGapped, platform: 'gcp', gpuSelector: undefined, models: [] })).toEqual([]);
      expect(violations(gke).map((v) => v.policy)).toEqual(['metadata-egress']);
    }
  });

  it('default-deny-egress: air-gapped without a deny-all egress policy over every pod', () => {
    expect(violations((objects) => void objects.splice(2, 1))).toEqual([{ policy: 'default-deny-egress', resource: null, message: 'air-gapped: no NetworkPolicy denies all egress of every pod (uncovered: Deployment/coder)' }]);
    const partial = violations((objects) => {
      (objects[2]!.spec as any).podSelector = { matchLabels: { 'app.kubernetes.io/component': 'api' } };
    });
    expect(partial.map((v) => v.policy)).toEqual(['default-deny-egress']);
    const withRules = violations((objects) => {
      (objects[2]!.spec as any).egress = [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }];
    });
    expect(withRules.map((v) => v.policy)).toEqual(['default-deny-egress']);
    expect(violations((objects) => void objects.splice(2, 1), { ...airGapped, network: 'connected' })).toEqual([]);
  });

  it('public-hosts: a public host anywhere, also inside an embedded config file (air-gapped only)', () => {
    const found = violations((objects) => {
      objects[3]!.data = { 'config.yaml': 'models:\n  endpoint: https://api.openai.com/v1\n' };
      vllm(objects).args.push('--download-dir', 'huggingface.co/cache');
    });
    expect(found).toEqual([
      { policy: 'public-hosts', resource: 'Deployment/coder', message: 'air-gapped: spec.template.spec.containers.0.args.6 names huggingface.co (public host huggingface.co)' },
      { policy: 'public-hosts', resource: 'ConfigMap/config', message: 'air-gapped: data.config.yaml.3 names api.openai.com (public host api.openai.com)' },
    ]);
  });

  it('gpu: GPU limit, tensor parallelism, node selector, toleration, /dev/shm, startup probe, runtime class, offline env', () => {
    const found = violations((objects) => {
      const spec = pod(objects);
      spec.containers[0] = { ...vllmContainer(2), env: [], startupProbe: undefined, volumeMounts: [] };
      spec.nodeSelector = {};
      spec.tolerations = [];
      spec.runtimeClassName = 'nvidia';
    });
    expect(found.map((v) => v.message)).toEqual([
      'model coder: limits nvidia.com/gpu is 2, tensorParallelSize is 4',
      'model coder: --tensor-parallel-size is 2, expected 4',
      'model coder: nodeSelector node.kubernetes.io/instance-type is unset, expected p5.48xlarge',
      'model coder: no toleration for the nvidia.com/gpu taint',
      'model coder: no memory-backed emptyDir at /dev/shm (NCCL needs more than 64 MiB)',
      'model coder: no startupProbe: liveness would kill the pod while weights load',
      'model coder: runtimeClassName nvidia does not exist on aws',
      'model coder: air-gapped without HF_HUB_OFFLINE=1, TRANSFORMERS_OFFLINE=1, VLLM_NO_USAGE_STATS=1, DO_NOT_TRACK=1',
    ]);
    expect(violations(() => {}, { ...airGapped, models: [{ name: 'missing', tensorParallelSize: 1 }] })).toEqual([{ policy: 'gpu', resource: null, message: 'no vLLM container serves model missing (--served-model-name)' }]);
  });
});

// The per-platform facts the policies read come from the platform descriptors: one row per chart platform.
const chartPlatforms = Object.values(PLATFORMS).flatMap(({ check }) => check.chartPlatforms.map((chartPlatform) => [chartPlatform, check] as const));

describe.each(chartPlatforms)('platform facts on %s', (platform, check) => {
  const context: ManifestContext = { ...airGapped, platform };

  it(`runtimeClassName nvidia is ${check.managedKubernetes ? 'refused (managed Kubernetes)' : 'allowed'}`, () => {
    const found = violations((objects) => void (pod(objects).runtimeClassName = 'nvidia'), context);
    expect(found.map((v) => v.message)).toEqual(check.managedKubernetes ? [`model coder: runtimeClassName nvidia does not exist on ${platform}`] : []);
  });

  it(`metadata-egress opens exactly ${check.metadataServerEgress.length} metadata server egress, on its own port only`, () => {
    for (const { cidr, port } of check.metadataServerEgress) {
      const to = [{ ipBlock: { cidr } }];
      const policy = (ports: object[]) => (objects: KubeObject[]) =>
        void objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'md', labels: labels('network-policy') }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to, ports }] } });
      expect(violations(policy([{ protocol: 'TCP', port }]), context)).toEqual([]);
      expect(violations(policy([{ protocol: 'TCP', port: port + 1 }]), context).map((v) => v.policy)).toEqual(['metadata-egress']);
    }
    const open = (objects: KubeObject[]) =>
      void objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'md', labels: labels('network-policy') }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }] } });
    expect(violations(open, context).length).toBe(check.metadataServerEgress.some((egress) => egress.cidr === '169.254.169.254/32' && egress.port === 80) ? 0 : 1);
  });
});

describe('restricted-pod exemption of the NVIDIA device plugin', () => {
  const exemption = { [DEVICE_PLUGIN_EXEMPTION.annotation]: DEVICE_PLUGIN_EXEMPTION.value, [DEVICE_PLUGIN_EXEMPTION.reasonAnnotation]: 'registers with the kubelet through its socket directory' };
  /** As the model-server chart renders it: root, the kubelet's device-plugin directory, nothing else. */
  function devicePlugin(kind = 'DaemonSet', annotations: Record<string, string> = exemption): any {
    return {
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: 'nvidia-device-plugin', labels: labels('device-plugin'), annotations },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/component': 'device-plugin' } },
        template: {
          metadata: { labels: labels('device-plugin') },
          spec: {
            priorityClassName: 'system-node-critical',
            securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'plugin',
              image: `registry.acme.internal/vendor/k8s-device-plugin@${DIGEST}`,
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
              readinessProbe: { exec: { command: ['test', '-S', '/var/lib/kubelet/device-plugins/nvidia-gpu.sock'] } },
              livenessProbe: { exec: { command: ['test', '-S', '/var/lib/kubelet/device-plugins/nvidia-gpu.sock'] } },
              securityContext: { ...restricted, runAsNonRoot: undefined, privileged: false },
              volumeMounts: [{ name: 'device-plugins', mountPath: DEVICE_PLUGIN_EXEMPTION.hostPath }],
            }],
            volumes: [{ name: 'device-plugins', hostPath: { path: DEVICE_PLUGIN_EXEMPTION.hostPath, type: 'Directory' } }],
          },
        },
      },
    };
  }
  const restrictedOf = (plugin: any) => checkManifests([...good(), plugin], airGapped).filter((v) => v.policy === 'restricted-pod').map((v) => `${v.resource}: ${v.message}`);
  const ROOT_AND_HOSTPATH = ['volume device-plugins is a hostPath', 'pod runAsUser is 0', 'container plugin: runAsNonRoot is not true'];

  it('lets the annotated DaemonSet run as root with the device-plugin hostPath, and every other policy holds', () => {
    expect(checkManifests([...good(), devicePlugin()], airGapped)).toEqual([]);
  });

  it('exempts nothing else: another kind, no or an empty reason, the annotation only on the pod template', () => {
    expect(restrictedOf(devicePlugin('Deployment'))).toEqual(ROOT_AND_HOSTPATH.map((message) => `Deployment/nvidia-device-plugin: ${message}`));
    expect(restrictedOf(devicePlugin('DaemonSet', { [DEVICE_PLUGIN_EXEMPTION.annotation]: DEVICE_PLUGIN_EXEMPTION.value }))).toHaveLength(3);
    expect(restrictedOf(devicePlugin('DaemonSet', { ...exemption, [DEVICE_PLUGIN_EXEMPTION.reasonAnnotation]: ' ' }))).toHaveLength(3);
    expect(restrictedOf(devicePlugin('DaemonSet', { [DEVICE_PLUGIN_EXEMPTION.annotation]: 'anything', [DEVICE_PLUGIN_EXEMPTION.reasonAnnotation]: 'x' }))).toHaveLength(3);
    const onTemplate = devicePlugin('DaemonSet', {});
    onTemplate.spec.template.metadata.annotations = exemption;
    expect(restrictedOf(onTemplate)).toHaveLength(3);
  });

  it('still reports other host paths, privilege, escalation, capabilities and host namespaces of the exempt DaemonSet', () => {
    const plugin = devicePlugin();
    const spec = plugin.spec.template.spec;
    spec.volumes.push({ name: 'kubelet', hostPath: { path: '/var/lib/kubelet' } }, { name: 'root', hostPath: { path: '/' } });
    spec.hostNetwork = true;
    spec.containers[0].securityContext = { ...spec.containers[0].securityContext, privileged: true, allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } };
    expect(restrictedOf(plugin).map((line) => line.replace('DaemonSet/nvidia-device-plugin: ', ''))).toEqual([
      'hostNetwork is set',
      'volume kubelet is a hostPath',
      'volume root is a hostPath',
      'container plugin: allowPrivilegeEscalation is not false',
      'container plugin: privileged',
      'container plugin: adds capabilities SYS_ADMIN',
    ]);
  });
});

describe('hook-references', () => {
  const hookAnnotations = { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5' };
  const meta = (kind: string, name: string, annotations?: Record<string, string>) => ({ apiVersion: kind === 'Job' ? 'batch/v1' : 'v1', kind, metadata: { name, labels: labels('migrations'), ...(annotations ? { annotations } : {}) } });
  /** A migration Job (a hook unless annotations say otherwise) reaching the database at `host`, plus a regular `postgres` Service. */
  function release(jobAnnotations: Record<string, string> | undefined, host: string, extra: KubeObject[] = []): KubeObject[] {
    return [
      { ...meta('Service', 'postgres'), spec: { ports: [{ port: 5432 }] } },
      {
        ...meta('Job', 'migrations', jobAnnotations),
        spec: {
          template: {
            metadata: { labels: labels('migrations') },
            spec: {
              serviceAccountName: 'migrations',
              restartPolicy: 'Never',
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{ name: 'migrate', image: `registry.acme.internal/migrations@${DIGEST}`, args: ['migrate'], env: [{ name: 'DATABASE_HOST', value: host }], resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } }, securityContext: restricted }],
            },
          },
        },
      },
      ...extra,
    ];
  }
  const connected: ManifestContext = { network: 'connected', imageRegistry: null, platform: 'vanilla', publicHosts: [] };
  const check = (objects: KubeObject[]) => checkManifests(objects, connected).filter((violation) => violation.policy === 'hook-references');

  it('passes a hook that reaches an external host, and a regular Job that reaches a bundled Service', () => {
    expect(check(release(hookAnnotations, 'db.acme.internal'))).toEqual([]);
    expect(check(release(undefined, 'postgres'))).toEqual([]);
    expect(check(release({ 'argocd.argoproj.io/hook': 'Sync' }, 'postgres.acme-platform.svc.cluster.local'))).toEqual([]);
  });

  it('catches a hook (Helm pre-install or Argo CD PreSync) that names a regular Service, by name, FQDN or URL', () => {
    expect(check(release(hookAnnotations, 'postgres'))).toEqual([
      { policy: 'hook-references', resource: 'Job/migrations', message: 'container migrate: "postgres" names Service postgres, which is created only after the hooks ran' },
    ]);
    expect(check(release({ 'helm.sh/hook': 'pre-upgrade' }, 'postgres.acme-platform.svc.cluster.local:5432'))).toHaveLength(1);
    expect(check(release({ 'argocd.argoproj.io/hook': 'PreSync' }, 'postgresql://user@postgres:5432/agents'))).toHaveLength(1);
  });

  it('allows what is itself a hook, and catches a regular ServiceAccount or ConfigMap', () => {
    const hookService = release(hookAnnotations, 'postgres');
    hookService[0]!.metadata.annotations = { 'helm.sh/hook': 'pre-install' };
    expect(check(hookService)).toEqual([]);
    const objects = release(hookAnnotations, 'db.acme.internal', [meta('ServiceAccount', 'migrations') as KubeObject, { ...meta('ConfigMap', 'config'), data: {} } as KubeObject]);
    const spec = (objects[1]!.spec as any).template.spec;
    spec.volumes = [{ name: 'config', configMap: { name: 'config' } }];
    expect(check(objects).map((violation) => violation.message)).toEqual([
      'runs as ServiceAccount migrations, which is created only after the hooks ran',
      'mounts ConfigMap config, which is created only after the hooks ran',
    ]);
  });
});

describe('cidrContains', () => {
  it('matches IPv4 prefixes', () => {
    expect(cidrContains('0.0.0.0/0', '169.254.169.254')).toBe(true);
    expect(cidrContains('169.254.0.0/16', '169.254.169.254')).toBe(true);
    expect(cidrContains('169.254.169.254/32', '169.254.169.254')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '169.254.169.254')).toBe(false);
    expect(cidrContains('fd00::/8', '169.254.169.254')).toBe(false);
  });
});
