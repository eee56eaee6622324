import { describe, expect, it } from 'vitest';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { checkSpecDocument } from '../../cli/install-spec/check-spec.js';
import { checkData, codes, loadExample, withValue } from '../helpers/specs.js';

const awsSaas = loadExample('aws-github-saas-connected.yaml');
const awsAir = loadExample('aws-ghes-self-hosted-air-gapped.yaml');
const azureConditional = loadExample('azure-bitbucket-cloud-managed-air-gapped.yaml');
const onpremBedrock = loadExample('onprem-ghes-cloud-managed-connected.yaml');
const gcpAir = loadExample('gcp-gitlab-self-hosted-air-gapped.yaml');

interface Case {
  name: string;
  spec: unknown;
  code: string;
  path?: string;
  severity?: 'error' | 'warning';
}

const cases: Case[] = [
  // Identity of the document
  { name: 'wrong kind', spec: withValue(awsSaas, 'kind', 'Deployment'), code: 'SPEC_KIND', path: 'kind' },
  { name: 'wrong apiVersion', spec: withValue(awsSaas, 'apiVersion', 'installctl.dev/v1'), code: 'SPEC_API_VERSION', path: 'apiVersion' },
  { name: 'missing apiVersion', spec: withValue(awsSaas, 'apiVersion', undefined), code: 'SPEC_API_VERSION', path: 'apiVersion' },
  // Shape
  {
    name: 'typo in a key',
    spec: withValue(withValue(awsSaas, 'spec.platfrom', awsSaas.spec.platform), 'spec.platform', undefined),
    code: 'SCHEMA_UNKNOWN_KEY',
    path: 'spec.platfrom',
  },
  { name: 'missing required key', spec: withValue(awsSaas, 'spec.ingress', undefined), code: 'SCHEMA_REQUIRED', path: 'spec.ingress' },
  { name: 'missing discriminator', spec: withValue(awsSaas, 'spec.platform.type', undefined), code: 'SCHEMA_REQUIRED', path: 'spec.platform.type' },
  { name: 'unknown platform', spec: withValue(awsSaas, 'spec.platform.type', 'ibm'), code: 'SCHEMA_ENUM', path: 'spec.platform.type' },
  { name: 'wrong case', spec: withValue(awsSaas, 'spec.network.mode', 'Connected'), code: 'SCHEMA_ENUM', path: 'spec.network.mode' },
  { name: 'stray space', spec: withValue(awsSaas, 'spec.platform.type', 'aws '), code: 'VALUE_WHITESPACE', path: 'spec.platform.type' },
  { name: 'number where a string belongs', spec: withValue(awsSaas, 'spec.platform.kubernetesVersion', 1.3), code: 'SCHEMA_TYPE', path: 'spec.platform.kubernetesVersion' },
  { name: 'unquoted account id', spec: withValue(awsSaas, 'spec.platform.accountId', 481516234200), code: 'SCHEMA_TYPE', path: 'spec.platform.accountId' },
  { name: 'invalid hostname', spec: withValue(awsSaas, 'spec.ingress.hostname', 'agents_portal.corp'), code: 'SCHEMA_HOSTNAME', path: 'spec.ingress.hostname' },
  { name: 'uppercase hostname', spec: withValue(awsSaas, 'spec.ingress.hostname', 'Agents.corp'), code: 'SCHEMA_HOSTNAME' },
  { name: 'http URL', spec: withValue(awsAir, 'spec.scm.url', 'http://github.acme.internal'), code: 'SCHEMA_URL', path: 'spec.scm.url' },
  { name: 'not a URL', spec: withValue(awsAir, 'spec.scm.url', 'github.acme.internal'), code: 'SCHEMA_URL' },
  { name: 'invalid CIDR', spec: withValue(awsSaas, 'spec.platform.vpc.cidr', '10.60.0.0/33'), code: 'SCHEMA_CIDR', path: 'spec.platform.vpc.cidr' },
  { name: 'CIDR octet out of range', spec: withValue(awsSaas, 'spec.platform.vpc.cidr', '10.300.0.0/16'), code: 'SCHEMA_CIDR' },
  { name: 'invalid name', spec: withValue(awsSaas, 'metadata.name', 'Northwind_Prod'), code: 'SCHEMA_NAME', path: 'metadata.name' },
  { name: 'out of range', spec: withValue(awsAir, 'spec.models.catalog.0.replicas', 99), code: 'SCHEMA_RANGE', path: 'spec.models.catalog[0].replicas' },
  { name: 'duplicate list item', spec: withValue(awsSaas, 'spec.scm.organizations', ['a', 'a']), code: 'SCHEMA_UNIQUE', path: 'spec.scm.organizations' },
  { name: 'empty secret reference', spec: withValue(awsSaas, 'spec.models.apiKey', {}), code: 'SCHEMA_RANGE', path: 'spec.models.apiKey' },
  { name: 'null section', spec: withValue(awsSaas, 'spec.network', null), code: 'SCHEMA_TYPE', path: 'spec.network' },
  // Secrets
  {
    name: 'literal secret in a reference field',
    spec: withValue(awsSaas, 'spec.models.apiKey', 'sk-proj-abcdefghijklmnopqrstuvwxyz0123'),
    code: 'SECRET_LITERAL',
    path: 'spec.models.apiKey',
  },
  { name: 'literal password under an unknown key', spec: withValue(awsSaas, 'spec.ingress.password', 'hunter2'), code: 'SECRET_LITERAL', path: 'spec.ingress.password' },
  {
    name: 'token-shaped value anywhere',
    spec: withValue(awsSaas, 'metadata.labels.owner', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'),
    code: 'SECRET_LITERAL',
    path: 'metadata.labels.owner',
  },
  { name: 'credentials in a URL', spec: withValue(awsSaas, 'spec.network.egressProxy.url', 'http://bob:pa55@egress.northwind.corp:3128'), code: 'SECRET_LITERAL' },
  {
    name: 'private key pasted',
    spec: withValue(awsAir, 'spec.scm.auth.privateKey', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'),
    code: 'SECRET_LITERAL',
    path: 'spec.scm.auth.privateKey',
  },
  // Support matrix
  { name: 'unsupported cell', spec: withValue(awsSaas, 'spec.network', { mode: 'air-gapped' }), code: 'MATRIX_AIRGAP_SAAS_MODELS', path: 'spec.network.mode' },
  {
    name: 'conditional cell without acknowledgement',
    spec: withValue(azureConditional, 'spec.acknowledgements', undefined),
    code: 'MATRIX_ACKNOWLEDGEMENT_REQUIRED',
    path: 'spec.acknowledgements',
  },
  {
    name: 'unused acknowledgement',
    spec: withValue(awsSaas, 'spec.acknowledgements', [{ id: 'cloud-models-via-private-endpoint', acceptedBy: 'a@b.corp' }]),
    code: 'MATRIX_ACKNOWLEDGEMENT_UNUSED',
    severity: 'warning',
  },
  // Requirements of the cell
  { name: 'air-gapped without a mirror', spec: withValue(awsAir, 'spec.registry', undefined), code: 'REQUIRE_REGISTRY_MIRROR', path: 'spec.registry' },
  {
    name: 'air-gapped with a public registry',
    spec: withValue(awsAir, 'spec.registry.mirror', 'docker.io/acme'),
    code: 'REQUIRE_NO_PUBLIC_ENDPOINTS',
    path: 'spec.registry.mirror',
  },
  { name: 'air-gapped with a public SCM URL', spec: withValue(awsAir, 'spec.scm.url', 'https://github.com'), code: 'REQUIRE_NO_PUBLIC_ENDPOINTS', path: 'spec.scm.url' },
  {
    name: 'air-gapped OCI weights from ghcr.io',
    spec: withValue(awsAir, 'spec.models.catalog.1.weights.reference', 'ghcr.io/acme/bge@sha256:' + 'a'.repeat(64)),
    code: 'REQUIRE_NO_PUBLIC_ENDPOINTS',
  },
  {
    name: 'air-gapped weights from the hub',
    spec: withValue(awsAir, 'spec.models.catalog.0.weights', { source: 'hf', repo: 'Qwen/Qwen2.5-Coder-32B-Instruct', revision: 'a'.repeat(40) }),
    code: 'REQUIRE_OFFLINE_WEIGHTS',
  },
  { name: 'air-gapped public API endpoint', spec: withValue(awsAir, 'spec.platform.cluster.apiEndpoint', 'public'), code: 'REQUIRE_PRIVATE_CLUSTER_API' },
  { name: 'self-hosted without a GPU pool', spec: withValue(awsAir, 'spec.models.gpuPool', undefined), code: 'REQUIRE_GPU_POOL', path: 'spec.models.gpuPool' },
  { name: 'GPU product the cloud lacks', spec: withValue(gcpAir, 'spec.models.gpuPool.product', 'a10g'), code: 'REQUIRE_GPU_POOL', path: 'spec.models.gpuPool.product' },
  {
    name: 'served model without weights',
    spec: withValue(awsAir, 'spec.models.catalog.0.weights', undefined),
    code: 'REQUIRE_WEIGHTS_SOURCE',
    path: 'spec.models.catalog[0].weights',
  },
  { name: 'GitHub.com without webhooks', spec: withValue(awsSaas, 'spec.scm.webhooks', undefined), code: 'REQUIRE_SCM_WEBHOOK_ROUTE', path: 'spec.scm.webhooks' },
  { name: 'GitHub.com polling', spec: withValue(awsSaas, 'spec.scm.webhooks', { delivery: 'polling' }), code: 'REQUIRE_SCM_WEBHOOK_ROUTE' },
  {
    name: 'wrong cloud model service',
    spec: withValue(loadExample('azure-gitlab-cloud-managed-connected.yaml'), 'spec.models.provider', 'bedrock'),
    code: 'REQUIRE_CLOUD_MODEL_PROVIDER_MATCHES_PLATFORM',
    path: 'spec.models.provider',
  },
  {
    name: 'on-prem cloud models without credentials',
    spec: withValue(onpremBedrock, 'spec.models.credentials', undefined),
    code: 'REQUIRE_CLOUD_MODEL_CREDENTIALS',
    path: 'spec.models.credentials',
  },
  {
    name: 'conditional cell without model private endpoint',
    spec: withValue(azureConditional, 'spec.network.privateEndpoints.modelService', false),
    code: 'REQUIRE_MODEL_PRIVATE_ENDPOINT',
  },
  // Cross-field rules
  {
    name: 'gpuCount differs from tensorParallelSize',
    spec: withValue(awsAir, 'spec.models.catalog.0.gpuCount', 2),
    code: 'RULE_GPU_COUNT_TP_MISMATCH',
    path: 'spec.models.catalog[0].gpuCount',
  },
  {
    name: 'model larger than a node',
    spec: withValue(
      withValue(loadExample('azure-gitlab-cloud-managed-connected.yaml'), 'spec.models', {
        hosting: 'self-hosted',
        gpuPool: { product: 't4', minNodes: 1, maxNodes: 2 },
        catalog: [{ name: 'big', role: 'chat', gpuCount: 8, tensorParallelSize: 8, weights: { source: 'azure-blob', account: 'acct1', container: 'models', prefix: 'big/' } }],
      }),
      'spec.network.privateEndpoints',
      undefined,
    ),
    code: 'RULE_GPU_EXCEEDS_NODE',
  },
  {
    name: 'weights from another cloud',
    spec: withValue(gcpAir, 'spec.models.catalog.0.weights', { source: 's3', bucket: 'weights', prefix: 'qwen/' }),
    code: 'RULE_WEIGHTS_SOURCE_PLATFORM',
  },
  { name: 'GPU pool min above max', spec: withValue(awsAir, 'spec.models.gpuPool.minNodes', 5), code: 'RULE_GPU_POOL_RANGE' },
  { name: 'no chat model', spec: withValue(awsSaas, 'spec.models.catalog', [{ name: 'text-embedding-3-large', role: 'embedding' }]), code: 'RULE_NO_CHAT_MODEL' },
  { name: 'no embedding model', spec: withValue(awsSaas, 'spec.models.catalog', [{ name: 'gpt-4.1', role: 'chat' }]), code: 'RULE_NO_EMBEDDING_MODEL', severity: 'warning' },
  {
    name: 'duplicate model',
    spec: withValue(awsSaas, 'spec.models.catalog', [
      { name: 'gpt-4.1', role: 'chat' },
      { name: 'gpt-4.1', role: 'completion' },
    ]),
    code: 'RULE_DUPLICATE_MODEL',
    path: 'spec.models.catalog[1].name',
  },
  { name: 'azure-openai entry without deployment', spec: withValue(azureConditional, 'spec.models.catalog.0.deployment', undefined), code: 'RULE_AZURE_DEPLOYMENT' },
  { name: 'CIDR with host bits', spec: withValue(awsSaas, 'spec.platform.vpc.cidr', '10.60.1.0/16'), code: 'RULE_CIDR_HOST_BITS', path: 'spec.platform.vpc.cidr' },
  { name: 'CIDR too small', spec: withValue(awsSaas, 'spec.platform.vpc.cidr', '10.60.1.0/24'), code: 'RULE_CIDR_SIZE' },
  { name: 'GHES pointed at github.com', spec: withValue(onpremBedrock, 'spec.scm.url', 'https://github.com'), code: 'RULE_SCM_URL_IS_SAAS', path: 'spec.scm.url' },
  { name: 'managed datastore on-prem', spec: withValue(onpremBedrock, 'spec.datastores.redis', { mode: 'managed' }), code: 'RULE_MANAGED_DATASTORE_ONPREM' },
  {
    name: 'managed RabbitMQ off AWS',
    spec: withValue(loadExample('azure-gitlab-cloud-managed-connected.yaml'), 'spec.datastores.rabbitmq', { mode: 'managed' }),
    code: 'RULE_MANAGED_DATASTORE_UNAVAILABLE',
  },
  {
    name: 'Bedrock in another region behind a VPC endpoint',
    spec: withValue(
      withValue(loadExample('aws-github-saas-connected.yaml'), 'spec.models', {
        hosting: 'cloud-managed',
        provider: 'bedrock',
        region: 'us-west-2',
        catalog: [{ name: 'anthropic.claude-sonnet-4-5-20250929-v1:0', role: 'chat' }],
      }),
      'spec.network.privateEndpoints',
      { modelService: true },
    ),
    code: 'RULE_MODEL_REGION_ENDPOINT',
    path: 'spec.models.region',
  },
  { name: 'placeholder host', spec: withValue(awsSaas, 'spec.ingress.hostname', 'agents.acme.example'), code: 'RULE_PLACEHOLDER', severity: 'warning' },
  {
    name: 'webhook URL GitHub cannot reach',
    spec: withValue(awsSaas, 'spec.scm.webhooks.url', 'https://agents.northwind.corp/hooks'),
    code: 'RULE_WEBHOOK_URL_PRIVATE',
    severity: 'warning',
  },
  {
    name: 'air-gapped without an egress allow-list',
    spec: withValue(awsAir, 'spec.network.allowedEgressCidrs', undefined),
    code: 'RULE_EGRESS_ALLOWLIST_EMPTY',
    severity: 'warning',
  },
  { name: 'public cluster API', spec: withValue(awsSaas, 'spec.platform.cluster.apiEndpoint', 'public'), code: 'RULE_PUBLIC_CLUSTER_API', severity: 'warning' },
];

describe('checkSpecDocument: one table row per error code', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const result = checkData(c.spec);
    const severity = c.severity ?? 'error';
    const match = result.issues.find((issue) => issue.code === c.code && issue.severity === severity);
    expect(match, `issues: ${JSON.stringify(result.issues.map((i) => [i.code, i.path]))}`).toBeDefined();
    if (c.path !== undefined) expect(match!.path).toBe(c.path);
    expect(match!.line).not.toBeNull();
    expect(match!.message.length).toBeGreaterThan(10);
    expect(result.exitCode).toBe(severity === 'error' ? 1 : result.issues.some((i) => i.severity === 'error') ? 1 : 0);
  });

  it('covers every code the table names exactly once', () => {
    const names = cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('error quality', () => {
  it('suggests the key that was meant', () => {
    const result = checkData(withValue(withValue(awsSaas, 'spec.platfrom', awsSaas.spec.platform), 'spec.platform', undefined));
    expect(result.issues.find((i) => i.code === 'SCHEMA_UNKNOWN_KEY')!.hint).toContain("'platform'");
  });

  it('suggests the enumerated value that was meant', () => {
    const hint = checkData(withValue(awsSaas, 'spec.platform.type', 'AWS')).issues.find((i) => i.code === 'SCHEMA_ENUM')!.hint;
    expect(hint).toContain('"aws"');
    expect(checkData(withValue(awsSaas, 'spec.models.hosting', 'selfhosted')).issues.find((i) => i.code === 'SCHEMA_ENUM')!.hint).toContain('self-hosted');
  });

  it('tells YAML users to quote versions', () => {
    const issue = checkData(withValue(awsSaas, 'spec.platform.kubernetesVersion', 1.3)).issues.find((i) => i.code === 'SCHEMA_TYPE')!;
    expect(issue.hint).toMatch(/quote/);
  });

  it('reports only the chosen branch of a tagged union', () => {
    const result = checkData(withValue(awsSaas, 'spec.platform.region', undefined));
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['SCHEMA_REQUIRED', 'spec.platform.region']]);
  });

  it('never echoes a literal secret', () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const result = checkData(withValue(awsSaas, 'spec.scm.auth.privateKey', secret));
    expect(JSON.stringify(result.issues)).not.toContain(secret);
    expect(result.issues.map((i) => i.code)).toEqual(['SECRET_LITERAL']);
  });

  it('reports a document of another kind without the noise of its other keys', () => {
    const result = checkSpecText('deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n');
    expect(codes(result)).toEqual(['SPEC_API_VERSION', 'SPEC_KIND']);
  });

  it('gives unsupported cells their nearest supported alternatives', () => {
    const issue = checkData(withValue(awsSaas, 'spec.network', { mode: 'air-gapped' })).issues.find((i) => i.code === 'MATRIX_AIRGAP_GITHUB_COM')!;
    expect(issue.hint).toContain('aws/github/saas-api/connected');
  });

  it('reports every schema error at once, each with line and column', () => {
    let spec = withValue(awsSaas, 'spec.platform.region', 'mars-1');
    spec = withValue(spec, 'spec.ingress.hostname', 'Bad_Host');
    spec = withValue(spec, 'spec.sizing', 'huge');
    const result = checkData(spec);
    expect(codes(result).sort()).toEqual(['SCHEMA_ENUM', 'SCHEMA_HOSTNAME', 'SCHEMA_PATTERN']);
    expect(result.issues.every((issue) => issue.line !== null && issue.column !== null)).toBe(true);
  });

  it('points at the line and column of the offending value in the source text', () => {
    const text = 'apiVersion: installctl.dev/v1alpha1\nkind: Install\nmetadata:\n  name: x\n  customer: X\nspec:\n  sizing: huge\n';
    const issue = checkSpecText('a.yaml', text).issues.find((i) => i.code === 'SCHEMA_ENUM')!;
    expect([issue.line, issue.column, issue.path]).toEqual([7, 11, 'spec.sizing']);
  });

  it('does not mutate its input', () => {
    const frozen = structuredClone(awsAir);
    const deepFreeze = (value: any): any => {
      if (value && typeof value === 'object') {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    const before = JSON.stringify(frozen);
    deepFreeze(frozen);
    expect(checkSpecDocument(frozen).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(JSON.stringify(frozen)).toBe(before);
  });
});
