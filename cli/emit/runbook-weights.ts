/**
 * RUNBOOK.md's "Model weights" step: the claims that pvc-sourced models mount, created when
 * missing and filled before the model servers start. With a registry mirror the weights come from
 * the OCI artifact `bundle push` wrote (MIRROR/models/<model>:weights, from a bundle created with
 * --weights-dir and --include-weights), loaded by a Job running the chart's own weights fetcher;
 * without one they are copied from this host's weights/<model>/ through a pod that mounts the claim.
 * Manifests go through hereDocYaml and commands through shellLine: no value is written by hand.
 */
import type { InstallSettings } from '../../stacks/settings.js';
import { hereDocYaml } from '../lib/yaml-text.js';
import { markdownCode } from '../lib/markdown-text.js';
import { operand, operator, option, shellLine, shellWord, syntax, type ShellArg } from './shell.js';
import type { Values } from './charts.js';

interface ImageValue {
  registry: string;
  repository: string;
  digest: string;
}

interface PvcModel {
  name: string;
  claimName: string;
  /** The directory inside the claim that vLLM serves (`/models/<path>`), no leading or trailing '/'. */
  path: string;
  /** More than one pod may mount the claim (replicas or autoscaling), possibly on different nodes. */
  shared: boolean;
  size: string;
  storageClass: string;
}

/** The image reference the model-server chart runs for images.KEY (its ms.image helper). */
export function chartImage(values: Values, key: string): string {
  const image = (values.images as Record<string, ImageValue>)[key]!;
  const registry = (((values.global as { imageRegistry?: string }).imageRegistry || image.registry) ?? '').replace(/\/$/, '');
  return `${registry}/${image.repository.replace(/^\//, '')}@${image.digest}`;
}

/** The models of the merged model-server values whose weights come from a claim. */
export function pvcModels(values: Values, settings: InstallSettings): PvcModel[] {
  const defaults = (values.defaults ?? {}) as { weightsVolume?: { size?: string; storageClass?: string }; replicas?: number };
  const autoscaling = (values.autoscaling ?? {}) as { hpa?: { enabled?: boolean }; keda?: { enabled?: boolean } };
  const autoscaled = Boolean(autoscaling.hpa?.enabled || autoscaling.keda?.enabled);
  const models = (values.models ?? []) as Array<{
    name: string;
    replicas?: number;
    weights: { source: string; claimName?: string; path?: string; create?: unknown };
    weightsVolume?: { size?: string; storageClass?: string };
  }>;
  // A claim the release creates (weights.create) is filled by the chart's own Job.
  return models
    .filter((model) => model.weights.source === 'pvc' && !model.weights.create)
    .map((model) => ({
      name: model.name,
      claimName: model.weights.claimName ?? '',
      path: (model.weights.path ?? '').replace(/^\/+|\/+$/g, ''),
      shared: autoscaled || (model.replicas ?? defaults.replicas ?? 1) > 1,
      size: String(model.weightsVolume?.size ?? defaults.weightsVolume?.size ?? '200Gi'),
      storageClass: model.weightsVolume?.storageClass || defaults.weightsVolume?.storageClass || settings.onprem?.storageClass || '',
    }));
}

/** A Kubernetes name from a prefix and a model name, at most 63 characters. */
const objectName = (prefix: string, model: string) => `${prefix}-${model}`.slice(0, 63).replace(/[-.]+$/, '');

/** `kubectl apply` of a manifest given inline: the here-document's body follows on its own lines. */
function applyInline(namespace: string, manifest: unknown, guard: ShellArg[] = []): string[] {
  return [shellLine([...guard, 'kubectl', ...option('-n', namespace), 'apply', '-f', '-', operator("<<'YAML'")]), ...hereDocYaml(manifest).trimEnd().split('\n'), 'YAML'];
}

function claimManifest(model: PvcModel, namespace: string, install: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: model.claimName, namespace, labels: { 'app.kubernetes.io/part-of': install, 'installctl.dev/model': model.name } },
    spec: {
      accessModes: [model.shared ? 'ReadWriteMany' : 'ReadWriteOnce'],
      ...(model.storageClass ? { storageClassName: model.storageClass } : {}),
      resources: { requests: { storage: model.size } },
    },
  };
}

