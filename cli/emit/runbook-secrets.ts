/** RUNBOOK.md's "Secrets and CA bundles" step: the commands that create each Secret and ConfigMap from files the operator pastes. */
import type { Install, SecretReference } from '../generated/install-spec.js';
import type { CloudSettings, InstallSettings } from '../../stacks/settings.js';
import { redisCaConfigMap } from '../../stacks/decisions/datastores.js';
import { bundledCredentialsSecret, modelApiKeySecret } from './helm-values.js';
import { operand, operator, option, shellComment, shellLine, syntax, type ShellArg } from './shell.js';
import type { RegistrySource } from './registry-source.js';
import { scmOf } from '../dimensions/index.js';
import { postgresCaLines } from './runbook-postgres-ca.js';

interface SecretNeed {
  namespace: string;
  reference: SecretReference;
  purpose: string;
  /** PEM or JSON: kept as pasted. Tokens and passwords lose their line breaks (a trailing newline breaks auth). */
  multiline?: boolean;
}

function secretNeeds(install: Install, settings: InstallSettings): SecretNeed[] {
  const { spec } = install;
  const platformNs = settings.workloads.platformNamespace;
  const needs: SecretNeed[] = [];
  const auth = spec.scm.auth;
  needs.push({ namespace: platformNs, reference: auth.webhookSecret, purpose: 'SCM webhook secret' });
  if (auth.method === 'github-app') needs.push({ namespace: platformNs, reference: auth.privateKey, purpose: 'GitHub App private key (PEM)', multiline: true });
  if (auth.method === 'access-token') needs.push({ namespace: platformNs, reference: auth.token, purpose: 'SCM access token' });
  if (auth.method === 'oauth-app') needs.push({ namespace: platformNs, reference: auth.clientSecret, purpose: 'SCM OAuth client secret' });
  const models = spec.models;
  if (models.hosting === 'saas-api') needs.push({ namespace: platformNs, reference: models.apiKey, purpose: `${models.provider} API key` });
  if (models.hosting === 'cloud-managed' && models.credentials)
    needs.push({ namespace: platformNs, reference: models.credentials, purpose: `${models.provider} credentials`, multiline: true });
  if (models.hosting === 'self-hosted') {
    for (const model of models.catalog)
      if (model.weights?.source === 'hf' && model.weights.token)
        needs.push({ namespace: settings.workloads.modelsNamespace, reference: model.weights.token, purpose: `Hugging Face token for ${model.name}` });
  }
  for (const store of ['postgres', 'redis', 'rabbitmq'] as const) {
    const config = spec.datastores?.[store];
    if (config?.mode === 'external') needs.push({ namespace: platformNs, reference: config.credentials, purpose: `${store} credentials` });
  }
  return needs;
}

/** `kubectl create ... --dry-run=client -o yaml | kubectl apply -f -`: creates or updates, so reruns are safe. */
export const apply = (argv: ShellArg[]): ShellArg[] => [...argv, '--dry-run=client', '-o', 'yaml', operator('|'), 'kubectl', 'apply', '-f', '-'];

/** Reads a value from stdin into FILE once (paste, then Ctrl-D), so every --from-file names a file this runbook wrote. */
const collect = (file: string, purpose: string, multiline = false) =>
  shellLine(['test', '-s', file, operator('||'), ...(multiline ? ['cat'] : ['tr', '-d', '\\r\\n']), operator('>'), file], `${purpose}: paste, then Ctrl-D`);

/** One command per Secret (several keys of one Secret go together); external references need no command. */
function secretLines(needs: SecretNeed[]): string[] {
  const grouped = new Map<string, { namespace: string; name: string; keys: Map<string, SecretNeed>; purposes: string[] }>();
  const lines: string[] = [];
  for (const need of needs) {
    if (need.reference.secretRef) {
      const { name, key } = need.reference.secretRef;
      const id = JSON.stringify([need.namespace, name]);
      const entry = grouped.get(id) ?? { namespace: need.namespace, name, keys: new Map<string, SecretNeed>(), purposes: [] as string[] };
      if (!entry.keys.has(key)) entry.keys.set(key, need);
      entry.purposes.push(need.purpose);
      grouped.set(id, entry);
    } else {
      const external = need.reference.externalRef!;
      lines.push(
        shellComment(`${need.purpose}: synced by the External Secrets Operator from ${external.store} ${external.path} (a ClusterSecretStore named ${external.store} must exist)`),
      );
    }
  }
  for (const entry of grouped.values()) {
    const file = (key: string) => `secrets/${entry.namespace}/${entry.name}.${key}`;
    for (const [key, need] of entry.keys) lines.push(collect(file(key), need.purpose, need.multiline));
    const fromFiles = [...entry.keys.keys()].map((key) => `--from-file=${key}=${file(key)}`);
    lines.push(shellLine(apply(['kubectl', ...option('-n', entry.namespace), 'create', 'secret', 'generic', operand(entry.name), ...fromFiles]), entry.purposes.join(', ')));
  }
  return lines;
}

