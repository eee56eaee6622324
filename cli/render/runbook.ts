/** RUNBOOK.md: this customer's ordered install steps, from infrastructure to a running platform. */
import type { Install, SecretReference } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { requiredSecrets } from './pulumi-project.js';
import { chartVersion } from './charts.js';
import { bundledCredentialsSecret, modelApiKeySecret } from './helm-values.js';

interface SecretNeed {
  namespace: string;
  reference: SecretReference;
  purpose: string;
}

function secretNeeds(install: Install, settings: InstallSettings): SecretNeed[] {
  const { spec } = install;
  const platformNs = settings.workloads.platformNamespace;
  const needs: SecretNeed[] = [];
  const auth = spec.scm.auth;
  needs.push({ namespace: platformNs, reference: auth.webhookSecret, purpose: 'SCM webhook secret' });
  if (auth.method === 'github-app') needs.push({ namespace: platformNs, reference: auth.privateKey, purpose: 'GitHub App private key (PEM)' });
  if (auth.method === 'access-token') needs.push({ namespace: platformNs, reference: auth.token, purpose: 'SCM access token' });
  if (auth.method === 'oauth-app') needs.push({ namespace: platformNs, reference: auth.clientSecret, purpose: 'SCM OAuth client secret' });
  const models = spec.models;
  if (models.hosting === 'saas-api') needs.push({ namespace: platformNs, reference: models.apiKey, purpose: `${models.provider} API key` });
  if (models.hosting === 'cloud-managed' && models.credentials) needs.push({ namespace: platformNs, reference: models.credentials, purpose: `${models.provider} credentials` });
  if (models.hosting === 'self-hosted') {
    for (const model of models.catalog) if (model.weights?.source === 'hf' && model.weights.token) needs.push({ namespace: settings.workloads.modelsNamespace, reference: model.weights.token, purpose: `Hugging Face token for ${model.name}` });
  }
  for (const store of ['postgres', 'redis', 'rabbitmq'] as const) {
    const config = spec.datastores?.[store];
    if (config?.mode === 'external') needs.push({ namespace: platformNs, reference: config.credentials, purpose: `${store} credentials` });
  }
  return needs;
}

/** `kubectl create ... --dry-run=client -o yaml | kubectl apply -f -`: creates or updates, so reruns are safe. */
const apply = (command: string) => `${command} --dry-run=client -o yaml | kubectl apply -f -`;

/** One command per Secret (several keys of one Secret go together); external references need no command. */
function secretLines(needs: SecretNeed[]): string[] {
  const grouped = new Map<string, { namespace: string; name: string; keys: string[]; purposes: string[] }>();
  const lines: string[] = [];
  for (const need of needs) {
    if (need.reference.secretRef) {
      const { name, key } = need.reference.secretRef;
      const id = `${need.namespace}/${name}`;
      const entry = grouped.get(id) ?? { namespace: need.namespace, name, keys: [], purposes: [] };
      if (!entry.keys.includes(key)) entry.keys.push(key);
      entry.purposes.push(need.purpose);
      grouped.set(id, entry);
    } else {
      const external = need.reference.externalRef!;
      lines.push(`# ${need.purpose}: synced by the External Secrets Operator from ${external.store} ${external.path} (a ClusterSecretStore named ${external.store} must exist)`);
    }
  }
  for (const entry of grouped.values()) {
    lines.push(`${apply(`kubectl -n ${entry.namespace} create secret generic ${entry.name} ${entry.keys.map((key) => `--from-file=${key}=./${key}`).join(' ')}`)}   # ${entry.purposes.join(', ')}`);
  }
  return lines;
}

function kubeAccess(settings: InstallSettings): string {
  const cloud = settings.cloud;
  if (!cloud) return `kubectl config use-context ${settings.onprem!.kubeContext}`;
  const cluster = settings.cluster.mode === 'existing' ? settings.cluster.name : settings.name;
  switch (cloud.type) {
    case 'aws':
      return `aws eks update-kubeconfig --name ${cluster} --region ${cloud.region}   # from a host inside the VPC: the API endpoint is private`;
    case 'azure':
      return `az aks get-credentials --resource-group ${cloud.resourceGroup} --name ${cluster}   # from a host in the VNet, or use az aks command invoke`;
    case 'gcp':
      return `gcloud container clusters get-credentials ${cluster} --region ${cloud.region} --project ${cloud.projectId} --internal-ip`;
  }
}