/** Restricted pod security like the chart's; OpenShift's SCC assigns user and group itself. */
function podSecurity(openshift: boolean): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    ...(openshift ? {} : { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' }),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const CA_ENV = ['SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'];

interface LoaderContext {
  namespace: string;
  install: string;
  openshift: boolean;
  values: Values;
}

/** The Job that pulls MIRROR/models/<model>:weights into the claim with the chart's weights fetcher. */
function loadJob(model: PvcModel, reference: string, context: LoaderContext, mintedSecret: string | null): Record<string, unknown> {
  const global = context.values.global as { imagePullSecrets?: Array<{ name: string }>; caBundle?: { configMapName?: string; key?: string } };
  const configured = global.imagePullSecrets?.[0]?.name ?? '';
  // The fetcher authenticates its artifact pull only with a Docker config: the configured pull
  // Secret, or one minted from this host's cloud login. (The pod's own image comes from the node's identity.)
  const pullSecret = configured || mintedSecret || '';
  const ca = global.caBundle?.configMapName ? { name: global.caBundle.configMapName, key: global.caBundle.key ?? 'ca.crt' } : null;
  // A fresh object per use: a shared one would be written as a YAML anchor and alias.
  const labels = () => ({ 'app.kubernetes.io/part-of': context.install, 'installctl.dev/model': model.name });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: objectName('load-weights', model.name), namespace: context.namespace, labels: labels() },
    spec: {
      backoffLimit: 3,
      template: {
        metadata: { labels: labels() },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...(configured ? { imagePullSecrets: [{ name: configured }] } : {}),
          securityContext: podSecurity(context.openshift),
          containers: [
            {
              name: 'fetch-weights',
              image: chartImage(context.values, 'fetcher'),
              args: ['fetch', 'oci', '--dest', model.path ? `/models/${model.path}` : '/models', '--reference', reference],
              env: [
                { name: 'HOME', value: '/tmp' },
                ...(pullSecret ? [{ name: 'DOCKER_CONFIG', value: '/etc/installctl/registry' }] : []),
                ...(ca ? CA_ENV.map((name) => ({ name, value: '/etc/installctl/trust/ca-bundle.crt' })) : []),
              ],
              resources: (context.values.defaults as { fetcherResources?: unknown }).fetcherResources ?? {},
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [
                { name: 'models', mountPath: '/models' },
                { name: 'tmp', mountPath: '/tmp' },
                ...(pullSecret ? [{ name: 'registry-auth', mountPath: '/etc/installctl/registry', readOnly: true }] : []),
                ...(ca ? [{ name: 'ca-trust', mountPath: '/etc/installctl/trust', readOnly: true }] : []),
              ],
            },
          ],
          volumes: [
            { name: 'models', persistentVolumeClaim: { claimName: model.claimName } },
            { name: 'tmp', emptyDir: { sizeLimit: '4Gi' } },
            ...(pullSecret ? [{ name: 'registry-auth', secret: { secretName: pullSecret, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }] : []),
            ...(ca ? [{ name: 'ca-trust', configMap: { name: ca.name, items: [{ key: ca.key, path: 'ca-bundle.crt' }] } }] : []),
          ],
        },
      },
    },
  };
}

/** A pod that only holds the claim open for `kubectl cp` (the vLLM image the chart runs: it has tar). */
function copyPod(model: PvcModel, context: LoaderContext): Record<string, unknown> {
  const global = context.values.global as { imagePullSecrets?: Array<{ name: string }> };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: objectName('copy-weights', model.name),
      namespace: context.namespace,
      labels: { 'app.kubernetes.io/part-of': context.install, 'installctl.dev/model': model.name },
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(global.imagePullSecrets?.length ? { imagePullSecrets: [{ name: global.imagePullSecrets[0]!.name }] } : {}),
      securityContext: podSecurity(context.openshift),
      containers: [
        {
          name: 'copy',
          image: chartImage(context.values, 'vllm'),
          command: ['sleep', 'infinity'],
          securityContext: CONTAINER_SECURITY,
          volumeMounts: [{ name: 'models', mountPath: '/models' }],
        },
      ],
      volumes: [{ name: 'models', persistentVolumeClaim: { claimName: model.claimName } }],
    },
  };
}

