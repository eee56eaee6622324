// The edits the dry run makes for a fifth platform (oci), as pure functions of a file's text: run by
// scripts/dimension-dry-run.mjs in a temp copy, and by its test on the real files.
import { insertAfterLast, replaceOnce } from './text.mjs';

export const FAKE_PLATFORM = { id: 'oci', def: 'ociPlatform', title: 'OciPlatform', label: 'Oracle Cloud Infrastructure', installClass: 'OciInstall' };

/** The platform's schema branch: OKE in a compartment and region, a new or existing VCN. */
function addPlatformToSchema(text) {
  const schema = JSON.parse(text);
  const defs = schema.$defs;
  defs.platform.oneOf.push({ $ref: `#/$defs/${FAKE_PLATFORM.def}` });
  defs.platform.description = defs.platform.description.replace('gcp or onprem', `gcp, ${FAKE_PLATFORM.id} or onprem`);
  const branch = {
    title: FAKE_PLATFORM.title,
    type: 'object',
    description: `${FAKE_PLATFORM.label} (OKE).`,
    properties: {
      type: { const: FAKE_PLATFORM.id },
      compartmentId: {
        type: 'string',
        description: 'the OCID of the compartment the install creates its resources in',
        pattern: '^ocid1\\.compartment\\.oc[0-9]+\\.\\.[a-z0-9]{60}$',
      },
      region: { type: 'string', description: 'an OCI region such as us-ashburn-1', pattern: '^[a-z]{2}-[a-z]+-[1-9]$', examples: ['us-ashburn-1'] },
      kubernetesVersion: { $ref: '#/$defs/kubernetesVersion' },
      cluster: { $ref: '#/$defs/cluster' },
      vpc: {
        title: 'OciVcn',
        description: 'The VCN (named vpc as on AWS and GCP): mode new (with a CIDR) or existing (VCN and private subnet OCIDs).',
        type: 'object',
        discriminator: { propertyName: 'mode' },
        oneOf: [
          { $ref: '#/$defs/newNetwork' },
          {
            title: 'ExistingOciVcn',
            type: 'object',
            properties: {
              mode: { const: 'existing' },
              vcnId: { type: 'string', description: 'an existing VCN OCID', pattern: '^ocid1\\.vcn\\.oc[0-9]+\\.[a-z0-9-]+\\.[a-z0-9]{60}$' },
              subnetId: { type: 'string', description: 'an existing private subnet OCID', pattern: '^ocid1\\.subnet\\.oc[0-9]+\\.[a-z0-9-]+\\.[a-z0-9]{60}$' },
            },
            required: ['mode', 'vcnId', 'subnetId'],
            additionalProperties: false,
          },
        ],
      },
    },
    required: ['type', 'compartmentId', 'region', 'kubernetesVersion', 'cluster', 'vpc'],
    additionalProperties: false,
  };
  const entries = Object.entries(defs);
  const at = entries.findIndex(([key]) => key === 'onpremPlatform');
  entries.splice(at, 0, [FAKE_PLATFORM.def, branch]);
  schema.$defs = Object.fromEntries(entries);
  return JSON.stringify(schema, null, 2) + '\n';
}

/**
 * The matrix's value list (in the PLATFORMS map's order: flag help reads it). The fake platform has no
 * cloud model service of its own (cloudModelService null), so the rules that say what a cloud-managed
 * cell needs without one (credentials; air-gapped: unsupported) name it beside onprem.
 */
function addPlatformToMatrix(text) {
  const withValue = text.replace(/^( {2}platform: \[[^\]\n]*gcp), onprem\]/m, `$1, ${FAKE_PLATFORM.id}, onprem]`);
  if (withValue === text) throw new Error('matrix/support-matrix.yaml: the platform list not found');
  const withRule = replaceOnce(
    withValue,
    'when: { network: air-gapped, platform: onprem, models: cloud-managed }',
    `when: { network: air-gapped, platform: [${FAKE_PLATFORM.id}, onprem], models: cloud-managed }`,
    'support-matrix.yaml',
  );
  return replaceOnce(
    withRule,
    'when: { models: cloud-managed, platform: onprem }',
    `when: { models: cloud-managed, platform: [${FAKE_PLATFORM.id}, onprem] }`,
    'support-matrix.yaml',
  );
}

/** A chart's `global.platform` enum (the descriptor's chartPlatforms), after gcp. */
function addPlatformToChartSchema(text) {
  const schema = JSON.parse(text);
  const values = schema.properties.global.properties.platform.enum;
  values.splice(values.indexOf('gcp') + 1, 0, FAKE_PLATFORM.id);
  return JSON.stringify(schema, null, 2) + '\n';
}

