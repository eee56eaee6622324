/**
 * The emitters ask the descriptors: for every value of every map, what the starter spec, the stack
 * settings, the Pulumi project, the Helm values, the runbook and the spec rules produce is what that
 * value's descriptor says (so a new value's descriptor is all an emitter needs).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PLATFORMS, SCMS, type PlatformDescriptor, type ScmDescriptor } from '../../cli/dimensions/index.js';
import { init } from '../../cli/services/init.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import type { Install } from '../../cli/generated/install-spec.js';
import type { Cell } from '../../cli/matrix/engine.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { customerValues } from '../../cli/emit/helm-values.js';
import { renderRunbook } from '../../cli/emit/runbook.js';
import { pulumiProjectFiles } from '../../cli/emit/pulumi-project.js';
import { inventedStrings, starterPlaceholders } from '../../cli/install-spec/init-placeholders.js';
import { customerLabel } from '../../cli/install-spec/init-domain.js';
import { checkInfrastructure } from '../../cli/install-spec/rules/infrastructure.js';
import { checkModels } from '../../cli/install-spec/rules/models.js';

const CUSTOMER = 'Initech Inc';

/** The starter spec of a cell, validated: its text and its Install. */
function starter(platform: string, scm: string, models = 'saas-api', network = 'connected'): { text: string; install: Install; cell: Cell } {
  const text = init({ platform, scm, models, network, name: 'acme-prod', customer: CUSTOMER }).spec;
  const check = checkSpecText('starter.yaml', text);
  if (!check.install || !check.cell) throw new Error(`starter for ${platform}/${scm}/${models}/${network} does not load`);
  return { text, install: check.install, cell: check.cell };
}

const scms = Object.entries(SCMS) as Array<[string, ScmDescriptor]>;
const platforms = Object.entries(PLATFORMS) as Array<[string, PlatformDescriptor]>;

describe('SCM descriptors are what the emitters use', () => {
  it.each(scms)("%s: the starter spec writes the descriptor's scm block", (id, descriptor) => {
    const { text } = starter('aws', id);
    const block = descriptor.emit.starterLines({
      domain: 'initech.example',
      secret: (name, key) => `{ secretRef: { name: ${name}, key: ${key} } }`,
      organization: 'example-org',
      webhookSecret: 'webhookSecret: W',
      caBundle: [],
    });
    expect((parse(text) as { spec: { scm: { type: string } } }).spec.scm.type).toBe(id);
    // The type line and the scope line, as the descriptor has them (alignComments only moves trailing comments).
    expect(text).toContain(block[0]!.split('#')[0]!.trim());
    expect(text).toContain(block.find((line) => /^(organizations|groups|projects):/.test(line))!);
  });

  it.each(scms)("%s: the Helm values carry the descriptor's server URL and scopes", (id, descriptor) => {
    const { install, cell } = starter('aws', id);
    const values = customerValues(install, settingsFor(install, cell)).agentPlatform as { scm: { type: string; url: string; scopes: string[] } };
    expect(values.scm).toMatchObject({ type: id, url: descriptor.emit.serverUrl(install.spec.scm), scopes: [...descriptor.emit.scopes(install.spec.scm)] });
    expect(values.scm.scopes.length).toBeGreaterThan(0);
  });

  it.each(scms)("%s: the runbook ends with the descriptor's scopes label", (id, descriptor) => {
    const { install, cell } = starter('aws', id);
    const runbook = renderRunbook(install, settingsFor(install, cell), { modelServer: false }, 'test');
    expect(runbook).toContain(`and connect the ${descriptor.emit.scopesLabel} \``);
  });

  it.each(scms)('%s: the SaaS-URL rule follows the descriptor (RULE_SCM_URL_IS_SAAS)', (id, descriptor) => {
    const { install } = starter('aws', id);
    const selfManaged = descriptor.emit.selfManaged;
    if (!selfManaged) {
      // The SaaS service itself: no server URL to refuse.
      expect(checkInfrastructure(install).map((finding) => finding.code)).not.toContain('RULE_SCM_URL_IS_SAAS');
      return;
    }
    const atSaas = { ...install, spec: { ...install.spec, scm: { ...install.spec.scm, url: `https://${selfManaged.saasHost}` } } } as Install;
    const finding = checkInfrastructure(atSaas).find((candidate) => candidate.code === 'RULE_SCM_URL_IS_SAAS');
    expect(finding).toMatchObject({ severity: 'error', hint: selfManaged.saasHint });
    expect(checkInfrastructure(install).map((candidate) => candidate.code)).not.toContain('RULE_SCM_URL_IS_SAAS');
  });
});