/** A registry that takes no static password: a pull Secret is minted from this host's cloud login, valid for hours. */
interface CloudRegistry {
  host: string;
  username: string;
  /** The shell text printing a registry password (written by installctl: its parts are checked by the patterns below). */
  password: string;
  lifetime: string;
}

export function cloudRegistry(mirror: string): CloudRegistry | null {
  const host = mirror.split('/')[0]!.toLowerCase();
  const ecr = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (ecr) return { host, username: 'AWS', password: `aws ecr get-login-password --region ${ecr[1]}`, lifetime: '12 hours' };
  const acr = /^([a-z0-9]{5,50})\.azurecr\.(?:io|cn|us)$/.exec(host);
  if (acr)
    return {
      host,
      username: '00000000-0000-0000-0000-000000000000',
      password: `az acr login --name ${acr[1]} --expose-token --output tsv --query accessToken`,
      lifetime: '3 hours',
    };
  if (/^(?:[a-z0-9-]+-docker\.pkg\.dev|(?:[a-z]+\.)?gcr\.io)$/.test(host))
    return { host, username: 'oauth2accesstoken', password: 'gcloud auth print-access-token', lifetime: '1 hour' };
  return null;
}

/** The Secret name of a minted registry login for the weights Jobs. */
export const WEIGHTS_PULL_SECRET = 'installctl-weights-pull';

/** `kubectl create secret docker-registry` of a short-lived cloud registry login, applied so a rerun refreshes it. */
function mintPullSecret(namespace: string, registry: CloudRegistry): string {
  return shellLine(
    [
      'kubectl',
      ...option('-n', namespace),
      'create',
      'secret',
      'docker-registry',
      WEIGHTS_PULL_SECRET,
      `--docker-server=${registry.host}`,
      `--docker-username=${registry.username}`,
      shellWord('--docker-password=', syntax(`"$(${registry.password})"`)),
      '--dry-run=client',
      '-o',
      'yaml',
      operator('|'),
      'kubectl',
      ...option('-n', namespace),
      'apply',
      '-f',
      '-',
    ],
    `a ${registry.lifetime} login: rerun this line before a Job started later`,
  );
}

/**
 * Lines that leave job/NAME loaded and waited for on every rerun: a Job that did not complete is
 * deleted and created again (a completed one is kept: its weights are in the claim), and the wait
 * stops at the first failure with the Job's log instead of running to its timeout.
 */
function runJob(namespace: string, job: string, manifest: Record<string, unknown>): string[] {
  const kubectl = (...args: ShellArg[]) => ['kubectl', ...option('-n', namespace), ...args];
  return [
    shellLine(
      [
        ...kubectl('wait', '--for=condition=complete', `job/${job}`, '--timeout=0'),
        operator('>/dev/null 2>&1 ||'),
        ...kubectl('delete', 'job', operand(job), '--ignore-not-found'),
      ],
      'a Job that did not complete is started again',
    ),
    ...applyInline(namespace, manifest, [...kubectl('get', 'job', operand(job)), operator('>/dev/null 2>&1 ||')]),
    shellLine(
      [
        syntax('for'),
        syntax('attempt'),
        syntax('in'),
        syntax('{1..480}'),
        operator(';'),
        syntax('do'),
        ...kubectl('wait', '--for=condition=complete', `job/${job}`, '--timeout=30s'),
        operator('>/dev/null 2>&1 &&'),
        syntax('break'),
        operator(';'),
        syntax('if'),
        ...kubectl('wait', '--for=condition=Failed', `job/${job}`, '--timeout=1s'),
        operator('>/dev/null 2>&1;'),
        syntax('then'),
        'echo',
        `job/${job} failed:`,
        operator('>&2;'),
        ...kubectl('logs', `job/${job}`, '--tail=50'),
        operator('>&2;'),
        syntax('break'),
        operator(';'),
        syntax('fi'),
        operator(';'),
        syntax('done'),
      ],
      'up to 4h; stops at the first failure, with its log',
    ),
  ];
}