/** The configured CA ConfigMaps, each with the namespaces whose pods mount it. */
function caConfigMaps(install: Install, settings: InstallSettings, namespaces: string[]): Array<{ name: string; key: string; namespaces: Set<string> }> {
  const { spec } = install;
  const found = new Map<string, { name: string; key: string; namespaces: Set<string> }>();
  const add = (ref: { configMapRef: { name: string; key: string } } | undefined, where: string[]) => {
    if (!ref) return;
    const id = JSON.stringify([ref.configMapRef.name, ref.configMapRef.key]);
    const entry = found.get(id) ?? { ...ref.configMapRef, namespaces: new Set<string>() };
    for (const ns of where) entry.namespaces.add(ns);
    found.set(id, entry);
  };
  // global.caBundle goes to both charts; the SCM's CA only to the platform.
  add(spec.trust?.caBundle, namespaces);
  add(scmOf(spec.scm).emit.caBundle(spec.scm), [settings.workloads.platformNamespace]);
  return [...found.values()];
}

function pullSecretLines(install: Install, settings: InstallSettings, namespaces: string[], source: RegistrySource): string[] {
  const registry = install.spec.registry;
  if (!registry?.pullSecret) return [];
  const host = source.host;
  const kind = { ecr: 'ECR', 'artifact-registry': 'Artifact Registry', acr: 'ACR' }[settings.registry?.kind ?? 'ecr'];
  if (source.nodeIdentity) return [shellComment(`${host}: the nodes pull from the install's ${kind} with their own cloud identity, so no pull secret is created`)];
  const config = 'secrets/registry-dockerconfig.json';
  const auth = syntax(`"$(printf '%s:%s' "$(cat secrets/registry-username)" "$(cat secrets/registry-password)" | base64 | tr -d '\\n')"`);
  return [
    collect('secrets/registry-username', `user for ${host}`),
    collect('secrets/registry-password', `password or token for ${host}`),
    shellLine(['printf', '{"auths":{"%s":{"auth":"%s"}}}\\n', host, auth, operator('>'), config]),
    ...namespaces.map((ns) =>
      shellLine(apply(['kubectl', ...option('-n', ns), 'create', 'secret', 'docker-registry', operand(registry.pullSecret!.name), `--from-file=.dockerconfigjson=${config}`])),
    ),
  ];
}

/** The managed cache's password (and CA) for the platform, per cloud: a switch the compiler checks for every cloud. */
function managedRedisSecretLines(settings: InstallSettings, cloud: CloudSettings): string[] {
  const platformNs = settings.workloads.platformNamespace;
  const redisSecret = shellLine(
    apply(['kubectl', ...option('-n', platformNs), 'create', 'secret', 'generic', operand(`${settings.name}-redis`), '--from-file=password=secrets/redis-password']),
  );
  switch (cloud.type) {
    case 'aws':
      return [
        "pulumi -C pulumi config get installctl:redisAuthToken | tr -d '\\n' > secrets/redis-password   # the ElastiCache AUTH token set in the infrastructure step",
        redisSecret,
      ];
    case 'gcp':
      return [
        shellLine(
          [
            'gcloud',
            'redis',
            'instances',
            'get-auth-string',
            syntax('"$(jq -r .redisInstance pulumi-outputs.json)"'),
            ...option('--region', cloud.region),
            ...option('--project', cloud.projectId),
            syntax("--format='value(authString)'"),
            operator('|'),
            'tr',
            '-d',
            '\\n',
            operator('>'),
            'secrets/redis-password',
          ],
          'Memorystore AUTH string',
        ),
        redisSecret,
        'jq -r .redisServerCa pulumi-outputs.json > trust/redis-ca.crt   # Memorystore in-transit encryption: its own server CA',
        shellLine(
          apply(['kubectl', ...option('-n', platformNs), 'create', 'configmap', operand(redisCaConfigMap(settings.name)), '--from-file=ca.crt=trust/redis-ca.crt']),
          'redis.caBundle of the infrastructure values layer',
        ),
      ];
    case 'azure':
      return ["# Redis uses Entra ID through the service accounts' identities: no password secret"];
  }
}