/** The stacks' Platform union and the cloud settings their components would read. */
function addPlatformToSettings(text) {
  const withValue = text.replace(
    "export type Platform = 'aws' | 'azure' | 'gcp' | 'onprem';",
    `export type Platform = 'aws' | 'azure' | 'gcp' | '${FAKE_PLATFORM.id}' | 'onprem';`,
  );
  const cloud = `export interface OciCloud {
  type: '${FAKE_PLATFORM.id}';
  compartmentId: string;
  region: string;
  /** The VCN (named vpc like AWS's and GCP's, so the shared network code reads it). */
  vpc: NewNetwork | { mode: 'existing'; vcnId: string; subnetId: string };
}

export type CloudSettings = AwsCloud | AzureCloud | GcpCloud | OciCloud;`;
  const next = withValue.replace('export type CloudSettings = AwsCloud | AzureCloud | GcpCloud;', cloud);
  if (withValue === text || next === withValue) throw new Error('stacks/settings.ts: Platform or CloudSettings not found');
  return next;
}

function platformDescriptorModule() {
  return `import type { PlatformDescriptor } from '../types.js';

export const ${FAKE_PLATFORM.id}: PlatformDescriptor<'${FAKE_PLATFORM.id}'> = {
  id: '${FAKE_PLATFORM.id}',
  label: '${FAKE_PLATFORM.label}',
  cloudModelService: null,
  emit: {
    cloud: true,
    starterLines: (cluster) => [
      'type: ${FAKE_PLATFORM.id}',
      'compartmentId: ocid1.compartment.oc1..${'a'.repeat(60)}',
      'region: us-ashburn-1',
      'kubernetesVersion: "1.32"',
      ...cluster,
      'vpc:                          # the VCN',
      '  mode: new                   # or: mode: existing, vcnId, subnetId',
      '  cidr: 10.50.0.0/16',
    ],
    starterMirror: (placeholders) => \`iad.ocir.io/\${placeholders.customerLabel}/installctl\`,
    weightsObjectStore: null,
    gpuPresets: null,
    starterGpuPool: { product: 'a100-80gb', chatGpus: 2, extra: 'gpusPerNode: 8              # GPUs on each existing GPU node (BM.GPU.A100-v2.8)' },
    starterWeights: () => null,
    defaultDatastores: 'bundled',
    pulumiProvider: null,
    installClass: '${FAKE_PLATFORM.installClass}',
    cloudCli: { command: 'oci', scope: { noun: 'compartment', value: (platform) => platform.compartmentId } },
    cloudSettings: (platform) => ({
      type: '${FAKE_PLATFORM.id}',
      compartmentId: platform.compartmentId,
      region: platform.region,
      vpc: platform.vpc.mode === 'new' ? { mode: 'new', cidr: platform.vpc.cidr, zones: platform.vpc.zones ?? 3 } : { mode: 'existing', vcnId: platform.vpc.vcnId, subnetId: platform.vpc.subnetId },
    }),
  },
  check: {
    affectedFiles: { stack: ['stacks/${FAKE_PLATFORM.id}/'], cloud: ['cli/conformance/pulumi/clouds/${FAKE_PLATFORM.id}.ts'] },
    chartPlatforms: ['${FAKE_PLATFORM.id}'],
    // Not a managed Kubernetes to installctl yet: no GPU presets, no cloud model service, no provider (see the header).
    managedKubernetes: false,
    metadataServerEgress: [],
    synthesisMs: { stack: 35, selfHostedExtra: 10 },
  },
};
`;
}

function addPlatformToIndex(text) {
  const imported = insertAfterLast(text, /^import \{ gcp \} from '\.\/gcp\.js';$/gm, `\nimport { ${FAKE_PLATFORM.id} } from './${FAKE_PLATFORM.id}.js';`);
  return insertAfterLast(imported, /^ {2}gcp,$/gm, `\n  ${FAKE_PLATFORM.id},`);
}

/** Inserts a `case` before the switch's gcp case (the switch has no default: the compiler asks for it). */
function addCaseBefore(gcpCase, oci, file) {
  return (text) => replaceOnce(text, gcpCase, `${oci}\n${gcpCase}`, file);
}

/** A mock cloud with no provider: its one policy fails, so a cell that reaches conformance is not green by accident. */
function conformanceCloudModule() {
  return `/** ${FAKE_PLATFORM.label}: no stack yet (its matrix cells are unsupported); a synthesis that reaches it fails. */
import type { CloudModule } from '../types.js';

export const ${FAKE_PLATFORM.id}: CloudModule = {
  provider: null,
  computed: () => ({}),
  invoke: () => ({}),
  tagValue: (value) => value,
  tagsOf: () => undefined,
  tagProperties: [],
  policies: [() => [{ policy: '${FAKE_PLATFORM.id}-stack', resource: null, message: 'installctl has no ${FAKE_PLATFORM.label} stack yet' }]],
  keyProperties: [],
};
`;
}

