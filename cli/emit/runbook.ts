/**
 * RUNBOOK.md: this customer's ordered install steps, from infrastructure to a running platform, then
 * the upgrade from the previous catalogued release (runbook-upgrade.ts).
 * Every value from the spec reaches a shell line as one quoted word (shellLine) and Markdown text
 * as inert text (markdownText, markdownCode): pasting the runbook runs only what installctl wrote.
 */
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { projectPins, requiredSecrets, type PulumiPackage } from './pulumi-project.js';
import { chartVersion } from './charts.js';
import { markdownCode, markdownText } from '../lib/markdown-text.js';
import { operand, option, shellLine } from './shell.js';
import { apply, secretsStep } from './runbook-secrets.js';
import { prerequisites } from './runbook-prerequisites.js';
import { specRegistrySource, type RegistrySource } from './registry-source.js';
import { pushFiles } from './push-files.js';
import { isRegistryTargetProblem, readRegistryTarget } from '../oci/registry-target.js';
import { clusterAccess } from './runbook-cluster-access.js';
import { dnsStep } from './runbook-dns.js';
import { modelAccessStep } from './runbook-model-access.js';
import { weightsStep } from './runbook-weights.js';
import { loginReadsPullSecret, registryLoginLines, type PullSecretRef } from './runbook-registry-login.js';
import { baseValues, mergeValues, type Values } from './charts.js';
import { forRelease, modelServerValues } from './helm-values.js';
import { isScmId, platformDescriptor, platformOf, scmOf } from '../dimensions/index.js';
import { upgradeSection } from './runbook-upgrade.js';

