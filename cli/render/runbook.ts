/** RUNBOOK.md: this customer's ordered install steps, from infrastructure to a running platform. */
import type { Install, SecretReference } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { redisCaConfigMap } from '../../stacks/decisions/datastores.js';
import { PINNED, requiredSecrets } from './pulumi-project.js';
import { chartVersion } from './charts.js';
import { bundledCredentialsSecret, gpuNodeSelector, ingressClassOf, modelApiKeySecret } from './helm-values.js';
import { chartRunsDevicePlugin } from '../../stacks/decisions/gpu.js';
import { AKS_APP_ROUTING, defaultIngressClass } from '../../stacks/decisions/ingress.js';
import { AWS_LB_CONTROLLER } from '../../stacks/aws/lb-controller.js';

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
  if (models.hosting === 'cloud-managed' && models.credentials) needs.push({ namespace: platformNs, reference: models.credentials, purpose: `${models.provider} credentials`, multiline: true });
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

/** Reads a value from stdin into FILE once (paste, then Ctrl-D), so every --from-file names a file this runbook wrote. */
const collect = (file: string, purpose: string, multiline = false) => `test -s ${file} || ${multiline ? 'cat' : "tr -d '\\r\\n'"} > ${file}   # ${purpose}: paste, then Ctrl-D`;