/** The stack component the emitted index.ts instantiates: it creates nothing yet (the real one is OKE, VCN, buckets). */
function stackInstallModule() {
  return `import * as pulumi from '@pulumi/pulumi';
import type { InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';

export interface ${FAKE_PLATFORM.installClass}Args {
  settings: InstallSettings;
}

/** ${FAKE_PLATFORM.label}: no cloud resources yet; the stack records the settings it would build from. */
export class ${FAKE_PLATFORM.installClass} extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(name: string, args: ${FAKE_PLATFORM.installClass}Args, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:${FAKE_PLATFORM.id}:Install', name, {}, opts);
    const { settings } = args;
    const cloud = settings.cloud;
    requireValid('${FAKE_PLATFORM.installClass}', [settings.platform !== '${FAKE_PLATFORM.id}' && \`platform is \${settings.platform}, not ${FAKE_PLATFORM.id}\`, cloud?.type !== '${FAKE_PLATFORM.id}' && 'settings.cloud is not ${FAKE_PLATFORM.id}']);
    this.outputs = { compartmentId: cloud!.type === '${FAKE_PLATFORM.id}' ? cloud!.compartmentId : '', platformNamespace: settings.workloads.platformNamespace, modelsNamespace: settings.workloads.modelsNamespace };
    this.registerOutputs(this.outputs);
  }
}
`;
}

function addPlatformToCloudModules(text) {
  const imported = replaceOnce(
    text,
    "import { gcp } from './gcp.js';",
    `import { gcp } from './gcp.js';\nimport { ${FAKE_PLATFORM.id} } from './${FAKE_PLATFORM.id}.js';`,
    'clouds/index.ts',
  );
  return replaceOnce(imported, '{ aws, azure, gcp, onprem }', `{ aws, azure, gcp, ${FAKE_PLATFORM.id}, onprem }`, 'clouds/index.ts');
}

const OCI_RUNBOOK_CLUSTER = `    case '${FAKE_PLATFORM.id}': {
      const kubeconfig = shellLine(['oci', 'ce', 'cluster', 'create-kubeconfig', '--cluster-id', syntax('"$(jq -r .clusterId pulumi-outputs.json)"'), ...option('--region', cloud.region), '--token-version', '2.0.0', '--kube-endpoint', reach === 'public' ? 'PUBLIC_ENDPOINT' : 'PRIVATE_ENDPOINT']);
      if (reach === 'public') return { bullets: [], commands: [kubeconfig] };
      return { bullets: [\`- \${opening} Run the steps below from a host in the cluster's VCN (the OCI Bastion service, or a compute instance in its private subnet), or over the site's VPN or FastConnect.\`], commands: [kubeconfig] };
    }`;

const OCI_RUNBOOK_INGRESS = `    case '${FAKE_PLATFORM.id}':
      return { bullets: [\`- Ingress: the OCI Native Ingress Controller (IngressClass \${markdownCode(context.className)}), once per cluster; OKE installs it as a cluster add-on.\`], commands: [shellLine(context.classCheck, "the OCI Native Ingress Controller serves the platform's Ingress")] };`;

/**
 * The platform edits the dry run makes for a fifth platform, in order: the checklist's core (schema,
 * matrix, descriptor and its map, the stacks' settings), then what the compiler asks for (every
 * exhaustive Record and switch over Platform or CloudSettings), each with the least real content.
 */