/** The step's lines (bullets and one ```sh block), or none when no model reads its weights from a claim. */
export function weightsStep(settings: InstallSettings, values: Values, mirror: string | null): string[] {
  const models = pvcModels(values, settings);
  if (models.length === 0) return [];
  const namespace = settings.workloads.modelsNamespace;
  const context: LoaderContext = { namespace, install: settings.name, openshift: settings.onprem?.distribution === 'openshift', values };
  const configured = (values.global as { imagePullSecrets?: Array<{ name: string }> }).imagePullSecrets?.length;
  const registry = mirror && !configured ? cloudRegistry(mirror) : null;
  const lines = [
    `The model servers mount ${models.map((model) => `${markdownCode(model.claimName)} (${markdownCode(model.name)})`).join(', ')} read-only and serve what each holds${models.some((model) => model.path) ? ' under the weights path' : ''}. Each claim is created only when missing (an existing claim of that name is used as it is), with the size and storage class of the chart's weights volume; a model with more than one replica needs ReadWriteMany.`,
    '',
    mirror
      ? `The weights come from the mirror: \`installctl bundle create\` with \`--weights-dir weights/ --include-weights\` carries ${'`weights/<model>/`'} as an OCI artifact and \`bundle push\` writes it to ${markdownCode(`${mirror}/models/<model>:weights`)}; a Job running the chart's weights fetcher loads it into the claim (run it before the model-server chart: its NetworkPolicies allow egress only to networkPolicy.allowedCidrs).`
      : `No registry mirror: the weights are copied from this host's ${'`weights/<model>/`'} (the files vLLM loads: config.json, tokenizer, *.safetensors) through a pod that mounts the claim, then the pod is deleted.`,
    ...(registry
      ? [
          '',
          `The mirror is a cloud registry without a pull Secret: the nodes pull images with their own identity, but the fetcher pulls the weights artifact itself with a Docker config, so a Secret ${markdownCode(WEIGHTS_PULL_SECRET)} is minted from this host's cloud login (valid ${registry.lifetime}) and deleted once the weights are in.`,
        ]
      : []),
    '',
    '```sh',
    ...(registry ? [mintPullSecret(namespace, registry)] : []),
  ];
  for (const model of models) {
    lines.push(
      ...applyInline(namespace, claimManifest(model, namespace, settings.name), [
        'kubectl',
        ...option('-n', namespace),
        'get',
        'pvc',
        operand(model.claimName),
        operator('>/dev/null 2>&1 ||'),
      ]),
    );
    if (mirror) {
      const job = objectName('load-weights', model.name);
      lines.push(...runJob(namespace, job, loadJob(model, `${mirror}/models/${model.name}:weights`, context, registry ? WEIGHTS_PULL_SECRET : null)));
    } else {
      const pod = objectName('copy-weights', model.name);
      lines.push(
        ...applyInline(namespace, copyPod(model, context)),
        shellLine(['kubectl', ...option('-n', namespace), 'wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=15m']),
        // kubectl cp creates only the last directory of its target: a fresh claim has no /models/<path> parents.
        ...(model.path ? [shellLine(['kubectl', ...option('-n', namespace), 'exec', pod, '--', 'mkdir', '-p', `/models/${model.path}`])] : []),
        shellLine(
          ['kubectl', ...option('-n', namespace), 'cp', `weights/${model.name}/.`, `${pod}:${model.path ? `/models/${model.path}` : '/models'}`],
          "the directory's files land in the claim",
        ),
        shellLine(['kubectl', ...option('-n', namespace), 'delete', 'pod', pod, '--wait=false']),
      );
    }
  }
  if (registry) lines.push(shellLine(['kubectl', ...option('-n', namespace), 'delete', 'secret', WEIGHTS_PULL_SECRET, '--ignore-not-found']));
  lines.push('```', '');
  return lines;
}
