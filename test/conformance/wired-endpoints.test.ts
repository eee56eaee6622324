/**
 * wiredEndpoints over every renderable cell's starter spec: the endpoints endpoint-egress checks,
 * with ports from the infrastructure outputs for managed datastores (a missing port stays null so
 * the policy reports it), the SCM URL's port, the models namespace on 8000 and each cloud's token
 * endpoint in each network mode.
 */
import { describe, expect, it } from 'vitest';
import { checkedStarterSpec, SCHEMA_URL } from '../../cli/emit/starter-spec-check.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { MODEL_SERVER_PORT, wiredEndpoints } from '../../cli/conformance/wired-endpoints.js';
import type { Install } from '../../cli/generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { renderableCells } from '../helpers/cells.js';

function starter(cellId: string): { install: Install; settings: InstallSettings } {
  const cell = renderableCells().find((candidate) => candidate.id === cellId)!;
  const spec = checkedStarterSpec(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: SCHEMA_URL }, '<test>').spec;
  const loaded = checkSpecText('spec.yaml', spec);
  return { install: loaded.install!, settings: settingsFor(loaded.install!, loaded.cell!) };
}

describe.each(renderableCells().map((cell) => cell.id))('%s', (cellId) => {
  it('lists the datastores, the SCM, the models and the token endpoints', () => {
    const { install, settings } = starter(cellId);
    const managed = (['postgres', 'redis', 'rabbitmq'] as const).filter((kind) => settings.datastores[kind] === 'managed');
    const infra = { 'agent-platform': Object.fromEntries(managed.map((kind) => [kind, { host: `${kind}.internal`, port: 10000 }])) };
    const endpoints = wiredEndpoints(install, settings, infra);
    const names = endpoints.map((endpoint) => endpoint.name);
    for (const kind of managed) expect(endpoints.find((endpoint) => endpoint.name === kind)).toMatchObject({ host: `${kind}.internal`, port: 10000, clients: { by: 'env' } });
    const scmUrl = new URL((install.spec.scm as { url?: string }).url ?? 'https://github.com');
    expect(endpoints.find((endpoint) => endpoint.name === 'scm')).toMatchObject({ host: scmUrl.hostname, port: scmUrl.port ? Number(scmUrl.port) : 443 });
    const models = install.spec.models;
    if (models.hosting === 'self-hosted') {
      for (const model of models.catalog) {
        expect(endpoints.find((endpoint) => endpoint.name === `model ${model.name}`)).toMatchObject({
          port: MODEL_SERVER_PORT,
          destination: { kind: 'namespace', namespace: settings.workloads.modelsNamespace },
        });
      }
    }
    const tokens = endpoints.filter((endpoint) => endpoint.clients.by === 'cloud-identity');
    if (settings.platform === 'onprem') expect(tokens).toEqual([]);
    else expect(tokens.length, names.join(', ')).toBeGreaterThan(0);
  });

  it('a managed datastore whose infrastructure output has no port gets port null (main before issue 13)', () => {
    const { install, settings } = starter(cellId);
    const managed = (['postgres', 'redis'] as const).filter((kind) => settings.datastores[kind] === 'managed');
    const endpoints = wiredEndpoints(install, settings, { 'agent-platform': Object.fromEntries(managed.map((kind) => [kind, { host: `${kind}.internal` }])) });
    for (const kind of managed) expect(endpoints.find((endpoint) => endpoint.name === kind)?.port).toBeNull();
  });
});

describe('token endpoints per cloud and network mode', () => {
  const tokenOf = (cellId: string) => {
    const { install, settings } = starter(cellId);
    return wiredEndpoints(install, settings, {}).filter((endpoint) => endpoint.chart === 'agent-platform' && endpoint.clients.by === 'cloud-identity');
  };
  it.each([
    ['aws', 'connected', [{ host: 'sts.us-east-1.amazonaws.com', port: 443, destination: { kind: 'internet' } }]],
    ['aws', 'air-gapped', [{ host: 'sts.us-east-1.amazonaws.com', port: 443, destination: { kind: 'cidr' } }]],
    ['azure', 'connected', [{ host: 'login.microsoftonline.com', port: 443, destination: { kind: 'internet' } }]],
    ['azure', 'air-gapped', [{ host: 'login.microsoftonline.com', port: 443, destination: { kind: 'internet' } }]],
    [
      'gcp',
      'air-gapped',
      [
        { port: 80, destination: { kind: 'cidr', cidr: '169.254.169.254/32' } },
        { port: 988, destination: { kind: 'cidr', cidr: '169.254.169.252/32' } },
      ],
    ],
  ] as const)('%s %s', (platform, network, expected) => {
    const cell = renderableCells().find((candidate) => candidate.platform === platform && candidate.network === network && candidate.models === 'self-hosted')!;
    expect(tokenOf(cell.id)).toMatchObject(expected);
  });
});