export const PLATFORM_EDITS = [
  { path: 'schemas/install.schema.json', why: 'the value: its $defs branch (compartment, region, cluster, VCN) and its $ref', edit: addPlatformToSchema },
  { path: 'matrix/support-matrix.yaml', why: 'the value in dimensions.platform (its cells follow from the rules)', edit: addPlatformToMatrix },
  { path: `cli/dimensions/platforms/${FAKE_PLATFORM.id}.ts`, why: 'the descriptor', edit: () => platformDescriptorModule() },
  { path: 'cli/dimensions/platforms/index.ts', why: 'the exhaustive PLATFORMS map', edit: addPlatformToIndex },
  { path: 'stacks/settings.ts', why: 'Platform and its CloudSettings branch', edit: addPlatformToSettings },
  { path: `stacks/${FAKE_PLATFORM.id}/install.ts`, why: `the stack component (${FAKE_PLATFORM.installClass}): creates nothing yet`, edit: () => stackInstallModule() },
  {
    path: 'stacks/decisions/gpu.ts',
    why: 'GPU node label and who runs the device plugin (exhaustive Records)',
    edit: (text) =>
      replaceOnce(
        replaceOnce(
          text,
          "  gcp: (shape) => ({ key: 'cloud.google.com/gke-accelerator', value: shape?.accelerator ?? '' }),",
          `  gcp: (shape) => ({ key: 'cloud.google.com/gke-accelerator', value: shape?.accelerator ?? '' }),\n  ${FAKE_PLATFORM.id}: (_shape, gpuFeatureDiscoveryProduct) => ({ key: 'nvidia.com/gpu.product', value: gpuFeatureDiscoveryProduct }),`,
          'gpu.ts',
        ),
        "gcp: 'platform-managed', onprem",
        `gcp: 'platform-managed', ${FAKE_PLATFORM.id}: 'gpu-operator', onprem`,
        'gpu.ts',
      ),
  },
  {
    path: 'stacks/decisions/ingress.ts',
    why: 'the default ingress class (exhaustive switch)',
    edit: addCaseBefore("    case 'gcp':\n      return exposure", `    case '${FAKE_PLATFORM.id}':\n      return 'native-ic-ingress-class';`, 'ingress.ts'),
  },
  {
    path: 'stacks/decisions/registry.ts',
    why: "the cloud's own registry (exhaustive switch): none created yet",
    edit: addCaseBefore("    case 'gcp': {\n      const match = ARTIFACT_REGISTRY", `    case '${FAKE_PLATFORM.id}':\n      return null;`, 'registry.ts'),
  },
  {
    path: 'cli/emit/pulumi-project.ts',
    why: 'the provider config (exhaustive switch)',
    edit: addCaseBefore("    case 'gcp':\n      return { 'gcp:project'", `    case '${FAKE_PLATFORM.id}':\n      return {};`, 'pulumi-project.ts'),
  },
  {
    path: 'cli/emit/helm-values.ts',
    why: "the model-server chart's GPU preset (exhaustive object)",
    edit: (text) => replaceOnce(text, "gcp: 'gke', onprem", `gcp: 'gke', ${FAKE_PLATFORM.id}: 'gpu-feature-discovery', onprem`, 'helm-values.ts'),
  },
  {
    path: 'cli/emit/runbook-cluster-access.ts',
    why: 'the runbook: kubeconfig and private API access (exhaustive switch)',
    edit: addCaseBefore("    case 'gcp':\n      return gcpAccess", OCI_RUNBOOK_CLUSTER, 'runbook-cluster-access.ts'),
  },
  {
    path: 'cli/emit/runbook-prerequisites.ts',
    why: "the runbook: the cloud's ingress controller (exhaustive switch)",
    edit: addCaseBefore("    case 'gcp':\n      return gcpIngress", OCI_RUNBOOK_INGRESS, 'runbook-prerequisites.ts'),
  },
  {
    path: 'cli/emit/runbook-secrets.ts',
    why: 'the runbook: the managed cache secret (exhaustive switch; oci bundles its datastores)',
    edit: addCaseBefore(
      "    case 'gcp':\n      return [",
      `    case '${FAKE_PLATFORM.id}':\n      return ['# ${FAKE_PLATFORM.id} bundles its datastores in the cluster: no managed cache secret'];`,
      'runbook-secrets.ts',
    ),
  },
  { path: `cli/conformance/pulumi/clouds/${FAKE_PLATFORM.id}.ts`, why: 'the mock cloud module (fails any synthesis: no stack yet)', edit: () => conformanceCloudModule() },
  { path: 'cli/conformance/pulumi/clouds/index.ts', why: 'the exhaustive CLOUD_MODULES map', edit: addPlatformToCloudModules },
  { path: 'charts/agent-platform/values.schema.json', why: "the chart's global.platform enum", edit: addPlatformToChartSchema },
  { path: 'charts/model-server/values.schema.json', why: "the chart's global.platform enum", edit: addPlatformToChartSchema },
  // A test helper the compiler flags (tsconfig.test.json): counted under tests, apart from the hand edits.
  {
    path: 'test/helpers/stack-goldens.ts',
    why: 'what the stack varies with (exhaustive Record): nothing, it creates nothing',
    edit: (text) =>
      replaceOnce(text, "  gcp: ['models', 'network'],\n  onprem: [],", `  gcp: ['models', 'network'],\n  ${FAKE_PLATFORM.id}: [],\n  onprem: [],`, 'stack-goldens.ts'),
  },
];