/** The shell lines of the step, from `umask` to the last pull secret. */
export function secretsStep(install: Install, settings: InstallSettings, files: { modelServer: boolean }, namespaces: string[], source: RegistrySource): string[] {
  const { spec } = install;
  const cloud = settings.cloud;
  const platformNs = settings.workloads.platformNamespace;
  const lines = [shellLine(['umask', '077', operator('&&'), 'mkdir', '-p', 'trust', ...namespaces.map((ns) => `secrets/${ns}`)])];
  lines.push(...secretLines(secretNeeds(install, settings)));
  if (files.modelServer) {
    lines.push("test -s secrets/model-api-key || openssl rand -hex 32 | tr -d '\\n' > secrets/model-api-key   # shared by the AI gateway and the model servers");
    for (const ns of namespaces)
      lines.push(
        shellLine(apply(['kubectl', ...option('-n', ns), 'create', 'secret', 'generic', operand(modelApiKeySecret(settings.name)), '--from-file=api-key=secrets/model-api-key'])),
      );
  }
  for (const store of ['postgres', 'redis', 'rabbitmq'] as const) {
    if (settings.datastores[store] !== 'bundled') continue;
    const name = bundledCredentialsSecret(settings.name, store);
    lines.push(
      `test -s secrets/${store}-password || openssl rand -hex 24 | tr -d '\\n' > secrets/${store}-password   # bundled ${store}: generated once, kept by you`,
      shellLine(
        apply([
          'kubectl',
          ...option('-n', platformNs),
          'create',
          'secret',
          'generic',
          operand(name),
          ...(store === 'redis' ? [] : ['--from-literal=username=agents']),
          `--from-file=password=secrets/${store}-password`,
        ]),
      ),
    );
  }
  if (settings.datastores.redis === 'managed' && cloud) lines.push(...managedRedisSecretLines(settings, cloud));
  lines.push(...postgresCaLines(settings));
  for (const ref of caConfigMaps(install, settings, namespaces)) {
    const file = `trust/${ref.name}.${ref.key}`;
    lines.push(collect(file, 'PEM: public roots first, then the private CA', true));
    for (const ns of ref.namespaces) lines.push(shellLine(apply(['kubectl', ...option('-n', ns), 'create', 'configmap', operand(ref.name), `--from-file=${ref.key}=${file}`])));
  }
  if (spec.registry?.caBundle && !source.nodeIdentity) {
    lines.push(
      shellComment(`registry.caBundle is for the nodes' container runtime, not for pods: every node must trust it for ${source.host} (e.g. /etc/containerd/certs.d/HOST/ca.crt)`),
    );
  }
  lines.push(...ingressTlsLines(install, platformNs));
  lines.push(...pullSecretLines(install, settings, namespaces, source));
  return lines;
}

/** ingress.tls mode secret: the customer's certificate and key, as the TLS Secret the Ingress (or Route) serves. */
function ingressTlsLines(install: Install, platformNs: string): string[] {
  const tls = install.spec.ingress.tls;
  if (tls?.mode !== 'secret') return [];
  const cert = `secrets/${platformNs}/${tls.secretName}.tls.crt`;
  const key = `secrets/${platformNs}/${tls.secretName}.tls.key`;
  return [
    collect(cert, `PEM certificate chain for ${install.spec.ingress.hostname}, leaf first`, true),
    collect(key, `PEM private key of that certificate`, true),
    shellLine(apply(['kubectl', ...option('-n', platformNs), 'create', 'secret', 'tls', operand(tls.secretName), `--cert=${cert}`, `--key=${key}`])),
  ];
}