describe('platform descriptors are what the emitters use', () => {
  it.each(platforms)("%s: the starter spec writes the descriptor's platform block and default datastores", (id, descriptor) => {
    const { text } = starter(id, 'github-enterprise-server');
    const first = descriptor.emit.starterLines([], starterPlaceholders(customerLabel(CUSTOMER)), 'connected', '1.36')[0]!;
    expect(text).toContain(`    ${first.split('#')[0]!.trim()}`);
    expect(text).toContain(`#   postgres: { mode: ${descriptor.emit.defaultDatastores} }`);
  });

  it.each(platforms)("%s: an air-gapped starter names the descriptor's mirror, which validate flags as invented", (id, descriptor) => {
    const { text } = starter(id, 'github-enterprise-server', 'self-hosted', 'air-gapped');
    const mirror = descriptor.emit.starterMirror(starterPlaceholders(customerLabel(CUSTOMER)));
    expect((parse(text) as { spec: { registry: { mirror: string } } }).spec.registry.mirror).toBe(mirror);
    expect(inventedStrings(CUSTOMER).has(mirror)).toBe(true);
  });

  it.each(platforms)("%s: a cloud-managed starter uses the descriptor's model service", (id, descriptor) => {
    const { text } = starter(id, 'github-enterprise-server', 'cloud-managed', 'connected');
    expect(text).toContain(`provider: ${descriptor.cloudModelService ?? 'bedrock'}`);
  });

  it.each(platforms)('%s: stack settings and the Pulumi project follow the descriptor', (id, descriptor) => {
    const { install, cell } = starter(id, 'github-enterprise-server');
    const settings = settingsFor(install, cell);
    expect(settings.cloud).toEqual(descriptor.emit.cloudSettings(install.spec.platform));
    expect(settings.cloud === null).toBe(!descriptor.emit.cloud);
    expect(settings.datastores.postgres).toBe(descriptor.emit.defaultDatastores);
    const files = pulumiProjectFiles(settings, 'test');
    const dependencies = Object.keys((JSON.parse(files.get('package.json')!) as { dependencies: Record<string, string> }).dependencies);
    expect(dependencies).toEqual(['@pulumi/pulumi', ...(descriptor.emit.pulumiProvider ? [descriptor.emit.pulumiProvider] : [])]);
    expect(files.get('index.ts')).toContain(`import { ${descriptor.emit.installClass} } from './stacks/${id}/install.js';`);
  });

  it.each(platforms)("%s: the runbook asks for the descriptor's cloud CLI", (id, descriptor) => {
    const { install, cell } = starter(id, 'github-enterprise-server');
    const runbook = renderRunbook(install, settingsFor(install, cell), { modelServer: false }, 'test');
    const cli = descriptor.emit.cloudCli;
    if (cli) expect(runbook).toContain(`, the ${cli.command} CLI logged in to ${cli.scope.noun} ${cli.scope.value(install.spec.platform)}`);
    else expect(runbook).not.toMatch(/CLI logged in to/);
  });

  it.each(platforms)('%s: self-hosted GPU sizing and weights placement follow the descriptor', (id, descriptor) => {
    const { install } = starter(id, 'github-enterprise-server', 'self-hosted', 'connected');
    const models = install.spec.models as Extract<Install['spec']['models'], { hosting: 'self-hosted' }>;
    // gpusPerNode is the spec's only where no preset sizes the pool.
    const withGpusPerNode = { ...install, spec: { ...install.spec, models: { ...models, gpuPool: { ...models.gpuPool!, gpusPerNode: 8 } } } } as Install;
    expect(checkModels(withGpusPerNode).some((finding) => finding.code === 'RULE_GPUS_PER_NODE_IGNORED')).toBe(descriptor.emit.gpuPresets !== null);
    // Weights in another platform's object store: an error on a cloud, a warning on-prem, nothing at home.
    for (const [otherId, other] of platforms) {
      const store = other.emit.weightsObjectStore;
      if (!store) continue;
      const weights = store === 'azure-blob' ? { source: store, account: 'acct', container: 'models', prefix: 'm/' } : { source: store, bucket: 'b', prefix: 'm/' };
      const spec = { ...install, spec: { ...install.spec, models: { ...models, catalog: models.catalog.map((model) => ({ ...model, weights })) } } } as Install;
      const severities = checkModels(spec)
        .filter((finding) => finding.code === 'RULE_WEIGHTS_SOURCE_PLATFORM')
        .map((finding) => finding.severity);
      const expected = descriptor.emit.weightsObjectStore === null ? 'warning' : otherId === id ? null : 'error';
      expect(new Set(severities)).toEqual(new Set(expected ? [expected] : []));
    }
  });
});