/** One command per Secret (several keys of one Secret go together); external references need no command. */
function secretLines(needs: SecretNeed[]): string[] {
  const grouped = new Map<string, { namespace: string; name: string; keys: Map<string, SecretNeed>; purposes: string[] }>();
  const lines: string[] = [];
  for (const need of needs) {
    if (need.reference.secretRef) {
      const { name, key } = need.reference.secretRef;
      const id = `${need.namespace}/${name}`;
      const entry = grouped.get(id) ?? { namespace: need.namespace, name, keys: new Map<string, SecretNeed>(), purposes: [] as string[] };
      if (!entry.keys.has(key)) entry.keys.set(key, need);
      entry.purposes.push(need.purpose);
      grouped.set(id, entry);
    } else {
      const external = need.reference.externalRef!;
      lines.push(`# ${need.purpose}: synced by the External Secrets Operator from ${external.store} ${external.path} (a ClusterSecretStore named ${external.store} must exist)`);
    }
  }
  for (const entry of grouped.values()) {
    const file = (key: string) => `secrets/${entry.namespace}/${entry.name}.${key}`;
    for (const [key, need] of entry.keys) lines.push(collect(file(key), need.purpose, need.multiline));
    lines.push(`${apply(`kubectl -n ${entry.namespace} create secret generic ${entry.name} ${[...entry.keys.keys()].map((key) => `--from-file=${key}=${file(key)}`).join(' ')}`)}   # ${entry.purposes.join(', ')}`);
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

const PROVIDER_PLUGIN: Record<string, keyof typeof PINNED> = { aws: '@pulumi/aws', azure: '@pulumi/azure-native', gcp: '@pulumi/gcp' };

/** Air-gapped: npm packages from the site's mirror, the provider plugin from the bundle (pushed as installctl/pulumi-plugins). */
function offlineToolchain(settings: InstallSettings, mirror: string): string[] {
  const pkg = PROVIDER_PLUGIN[settings.platform]!;
  const name = pkg.replace('@pulumi/', '');
  const version = PINNED[pkg];
  return [
    'export PULUMI_SKIP_UPDATE_CHECK=true   # no version check against the internet',
    'npm install --no-audit --no-fund --registry "$NPM_REGISTRY"   # NPM_REGISTRY: the site\'s internal npm mirror; package.json pins every version',
    `oras pull ${mirror}/installctl/pulumi-plugins:${settings.release} -o ../plugins   # the provider plugin archives the bundle carries`,
    `pulumi plugin install resource ${name} ${version} --file ../plugins/pulumi-resource-${name}-v${version}-linux-amd64.tar.gz   # the archive for this host's OS and architecture`,
  ];
}

/**
 * AWS with managed PostgreSQL: the role the platform signs in as with IAM auth, created by the RDS
 * master user (its password is in Secrets Manager) with rds_iam. The user name comes from the
 * infrastructure values layer, the same value the chart connects with and IAM grants.
 */
function awsDatabaseBootstrap(): string[] {
  return [
    '',
    'Managed PostgreSQL uses IAM database authentication: create the role the platform signs in as, once (safe to rerun), from a host inside the VPC:',
    '',
    '```sh',
    'PGPASSWORD="$(aws secretsmanager get-secret-value --secret-id "$(jq -r .postgresAdminSecretArn pulumi-outputs.json)" --query SecretString --output text | jq -r .password)" \\',
    '  psql "host=$(jq -r .postgresEndpoint pulumi-outputs.json) port=5432 dbname=agents user=agents_admin sslmode=require" -v ON_ERROR_STOP=1 \\',
    '  -v app_user="$(jq -r .postgres.user helm/agent-platform.infra.values.json)" <<\'SQL\'',
    "SELECT format('CREATE ROLE %I LOGIN', :'app_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \\gexec",
    'GRANT rds_iam TO :"app_user";',
    'GRANT :"app_user" TO CURRENT_USER;',
    'ALTER DATABASE agents OWNER TO :"app_user";',
    'CREATE EXTENSION IF NOT EXISTS vector;',
    'SQL',
    '```',
  ];
}

/** The configured CA ConfigMaps, each with the namespaces whose pods mount it. */
function caConfigMaps(install: Install, settings: InstallSettings, namespaces: string[]): Array<{ name: string; key: string; namespaces: Set<string> }> {
  const { spec } = install;
  const found = new Map<string, { name: string; key: string; namespaces: Set<string> }>();
  const add = (ref: { configMapRef: { name: string; key: string } } | undefined, where: string[]) => {
    if (!ref) return;
    const id = `${ref.configMapRef.name}/${ref.configMapRef.key}`;
    const entry = found.get(id) ?? { ...ref.configMapRef, namespaces: new Set<string>() };
    for (const ns of where) entry.namespaces.add(ns);
    found.set(id, entry);
  };
  // global.caBundle goes to both charts; the SCM's CA only to the platform.
  add(spec.trust?.caBundle, namespaces);
  add(spec.scm.type !== 'github' ? spec.scm.caBundle : undefined, [settings.workloads.platformNamespace]);
  return [...found.values()];
}

function pullSecretLines(install: Install, settings: InstallSettings, namespaces: string[]): string[] {
  const registry = install.spec.registry;
  if (!registry?.pullSecret) return [];
  const host = registry.mirror.split('/')[0]!;
  const kind = { ecr: 'ECR', 'artifact-registry': 'Artifact Registry', acr: 'ACR' }[settings.registry?.kind ?? 'ecr'];
  if (settings.registry) return [`# ${host}: the nodes pull from the install's ${kind} with their own cloud identity, so no pull secret is created`];
  const config = 'secrets/registry-dockerconfig.json';
  return [
    collect('secrets/registry-username', `user for ${host}`),
    collect('secrets/registry-password', `password or token for ${host}`),
    `printf '{"auths":{"%s":{"auth":"%s"}}}\\n' ${host} "$(printf '%s:%s' "$(cat secrets/registry-username)" "$(cat secrets/registry-password)" | base64 | tr -d '\\n')" > ${config}`,
    ...namespaces.map((ns) => apply(`kubectl -n ${ns} create secret docker-registry ${registry.pullSecret!.name} --from-file=.dockerconfigjson=${config}`)),
  ];
}

interface Prerequisites {
  /** Bullets, then one ```sh block of checks (and installs guarded by them). */
  lines: string[];
  /** Checks that hold only once the charts run (the chart's own device plugin). */
  verify: string[];
}

/** The controller serving the chart's Ingress: what must exist, how to check it, how to get it. */
function ingressPrerequisite(install: Install, settings: InstallSettings, mirror: string): { bullets: string[]; commands: string[] } {
  const { spec } = install;
  const cloud = settings.cloud;
  const className = ingressClassOf(spec, settings);
  const internal = (spec.ingress.exposure ?? 'internal') === 'internal';
  const outputs = (key: string) => `"$(jq -r .${key} pulumi-outputs.json)"`;
  const classCheck = `kubectl get ingressclass ${className}`;
  if (className !== defaultIngressClass(settings, spec.ingress.exposure ?? 'internal')) {
    return { bullets: [`- Ingress: the controller of class \`${className}\` (ingress.className), which you provide.`], commands: [`${classCheck}   # its controller serves the platform's Ingress`] };
  }
  if (cloud?.type === 'aws') {
    const lbc = AWS_LB_CONTROLLER;
    const source = settings.network.mode === 'air-gapped'
      ? `oci://${mirror}/charts/aws-load-balancer-controller --set image.repository=${mirror}/eks/aws-load-balancer-controller --set enableShield=false --set enableWaf=false --set enableWafv2=false`
      : 'aws-load-balancer-controller --repo https://aws.github.io/eks-charts';
    return {
      bullets: [
        `- Ingress: the AWS Load Balancer Controller (IngressClass \`${className}\`), once per cluster. The stack created its IAM role (output \`loadBalancerControllerRoleArn\`, trusted by ${lbc.namespace}/${lbc.serviceAccount}); the line below installs the controller only when the class is missing.`,
        ...(settings.network.mode === 'air-gapped' ? [`- Air-gapped: the controller's chart and image are not in the installctl bundle; mirror them to \`${mirror}/charts/aws-load-balancer-controller\` and \`${mirror}/eks/aws-load-balancer-controller\` first.`] : []),
      ],
      commands: [
        `${classCheck} >/dev/null 2>&1 || helm upgrade --install aws-load-balancer-controller ${source} -n ${lbc.namespace} --set clusterName=${outputs('clusterName')} --set region=${cloud.region} --set vpcId=${outputs('vpcId')} --set serviceAccount.name=${lbc.serviceAccount} --set serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=${outputs('loadBalancerControllerRoleArn')} --wait`,
        `${classCheck}   # the AWS Load Balancer Controller serves the platform's Ingress`,
      ],
    };
  }
  if (cloud?.type === 'azure') {
    const cluster = settings.cluster.mode === 'existing' ? settings.cluster.name : settings.name;
    const controller = internal ? 'Internal' : 'External';
    return {
      bullets: [
        `- Ingress: the AKS application routing add-on (managed NGINX, IngressClass \`${className}\`) with its default controller's load balancer ${controller.toLowerCase()}. ${settings.cluster.mode === 'new' ? 'The stack enabled it on the cluster.' : 'An existing cluster needs it enabled (the line below does so when the class is missing).'}`,
      ],
      commands: [
        ...(settings.cluster.mode === 'existing'
          ? [`${classCheck} >/dev/null 2>&1 || { az aks approuting enable --resource-group ${cloud.resourceGroup} --name ${cluster} && az aks approuting update --resource-group ${cloud.resourceGroup} --name ${cluster} --nginx ${controller}; }`]
          : []),
        `${classCheck}   # the application routing add-on serves the platform's Ingress`,
        `kubectl -n ${AKS_APP_ROUTING.namespace} get service ${AKS_APP_ROUTING.service} -o jsonpath='{.metadata.annotations.service\\.beta\\.kubernetes\\.io/azure-load-balancer-internal}'   # ${internal ? 'true: an internal load balancer' : 'empty: an external load balancer'}`,
      ],
    };
  }
  if (cloud?.type === 'gcp') {
    const cluster = settings.cluster.mode === 'existing' ? settings.cluster.name : settings.name;
    const network = cloud.vpc.mode === 'existing' ? cloud.vpc.network : null;
    return {
      bullets: [
        `- Ingress: GKE's HTTP load balancing add-on serves class \`${className}\` (an annotation; GKE has no IngressClass object for it).`,
        ...(internal
          ? [network
              ? `- An internal Application Load Balancer needs an active proxy-only subnetwork (purpose REGIONAL_MANAGED_PROXY) in ${cloud.region} of network ${network}: the stack does not create it on an existing network (create one: \`gcloud compute networks subnets create NAME --purpose=REGIONAL_MANAGED_PROXY --role=ACTIVE --region=${cloud.region} --network=${network} --range=CIDR\`, a /26 or larger).`
              : `- An internal Application Load Balancer needs an active proxy-only subnetwork in ${cloud.region}: the stack created it with the network.`]
          : []),
      ],
      commands: [
        `gcloud container clusters describe ${cluster} --region ${cloud.region} --project ${cloud.projectId} --format='value(addonsConfig.httpLoadBalancing.disabled)'   # empty or False: ${className} Ingresses get load balancers`,
        ...(internal ? [`gcloud compute networks subnets list --project ${cloud.projectId} --regions ${cloud.region}${network ? ` --network ${network}` : ''} --filter=purpose=REGIONAL_MANAGED_PROXY --format='value(name,role)'   # one ACTIVE subnetwork`] : []),
      ],
    };
  }
  if (settings.onprem?.distribution === 'openshift') {
    return { bullets: ['- Ingress: OpenShift Routes, served by the default IngressController.'], commands: ['kubectl -n openshift-ingress-operator get ingresscontroller default   # serves the platform\'s Routes'] };
  }
  return { bullets: [`- Ingress: an ingress controller serving class \`${className}\`.`], commands: [`${classCheck}   # its controller serves the platform's Ingress`] };
}

/** What must exist before the charts install, per platform, each with the command that checks it. */
function prerequisites(install: Install, settings: InstallSettings, files: { modelServer: boolean }, mirror: string, installStep: number): Prerequisites {
  const ingress = ingressPrerequisite(install, settings, mirror);
  const bullets = [...ingress.bullets];
  const commands = [...ingress.commands];
  const verify: string[] = [];
  if (files.modelServer) {
    const selector = gpuNodeSelector(install, settings);
    const gpus = `kubectl get nodes -l ${selector.key}=${selector.value} -o jsonpath='{..allocatable.nvidia\\.com/gpu}'   # nvidia.com/gpu per GPU node; empty: no node advertises GPUs`;
    if (chartRunsDevicePlugin(settings.platform)) {
      bullets.push(`- GPUs: nodes advertise \`nvidia.com/gpu\` once the NVIDIA device plugin runs; the model-server chart runs it on the GPU nodes (step ${installStep}), so it is checked after the install.`);
      verify.push(`kubectl -n ${settings.workloads.modelsNamespace} rollout status daemonset/model-server-nvidia-device-plugin --timeout=10m`, gpus);
    } else if (settings.platform === 'gcp') {
      bullets.push('- GPUs: GKE installs the NVIDIA driver (the GPU pool\'s driver installation) and its own device plugin.');
      commands.push(gpus);
    } else {
      bullets.push(`- GPUs: the NVIDIA GPU Operator (driver, device plugin and GPU feature discovery labels such as \`${selector.key}\`) must run in the cluster.`);
      commands.push('kubectl get clusterpolicies.nvidia.com   # the GPU Operator\'s ClusterPolicy: state ready', gpus);
    }
  }
  return { lines: [...bullets, '', '```sh', ...commands, '```', ''], verify };
}

export function renderRunbook(install: Install, settings: InstallSettings, files: { modelServer: boolean }, generatedBy: string): string {
  const { spec, metadata } = install;
  const airGapped = settings.network.mode === 'air-gapped';
  const cloud = settings.cloud;
  const platformNs = settings.workloads.platformNamespace;
  const modelsNs = settings.workloads.modelsNamespace;
  const mirror = spec.registry?.mirror ?? 'MIRROR';
  const chartSource = (chart: string) => (spec.registry?.mirror ? `oci://${spec.registry.mirror}/charts/${chart}` : `oci://registry.installctl.dev/charts/${chart}`);
  const infra = cloud !== null;
  const awsIamDatabase = cloud?.type === 'aws' && settings.datastores.postgres === 'managed';
  const cli = cloud ? `, the ${cloud.type === 'aws' ? 'aws' : cloud.type === 'azure' ? 'az' : 'gcloud'} CLI logged in to ${cloud.type === 'aws' ? `account ${cloud.accountId}` : cloud.type === 'azure' ? `subscription ${cloud.subscriptionId}` : `project ${cloud.projectId}`}` : '';
  const extraTools = [...(infra ? ['jq'] : []), ...(awsIamDatabase ? ['psql (PostgreSQL 16 client)'] : []), ...(airGapped && infra ? ['oras'] : [])];
  const lines: string[] = [
    `# Runbook: ${metadata.name} (${metadata.customer})`,
    '',
    `Generated by ${generatedBy} for support-matrix cell \`${settings.cell}\`, platform release ${settings.release}.`,
    'Every step is idempotent: rerun a step after fixing whatever stopped it. Re-render with `installctl render` instead of editing generated files.',
    '',
    '## 0. Before you start',
    '',
    `- Tools: Pulumi CLI 3.x and Node.js 20 (infrastructure), kubectl, Helm 3.17+ or 4.x${cli}${extraTools.length ? `, ${extraTools.join(', ')}` : ''}.`,
    airGapped
      ? `- Air-gapped: verify the installctl bundle offline (\`installctl bundle verify BUNDLE --key release.pub\`), push it into the mirror (\`installctl bundle push BUNDLE --registry ${mirror}\`), then re-render with \`--relocate BUNDLE.relocation.json\` so every image is pinned to its mirror copy by digest. The bundle carries every image in \`images.txt\`, both charts, this rendered output and the Pulumi plugins; npm packages come from the site's internal npm mirror. Nothing below reaches the internet.`
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
      ...(airGapped ? offlineToolchain(settings, mirror) : ['npm install --no-audit --no-fund']),
      'pulumi login --local            # or s3://, azblob://, gs:// for a shared backend',
      `pulumi stack init ${settings.name}   # first time; later: pulumi stack select ${settings.name}`,
      ...secrets.map((secret) => `pulumi config set --secret ${secret.key}   # ${secret.description}`),
      'pulumi preview',
      'pulumi up',
      'pulumi stack output agentPlatformValues --json > ../helm/agent-platform.infra.values.json',
      ...(files.modelServer ? ['pulumi stack output modelServerValues --json > ../helm/model-server.infra.values.json'] : []),
      'pulumi stack output outputs --json > ../pulumi-outputs.json   # what the install created (read by the steps below)',
      'cd ..',
      '```',
      '',
      'The `*.infra.values.json` files are the third values layer: database and cache hosts, the database user of the platform identity and the cloud identities of the service accounts, known only once the infrastructure exists.',
      ...(awsIamDatabase ? awsDatabaseBootstrap() : []),
      '',
    );
  } else {
    lines.push(`## ${step++}. Infrastructure`, '', `Nothing to create: the ${settings.onprem!.distribution} cluster exists. (The Pulumi project in \`pulumi/\` only records its facts; running it is optional.)`, '');
  }
  const namespaces = files.modelServer ? [platformNs, modelsNs] : [platformNs];
  lines.push(`## ${step++}. Cluster access`, '', '```sh', kubeAccess(settings), ...namespaces.map((ns) => apply(`kubectl create namespace ${ns}`)), '```', '');
  // Secrets come between the prerequisites and the charts.
  const prereqs = prerequisites(install, settings, files, mirror, step + 2);
  lines.push(`## ${step++}. Prerequisites`, '', 'The charts install, but nothing becomes reachable or healthy, until these exist in the cluster:', '', ...prereqs.lines);

  lines.push(
    `## ${step++}. Secrets and CA bundles`,
    '',
    'installctl never handles secret values. Each `test -s FILE || ...` line below asks for a value once (paste it, then Ctrl-D) and keeps it in `secrets/` or `trust/` (readable by you only); the next command creates the Secret or ConfigMap from that file.',
    '',
    '```sh',
    `umask 077 && mkdir -p trust ${namespaces.map((ns) => `secrets/${ns}`).join(' ')}`,
  );
  lines.push(...secretLines(secretNeeds(install, settings)));
  if (files.modelServer) {
    lines.push("test -s secrets/model-api-key || openssl rand -hex 32 | tr -d '\\n' > secrets/model-api-key   # shared by the AI gateway and the model servers");
    for (const ns of namespaces) lines.push(apply(`kubectl -n ${ns} create secret generic ${modelApiKeySecret(settings.name)} --from-file=api-key=secrets/model-api-key`));
  }
  for (const store of ['postgres', 'redis', 'rabbitmq'] as const) {
    if (settings.datastores[store] !== 'bundled') continue;
    const name = bundledCredentialsSecret(settings.name, store);
    lines.push(
      `test -s secrets/${store}-password || openssl rand -hex 24 | tr -d '\\n' > secrets/${store}-password   # bundled ${store}: generated once, kept by you`,
      apply(`kubectl -n ${platformNs} create secret generic ${name}${store === 'redis' ? '' : ' --from-literal=username=agents'} --from-file=password=secrets/${store}-password`),
    );
  }
  const redisSecret = apply(`kubectl -n ${platformNs} create secret generic ${settings.name}-redis --from-file=password=secrets/redis-password`);
  if (settings.datastores.redis === 'managed' && cloud?.type === 'aws') lines.push("pulumi -C pulumi config get installctl:redisAuthToken | tr -d '\\n' > secrets/redis-password   # the ElastiCache AUTH token set in step 1", redisSecret);
  if (settings.datastores.redis === 'managed' && cloud?.type === 'gcp') {
    lines.push(
      `gcloud redis instances get-auth-string "$(jq -r .redisInstance pulumi-outputs.json)" --region ${cloud.region} --project ${cloud.projectId} --format='value(authString)' | tr -d '\\n' > secrets/redis-password   # Memorystore AUTH string`,
      redisSecret,
      'jq -r .redisServerCa pulumi-outputs.json > trust/redis-ca.crt   # Memorystore in-transit encryption: its own server CA',
      `${apply(`kubectl -n ${platformNs} create configmap ${redisCaConfigMap(settings.name)} --from-file=ca.crt=trust/redis-ca.crt`)}   # redis.caBundle of the infrastructure values layer`,
    );
  }
  if (settings.datastores.redis === 'managed' && cloud?.type === 'azure') lines.push('# Redis uses Entra ID through the service accounts\' identities: no password secret');
  for (const ref of caConfigMaps(install, settings, namespaces)) {
    const file = `trust/${ref.name}.${ref.key}`;
    lines.push(collect(file, 'PEM: public roots first, then the private CA', true));
    for (const ns of ref.namespaces) lines.push(apply(`kubectl -n ${ns} create configmap ${ref.name} --from-file=${ref.key}=${file}`));
  }
  if (spec.registry?.caBundle && !settings.registry) {
    lines.push(`# registry.caBundle is for the nodes' container runtime, not for pods: every node must trust it for ${spec.registry.mirror.split('/')[0]} (e.g. /etc/containerd/certs.d/HOST/ca.crt)`);
  }
  lines.push(...pullSecretLines(install, settings, namespaces));
  lines.push('```', '');

  const layers = (chart: string, infraLayer: boolean) => [`-f helm/${chart}.values.yaml`, ...(infraLayer ? [`-f helm/${chart}.infra.values.json`] : [])].join(' ');
  lines.push(`## ${step++}. Install the charts (Helm)`, '', 'Values are layered: the chart\'s own values.yaml (vendor base, never edited), `helm/<chart>.values.yaml` (this customer), and the infrastructure layer from step 1.', '', '```sh');
  if (files.modelServer) {
    lines.push(`helm upgrade --install model-server ${chartSource('model-server')} --version ${chartVersion('model-server')} -n ${modelsNs} ${layers('model-server', infra)} --wait --timeout 45m`);
  }
  lines.push(`helm upgrade --install agent-platform ${chartSource('agent-platform')} --version ${chartVersion('agent-platform')} -n ${platformNs} ${layers('agent-platform', infra)} --wait --timeout 20m`, '```', '');
  const bundled = (['postgres', 'redis', 'rabbitmq'] as const).filter((store) => settings.datastores[store] === 'bundled');
  lines.push(
    bundled.length
      ? `The database migration runs as a regular Job next to the bundled ${bundled.join(', ')} (a pre-install hook would run before ${bundled.length > 1 ? 'they exist' : 'it exists'}), and every database client waits in its \`wait-for-schema\` init step until the schema is migrated. With Argo CD: one Application per chart, with the same value files in the same order (\`spec.source.helm.valueFiles\`); the migration Job is a Sync hook.`
      : 'With Argo CD: one Application per chart, with the same value files in the same order (`spec.source.helm.valueFiles`); the migration Job is a PreSync hook (sync wave -1), run before the workloads.',
    '',
    `## ${step++}. Verify`,
    '',
    '```sh',
    `kubectl -n ${platformNs} get pods`,
    ...(files.modelServer ? [`kubectl -n ${modelsNs} get pods   # model servers need minutes to load weights (startup probe)`] : []),
    ...prereqs.verify,
    `curl -fsS https://${spec.ingress.hostname}/readyz`,
    '```',
    '',
    `Then open https://${spec.ingress.hostname} and connect the ${spec.scm.type} organization(s).`,
    '',
  );
  return lines.join('\n');
}