/** Air-gapped: npm packages from the site's mirror, the provider plugin from the bundle (pushed as installctl/pulumi-plugins). */
function offlineToolchain(settings: InstallSettings, mirror: string): string[] {
  const pkg = platformDescriptor(settings.platform).emit.pulumiProvider;
  const plugin = (provider: PulumiPackage) => {
    const name = provider.replace('@pulumi/', '');
    const version = projectPins(settings.release)[provider];
    return [
      // Before the cluster (and its pull secret) exists: a cloud registry's token, or the mirror's credentials asked for.
      ...registryLoginLines(mirror.split('/')[0]!, ['oras'], null),
      shellLine(['oras', 'pull', operand(`${mirror}/installctl/pulumi-plugins:${settings.release}`), '-o', '../plugins'], 'the provider plugin archives the bundle carries'),
      shellLine(
        ['pulumi', 'plugin', 'install', 'resource', name, version, '--file', `../plugins/pulumi-resource-${name}-v${version}-linux-amd64.tar.gz`],
        "the archive for this host's OS and architecture",
      ),
    ];
  };
  return [
    'export PULUMI_SKIP_UPDATE_CHECK=true   # no version check against the internet',
    'npm install --no-audit --no-fund --registry "$NPM_REGISTRY"   # NPM_REGISTRY: the site\'s internal npm mirror; package.json pins every version',
    // A platform without cloud resources has no provider plugin (and no infrastructure step to run this in).
    ...(pkg ? plugin(pkg) : []),
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

/** The relocation map bundle push writes for the mirror (one per registry: push-files.ts). */
function relocationMapName(mirror: string): string {
  const target = readRegistryTarget(mirror);
  // No parseable mirror (MIRROR placeholder): the generic name.
  return isRegistryTargetProblem(target) ? 'BUNDLE.REGISTRY.relocation.json' : pushFiles('BUNDLE', target).relocation;
}

/** Where the platform's users connect their SCM scopes: GitHub organizations, GitLab groups, Bitbucket Data Center projects. */
function scmScopes(scm: Install['spec']['scm']): string {
  const { scopesLabel, scopes } = scmOf(scm).emit;
  const names = scopes(scm) ?? [];
  // A type outside the schema (hand-built specs) is shown as itself, as inert text.
  const label = isScmId(scm.type) ? scopesLabel : `${markdownText(scm.type)} organizations`;
  return `${label}${names.length ? ` ${names.map((scope) => markdownCode(scope)).join(', ')}` : ''}`;
}

/** What every runbook section reads: the spec, its settings, and where images and charts come from. */
interface RunbookContext {
  install: Install;
  settings: InstallSettings;
  files: { modelServer: boolean; modelServerValues?: Values };
  source: RegistrySource;
  airGapped: boolean;
  /** The install creates cloud resources (a Pulumi step to run); false: an existing cluster only. */
  infra: boolean;
  /** The registry host images and charts come from ('MIRROR' until a mirror is known). */
  mirror: string;
  /** The namespaces the charts install into (the models namespace only with a model server). */
  namespaces: string[];
}

/** The title, the "Before you start" tools and how images arrive (connected or from the bundle). */
function beforeYouStart(context: RunbookContext, generatedBy: string): string[] {
  const { install, settings, source, airGapped, infra, mirror } = context;
  const { spec, metadata } = install;
  const awsIamDatabase = settings.cloud?.type === 'aws' && settings.datastores.postgres === 'managed';
  const cloudCli = platformOf(spec.platform).emit.cloudCli;
  const cli = cloudCli ? `, the ${cloudCli.command} CLI logged in to ${cloudCli.scope.noun} ${markdownText(cloudCli.scope.value(spec.platform))}` : '';
  const jq = infra || (source.mirrored && loginReadsPullSecret(source.host, chartsPullSecret(context)));
  const extraTools = [...(jq ? ['jq'] : []), ...(awsIamDatabase ? ['psql (PostgreSQL 16 client)'] : []), ...(airGapped && infra ? ['oras'] : [])];
  return [
    `# Runbook: ${markdownText(metadata.name)} (${markdownText(metadata.customer)})`,
    '',
    `Generated by ${generatedBy} for support-matrix cell ${markdownCode(settings.cell)}, platform release ${markdownText(settings.release)}.`,
    'Every step is idempotent: rerun a step after fixing whatever stopped it. Re-render with `installctl render` instead of editing generated files.',
    '',
    '## 0. Before you start',
    '',
    `- Tools: Pulumi CLI 3.x and Node.js 20 (infrastructure), kubectl, Helm 3.17+ or 4.x${cli}${extraTools.length ? `, ${extraTools.join(', ')}` : ''}.`,
    airGapped
      ? `- Air-gapped: verify the installctl bundle offline (\`installctl bundle verify BUNDLE --key release.pub\`), push it into the mirror (${markdownCode(shellLine(['installctl', 'bundle', 'push', 'BUNDLE', ...option('--registry', mirror), '--key', 'release.pub']))}), then re-render with ${markdownCode(`--relocate ${relocationMapName(mirror)}`)} so every image is pinned to its mirror copy by digest. The bundle carries every image in \`images.txt\`, both charts, this rendered output and the Pulumi plugins; npm packages come from the site's internal npm mirror. Nothing below reaches the internet.`
      : `- Connected: images are pulled from ${markdownText(source.registry)} (every image is pinned by digest; see \`images.txt\`).`,
    '',
  ];
}

/** Infrastructure: `pulumi up` and the values layer it outputs, or nothing to create on an existing cluster. */
function infrastructureSection(context: RunbookContext): { title: string; lines: string[] } {
  const { settings, files, airGapped, infra, mirror } = context;
  if (!infra) {
    return {
      title: 'Infrastructure',
      lines: [
        `Nothing to create: the ${markdownText(settings.onprem!.distribution)} cluster exists. (The Pulumi project in \`pulumi/\` only records its facts; running it is optional.)`,
        '',
      ],
    };
  }
  const awsIamDatabase = settings.cloud?.type === 'aws' && settings.datastores.postgres === 'managed';
  const secrets = requiredSecrets(settings);
  const lines = [
    '```sh',
    'cd pulumi',
    ...(airGapped ? offlineToolchain(settings, mirror) : ['npm install --no-audit --no-fund']),
    'pulumi login --local            # or s3://, azblob://, gs:// for a shared backend',
    shellLine(['pulumi', 'stack', 'init', operand(settings.name)], `first time; later: ${shellLine(['pulumi', 'stack', 'select', operand(settings.name)])}`),
    ...secrets.map((secret) => shellLine(['pulumi', 'config', 'set', '--secret', secret.key], secret.description)),
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
  ];
  return { title: 'Infrastructure (Pulumi)', lines };
}

/** Cluster access: the platform's way in (cluster-access.ts), then the namespaces. */
function clusterAccessSection(context: RunbookContext): string[] {
  const access = clusterAccess(context.settings);
  return [
    ...(access.bullets.length ? [...access.bullets, ''] : []),
    '```sh',
    ...access.commands,
    ...context.namespaces.map((ns) => shellLine(apply(['kubectl', 'create', 'namespace', operand(ns)]))),
    '```',
    '',
  ];
}

/** Model weights for claims the runbook fills (empty when the model servers read an object store). */
function weightsSection(context: RunbookContext): string[] {
  const { install, settings, files, source, mirror } = context;
  if (!files.modelServer) return [];
  const layer = modelServerValues(install, settings, source);
  const modelServerLayer = files.modelServerValues ?? mergeValues(baseValues('model-server'), layer ? forRelease('model-server', layer, settings.release) : {});
  return weightsStep(settings, modelServerLayer, source.mirrored ? mirror : null);
}

function secretsSection(context: RunbookContext): string[] {
  const { install, settings, files, namespaces, source } = context;
  return [
    'installctl never handles secret values. Each `test -s FILE || ...` line below asks for a value once (paste it, then Ctrl-D) and keeps it in `secrets/` or `trust/` (readable by you only); the next command creates the Secret or ConfigMap from that file.',
    '',
    '```sh',
    ...secretsStep(install, settings, files, namespaces, source),
    '```',
    '',
  ];
}

/** helm upgrade --install for each chart, with the three values layers; then how Argo CD does the same. */
/** The pull Secret the secrets step creates for the chart registry (none when the nodes pull with their cloud identity). */
function chartsPullSecret({ install, settings, source }: RunbookContext): PullSecretRef | null {
  const pullSecret = install.spec.registry?.pullSecret;
  return pullSecret && !source.nodeIdentity ? { namespace: settings.workloads.platformNamespace, name: pullSecret.name } : null;
}

function chartsSection(context: RunbookContext, infraStep: number): string[] {
  const { settings, files, source, infra } = context;
  // The vendor's registry serves anonymous pulls; a mirror wants a login (the pull secret made in the secrets step, or the cloud's token).
  const login = source.mirrored ? registryLoginLines(source.host, ['helm'], chartsPullSecret(context)) : [];
  const chartSource = (chart: string) => `oci://${source.registry}/charts/${chart}`;
  const layers = (chart: string, infraLayer: boolean) => ['-f', `helm/${chart}.values.yaml`, ...(infraLayer ? ['-f', `helm/${chart}.infra.values.json`] : [])];
  const helmInstall = (chart: 'model-server' | 'agent-platform', namespace: string, timeout: string) =>
    shellLine([
      'helm',
      'upgrade',
      '--install',
      chart,
      operand(chartSource(chart)),
      '--version',
      chartVersion(chart, settings.release),
      ...option('-n', namespace),
      ...layers(chart, infra),
      '--wait',
      '--timeout',
      timeout,
    ]);
  const bundled = (['postgres', 'redis', 'rabbitmq'] as const).filter((store) => settings.datastores[store] === 'bundled');
  return [
    `Values are layered: the chart's own values.yaml (vendor base, never edited), \`helm/<chart>.values.yaml\` (this customer), and the infrastructure layer from step ${infraStep}.`,
    '',
    '```sh',
    ...login,
    ...(files.modelServer ? [helmInstall('model-server', settings.workloads.modelsNamespace, '45m')] : []),
    helmInstall('agent-platform', settings.workloads.platformNamespace, '20m'),
    '```',
    '',
    bundled.length
      ? `The database migration runs as a regular Job next to the bundled ${bundled.join(', ')} (a pre-install hook would run before ${bundled.length > 1 ? 'they exist' : 'it exists'}), and every database client waits in its \`wait-for-schema\` init step until the schema is migrated. With Argo CD: one Application per chart, with the same value files in the same order (\`spec.source.helm.valueFiles\`); the migration Job is a Sync hook.`
      : 'With Argo CD: one Application per chart, with the same value files in the same order (`spec.source.helm.valueFiles`); the migration Job is a PreSync hook (sync wave -1), run before the workloads.',
    '',
  ];
}

/** Pods, the prerequisites that hold only once the charts run, the readiness endpoint, then the SCM scopes to connect. */
function verifySection(context: RunbookContext, prerequisiteChecks: string[]): string[] {
  const { install, settings, files } = context;
  const { spec } = install;
  return [
    '```sh',
    shellLine(['kubectl', ...option('-n', settings.workloads.platformNamespace), 'get', 'pods']),
    ...(files.modelServer
      ? [shellLine(['kubectl', ...option('-n', settings.workloads.modelsNamespace), 'get', 'pods'], 'model servers need minutes to load weights (startup probe)')]
      : []),
    ...prerequisiteChecks,
    shellLine(['curl', '-fsS', `https://${spec.ingress.hostname}/readyz`]),
    '```',
    '',
    `Then open ${markdownText(`https://${spec.ingress.hostname}`)} and connect the ${scmScopes(spec.scm)}.`,
    '',
  ];
}

/**
 * source: the one registry every registry reference below is built from (registry-source.ts).
 * files.modelServerValues: the merged model-server values the release installs with (relocated
 * images included); built from the spec when a caller has none.
 */
export function renderRunbook(
  install: Install,
  settings: InstallSettings,
  files: { modelServer: boolean; modelServerValues?: Values },
  generatedBy: string,
  source: RegistrySource = specRegistrySource(install.spec.registry?.mirror ?? null, settings.registry !== null),
): string {
  const context: RunbookContext = {
    install,
    settings,
    files,
    source,
    airGapped: settings.network.mode === 'air-gapped',
    infra: settings.cloud !== null,
    mirror: source.mirrored ? source.registry : 'MIRROR',
    namespaces: files.modelServer ? [settings.workloads.platformNamespace, settings.workloads.modelsNamespace] : [settings.workloads.platformNamespace],
  };
  const lines = beforeYouStart(context, generatedBy);
  let step = 1;
  const section = (title: string, body: string[]) => lines.push(`## ${step++}. ${title}`, '', ...body);
  const modelAccess = modelAccessStep(install, settings);
  if (modelAccess.length) section('Model access and quota', modelAccess);
  const infraStep = step;
  const infrastructure = infrastructureSection(context);
  section(infrastructure.title, infrastructure.lines);
  section('Cluster access', clusterAccessSection(context));
  const weights = weightsSection(context);
  // Secrets (and the weights, when claims hold them) come between the prerequisites and the charts.
  const prereqs = prerequisites(install, settings, files, context.mirror, step + (weights.length ? 3 : 2));
  section('Prerequisites', ['The charts install, but nothing becomes reachable or healthy, until these exist in the cluster:', '', ...prereqs.lines]);
  section('Secrets and CA bundles', secretsSection(context));
  if (weights.length) section('Model weights', weights);
  section('Install the charts (Helm)', chartsSection(context, infraStep));
  section('DNS record', dnsStep(install, settings));
  section('Verify', verifySection(context, prereqs.verify));
  const upgrade = upgradeSection(install, settings, files.modelServer, source);
  section(upgrade.title, upgrade.lines);
  return lines.join('\n');
}