export function renderRunbook(install: Install, settings: InstallSettings, files: { modelServer: boolean }, generatedBy: string): string {
  const { spec, metadata } = install;
  const airGapped = settings.network.mode === 'air-gapped';
  const cloud = settings.cloud;
  const platformNs = settings.workloads.platformNamespace;
  const modelsNs = settings.workloads.modelsNamespace;
  const chartSource = (chart: string) => (spec.registry?.mirror ? `oci://${spec.registry.mirror}/charts/${chart}` : `oci://registry.installctl.dev/charts/${chart}`);
  const infra = cloud !== null;
  const lines: string[] = [
    `# Runbook: ${metadata.name} (${metadata.customer})`,
    '',
    `Generated by ${generatedBy} for support-matrix cell \`${settings.cell}\`, platform release ${settings.release}.`,
    'Every step is idempotent: rerun a step after fixing whatever stopped it. Re-render with `installctl render` instead of editing generated files.',
    '',
    '## 0. Before you start',
    '',
    `- Tools: Pulumi CLI 3.x and Node.js 20 (infrastructure), kubectl, Helm 3.17+ or 4.x${cloud ? `, the ${cloud.type === 'aws' ? 'aws' : cloud.type === 'azure' ? 'az' : 'gcloud'} CLI logged in to ${cloud.type === 'aws' ? `account ${cloud.accountId}` : cloud.type === 'azure' ? `subscription ${cloud.subscriptionId}` : `project ${cloud.projectId}`}` : ''}.`,
    airGapped
      ? `- Air-gapped: verify the installctl bundle offline (\`installctl bundle verify BUNDLE --key release.pub\`), push it into the mirror (\`installctl bundle push BUNDLE --registry ${spec.registry?.mirror ?? 'MIRROR'}\`), then re-render with \`--relocate BUNDLE.relocation.json\` so every image is pinned to its mirror copy by digest. The bundle carries every image in \`images.txt\`, both charts, this rendered output and the Pulumi plugins. Nothing below reaches the internet.`
      : '- Connected: images are pulled from registry.installctl.dev (every image is pinned by digest; see `images.txt`).',
    '',
  ];
  let step = 1;
  if (infra) {
    const secrets = requiredSecrets(settings);
    lines.push(
      `## ${step++}. Infrastructure (Pulumi)`,
      '',
      '```sh',
      'cd pulumi',
      'npm install',
      'pulumi login --local            # or s3://, azblob://, gs:// for a shared backend',
      `pulumi stack init ${settings.name}   # first time; later: pulumi stack select ${settings.name}`,
      ...secrets.map((secret) => `pulumi config set --secret ${secret.key}   # ${secret.description}`),
      'pulumi preview',
      'pulumi up',
      'pulumi stack output agentPlatformValues --json > ../helm/agent-platform.infra.values.json',
      ...(files.modelServer ? ['pulumi stack output modelServerValues --json > ../helm/model-server.infra.values.json'] : []),
      'cd ..',
      '```',
      '',
      'The two `*.infra.values.json` files are the third values layer: database and cache hosts and the cloud identities of the service accounts, known only once the infrastructure exists.',
      '',
    );
  } else {
    lines.push(`## ${step++}. Infrastructure`, '', `Nothing to create: the ${settings.onprem!.distribution} cluster exists. (The Pulumi project in \`pulumi/\` only records its facts; running it is optional.)`, '');
  }
  const namespaces = files.modelServer ? [platformNs, modelsNs] : [platformNs];
  lines.push(`## ${step++}. Cluster access`, '', '```sh', kubeAccess(settings), ...namespaces.map((ns) => apply(`kubectl create namespace ${ns}`)), '```', '');

  const needs = secretNeeds(install, settings);
  const configMaps = new Map([spec.trust?.caBundle, spec.scm.type !== 'github' ? spec.scm.caBundle : undefined, spec.registry?.caBundle].flatMap((ref) => (ref ? [[`${ref.configMapRef.name}/${ref.configMapRef.key}`, ref.configMapRef] as const] : [])));
  lines.push(`## ${step++}. Secrets and CA bundles`, '', 'installctl never handles secret values. Create these before installing (file names are placeholders for where you keep each value):', '', '```sh');
  lines.push(...secretLines(needs));
  if (files.modelServer) {
    lines.push('test -s model-api-key || openssl rand -hex 32 > model-api-key   # shared by the AI gateway and the model servers');
    for (const ns of namespaces) lines.push(apply(`kubectl -n ${ns} create secret generic ${modelApiKeySecret(settings.name)} --from-file=api-key=./model-api-key`));
  }
  for (const store of ['postgres', 'redis', 'rabbitmq'] as const) {
    if (settings.datastores[store] !== 'bundled') continue;
    const name = bundledCredentialsSecret(settings.name, store);
    lines.push(
      `test -s ${store}-password || openssl rand -hex 24 > ${store}-password   # bundled ${store}: generated once, kept by you`,
      apply(`kubectl -n ${platformNs} create secret generic ${name}${store === 'redis' ? '' : ' --from-literal=username=agents'} --from-file=password=./${store}-password`),
    );
  }
  const redisSecret = apply(`kubectl -n ${platformNs} create secret generic ${settings.name}-redis --from-file=password=./redis-password`);
  if (settings.datastores.redis === 'managed' && cloud?.type === 'aws') lines.push('pulumi -C pulumi config get installctl:redisAuthToken > redis-password', redisSecret);
  if (settings.datastores.redis === 'managed' && cloud?.type === 'gcp') lines.push('pulumi -C pulumi stack output redisAuth --show-secrets > redis-password', redisSecret);
  if (settings.datastores.redis === 'managed' && cloud?.type === 'azure') lines.push('# Redis uses Entra ID through the service accounts\' identities: no password secret');
  for (const ref of configMaps.values()) {
    for (const ns of namespaces) lines.push(`${apply(`kubectl -n ${ns} create configmap ${ref.name} --from-file=${ref.key}=./${ref.key}`)}   # PEM: public roots first, then the private CA`);
  }
  if (spec.registry?.pullSecret) {
    for (const ns of namespaces) lines.push(apply(`kubectl -n ${ns} create secret docker-registry ${spec.registry.pullSecret.name} --docker-server=${spec.registry.mirror.split('/')[0]} --docker-username=USER --docker-password="$(cat registry-password)"`));
  }
  lines.push('```', '');

  const layers = (chart: string, infraLayer: boolean) => [`-f helm/${chart}.values.yaml`, ...(infraLayer ? [`-f helm/${chart}.infra.values.json`] : [])].join(' ');
  lines.push(`## ${step++}. Install the charts (Helm)`, '', 'Values are layered: the chart\'s own values.yaml (vendor base, never edited), `helm/<chart>.values.yaml` (this customer), and the infrastructure layer from step 1.', '', '```sh');
  if (files.modelServer) {
    lines.push(`helm upgrade --install model-server ${chartSource('model-server')} --version ${chartVersion('model-server')} -n ${modelsNs} ${layers('model-server', infra)} --wait --timeout 45m`);
  }
  lines.push(`helm upgrade --install agent-platform ${chartSource('agent-platform')} --version ${chartVersion('agent-platform')} -n ${platformNs} ${layers('agent-platform', infra)} --wait --timeout 20m`, '```', '');
  lines.push(
    'Or with Argo CD: one Application per chart, with the same value files in the same order (`spec.source.helm.valueFiles`), and the migration Job ordered first by its sync-wave annotation.',
    '',
    `## ${step++}. Verify`,
    '',
    '```sh',
    `kubectl -n ${platformNs} get pods`,
    ...(files.modelServer ? [`kubectl -n ${modelsNs} get pods   # model servers need minutes to load weights (startup probe)`] : []),
    `curl -fsS https://${spec.ingress.hostname}/readyz`,
    '```',
    '',
    `Then open https://${spec.ingress.hostname} and connect the ${spec.scm.type} organization(s).`,
    '',
  );
  return lines.join('\n');
}
