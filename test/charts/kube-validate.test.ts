/** Unit tests of cli/helm/kube-validate.ts on hand-made objects: each check passes a good set and catches its bad case. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cli/conformance/helm/helm.js';
import { modelFor, validateObjects } from '../../cli/conformance/helm/kube-validate.js';

const selectorLabels = { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/component': 'api' };

function good(): KubeObject[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', labels: { ...selectorLabels, 'installctl.dev/install': 'acme' }, annotations: { 'checksum/config': 'abc' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { ...selectorLabels } },
        template: {
          metadata: { labels: { ...selectorLabels } },
          spec: {
            containers: [
              {
                name: 'api',
                image: 'registry.example/api@sha256:0',
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [{ name: 'A', value: '1' }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
                resources: { requests: { cpu: '100m', memory: '128Mi' } },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { ...selectorLabels }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'agents.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }] },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api' }, spec: { minAvailable: 1, selector: { matchLabels: { ...selectorLabels } } } },
    { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'api' }, spec: { host: 'agents.example', to: { kind: 'Service', name: 'api', weight: 100 }, port: { targetPort: 'http' }, tls: { termination: 'edge' } } },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'creds' },
      spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'creds', creationPolicy: 'Orphan' }, data: [{ secretKey: 'password', remoteRef: { key: 'secret/data/creds', property: 'password' } }] },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'api' },
      spec: { scaleTargetRef: { name: 'api' }, minReplicaCount: 1, maxReplicaCount: 3, triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(x)', threshold: '8' } }] },
    },
  ];
}

async function problems(mutate: (objects: any[]) => void): Promise<Array<{ object: string; message: string }>> {
  const objects = good();
  mutate(objects);
  return validateObjects(objects);
}

describe('validateObjects', () => {
  it('passes the good objects', async () => {
    expect(await validateObjects(good())).toEqual([]);
  });

  it('picks the kubernetes-models class by apiVersion and kind (core group included)', async () => {
    expect((await modelFor('apps/v1', 'Deployment'))?.kind).toBe('Deployment');
    expect((await modelFor('v1', 'ConfigMap'))?.apiVersion).toBe('v1');
    expect((await modelFor('policy/v1', 'PodDisruptionBudget'))?.kind).toBe('PodDisruptionBudget');
    expect(await modelFor('apps/v1', 'DeploymentSpec')).toBeNull();
    expect(await modelFor('../../x/v1', 'Deployment')).toBeNull();
  });

  it('schema: built-in kinds against the Kubernetes 1.33 schemas', async () => {
    const found = await problems((objects) => {
      objects[0].spec.replicas = 'two';
      objects[0].spec.template.spec.containers[0].resources.requests.cpu = 'lots';
      delete objects[1].spec.ports[0].port;
    });
    expect(found).toEqual([
      { object: 'Deployment/api', message: '/spec/replicas: must be integer' },
      { object: 'Deployment/api', message: '/spec/template/spec/containers/0/resources/requests/cpu: must be number; must match format "quantity"; must match exactly one schema in "oneOf"' },
      { object: 'Service/api', message: "/spec/ports/0: must have required property port" },
    ]);
  });

  it('schema: the custom resources against their own schemas', async () => {
    const found = await problems((objects) => {
      objects[4].spec.tls.termination = 'passthrough-ish';
      objects[5].spec.target.creationPolicy = 'Always';
      objects[5].spec.data[0].remoteRef.propety = 'typo';
      objects[6].spec.triggers[0].metadata.threshold = 8;
    });
    expect(found.map((p) => `${p.object} ${p.message}`)).toEqual([
      'Route/api /spec/tls/termination: must be equal to one of the allowed values',
      'ExternalSecret/creds /spec/target/creationPolicy: must be equal to one of the allowed values',
      'ExternalSecret/creds /spec/data/0/remoteRef: must NOT have additional properties',
      'ScaledObject/api /spec/triggers/0/metadata/threshold: must be string',
    ]);
  });

  it('an unknown kind, or a removed pre-release version of a built-in one, is a problem', async () => {
    const found = await problems((objects) => {
      objects.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'api' }, spec: {} });
      objects.push({ apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old' }, spec: {} });
    });
    expect(found.map((p) => p.object)).toEqual(['ServiceMonitor/api', 'Ingress/old']);
    expect(found[0]!.message).toMatch(/^unknown kind monitoring.coreos.com\/v1 ServiceMonitor/);
    expect(found[1]!.message).toBe('extensions/v1beta1 is a pre-release API: removed from Kubernetes 1.33 or not served by default (use the GA version)');
  });

  it('names, labels and duplicates', async () => {
    const found = await problems((objects) => {
      objects[1].metadata.name = 'qwen2.5-coder';
      objects[0].metadata.labels['installctl.dev/model'] = 'x'.repeat(64);
      objects[0].metadata.labels['bad key!'] = 'v';
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Config' } });
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' } });
      objects.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'a'.repeat(53) }, spec: { selector: { matchLabels: { a: 'b' } }, serviceName: '', template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    });
    expect(found.map((p) => `${p.object.slice(0, 30)}: ${p.message}`)).toEqual([
      'Deployment/api: metadata label installctl.dev/model: value "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" is not a valid label value',
      'Deployment/api: metadata label key "bad key!": name must be at most 63 alphanumerics, \'-\', \'_\' or \'.\'',
      'Service/qwen2.5-coder: Service name "qwen2.5-coder" must be a DNS-1035 label (lowercase letters, digits, \'-\', starting with a letter, at most 63)',
      'Ingress/web: backend Service api is not in the manifests',
      'Route/api: spec.to Service api is not in the manifests',
      'ConfigMap/Config: name "Config" must be a DNS-1123 subdomain',
      'ConfigMap/dup: duplicate object: the same kind and name is rendered twice',
      `StatefulSet/${'a'.repeat(18)}: StatefulSet name "${'a'.repeat(53)}" is longer than 52 characters (its pods' controller-revision-hash label would exceed 63)`,
    ]);
  });

  it('pod templates: selector, container / port / volume names, mounts, probes, env', async () => {
    const found = await problems((objects) => {
      const spec = objects[0].spec.template.spec;
      objects[0].spec.selector.matchLabels['app.kubernetes.io/component'] = 'web';
      spec.containers.push({ name: 'api', image: 'i', ports: [{ name: 'metrics-endpoint-port', containerPort: 9090 }] });
      spec.containers[0].volumeMounts.push({ name: 'cache', mountPath: '/cache' });
      spec.containers[0].livenessProbe = { httpGet: { path: '/health', port: 'admin' } };
      spec.containers[0].env.push({ name: 'A', value: '2' });
      spec.containers[0].volumeMounts.push({ name: 'tmp', mountPath: '/tmp' });
      spec.volumes.push({ name: 'tmp', emptyDir: {} }, { name: 'Scratch_Space', emptyDir: {} });
      spec.initContainers = [{ name: 'Init.Step', image: 'i' }];
      objects.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache' }, spec: { serviceName: 'cache-headless', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } });
    });
    expect(found.filter((p) => p.object === 'Deployment/api').map((p) => p.message)).toEqual([
      'spec.selector does not match spec.template.metadata.labels',
      'volume tmp is declared twice',
      'volume "Scratch_Space": name must be a DNS-1123 label',
      'container "Init.Step": name must be a DNS-1123 label',
      'container api: volumeMount cache names no volume of the pod',
      'container api: two volumes are mounted at /tmp',
      'container api: env A is set twice',
      'container api: livenessProbe uses port admin, which the container does not declare',
      'container name api is used twice',
      'container api: port name "metrics-endpoint-port" must be an IANA service name (at most 15)',
    ]);
    expect(found.filter((p) => p.object === 'StatefulSet/cache').map((p) => p.message)).toEqual(['serviceName cache-headless names no Service of the manifests']);
  });

  it('references: Service selector and target port, Ingress and Route backends, autoscaler target, PDB selector', async () => {
    const found = await problems((objects) => {
      objects[1].spec.ports[0].targetPort = 'web';
      objects[2].spec.rules[0].http.paths[0].backend.service.port = { name: 'https' };
      objects[4].spec.port.targetPort = 'grpc';
      objects[6].spec.scaleTargetRef.name = 'worker';
      objects[3].spec.selector.matchLabels = { 'app.kubernetes.io/component': 'worker' };
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    });
    expect(found.map((p) => `${p.object}: ${p.message}`)).toEqual([
      'Service/api: targetPort web is not a container port of Deployment/api',
      'Ingress/web: backend Service api has no port https',
      'PodDisruptionBudget/api: selector matches no workload of the manifests',
      'Route/api: Service api has no port grpc',
      'ScaledObject/api: scaleTargetRef Deployment/worker is not in the manifests',
      'Service/orphan: selector matches no pod template of the manifests',
    ]);
  });
});
