/**
 * PostgreSQL TLS through real Helm: each CA source the chart supports (an existing ConfigMap for RDS, the Azure roots
 * shipped in files/, Cloud SQL's PEM from the infrastructure layer, the trust bundle for the customer's own server,
 * bundled plaintext) renders what postgres-tls expects for that platform, including with the migration Job as a hook.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cli/conformance/helm/helm.js';
import { checkManifests } from '../../cli/conformance/helm/manifest-policies.js';
import { pemCertificates, postgresTlsViolations, type PostgresTlsContext } from '../../cli/conformance/helm/manifest-postgres-tls.js';
import { podTemplates } from '../../cli/conformance/helm/pods.js';
import { MOCK_CLOUD_SQL_SERVER_CA } from '../../cli/conformance/pulumi/clouds/gcp-mocks.js';
import { postgresTls } from '../../stacks/decisions/datastores.js';
import type { DatastoreMode, Platform } from '../../stacks/settings.js';
import { contextFor, fixturePath, helmBinaries, mergedValues, overrideFile, render } from './helpers.js';

const RDS_CONFIGMAP = 'acme-prod-postgres-ca';

interface Case {
  name: string;
  fixture: string;
  platform: Platform;
  mode: DatastoreMode;
  override: Record<string, unknown>;
  /** The PGSSLROOTCERT every client must have ('' = none). */
  rootCert: string;
}

const CASES: Case[] = [
  {
    name: 'RDS: the runbook-made ConfigMap',
    fixture: 'aws-ghes-bedrock-connected.yaml',
    platform: 'aws',
    mode: 'managed',
    override: { postgres: { sslMode: 'verify-full', serverCa: { configMapName: RDS_CONFIGMAP, key: 'ca.crt' } } },
    rootCert: '/etc/installctl/postgres-ca/ca.crt',
  },
  {
    name: 'Azure flexible server: the roots shipped in the chart',
    fixture: 'azure-bitbucket-azure-openai-connected.yaml',
    platform: 'azure',
    mode: 'managed',
    override: { postgres: { sslMode: 'verify-full', serverCa: { bundle: 'azure' } } },
    rootCert: '/etc/installctl/postgres-ca/ca.crt',
  },
  {
    name: "Cloud SQL: the stack output's server CA",
    fixture: 'gcp-github-vertex-connected.yaml',
    platform: 'gcp',
    mode: 'managed',
    override: { postgres: { sslMode: 'verify-ca', serverCa: { pem: MOCK_CLOUD_SQL_SERVER_CA } } },
    rootCert: '/etc/installctl/postgres-ca/ca.crt',
  },
  {
    name: "the customer's own server: the trust bundle",
    fixture: 'rancher-ghes-in-cluster-air-gapped.yaml',
    platform: 'onprem',
    mode: 'external',
    override: {},
    rootCert: '/etc/installctl/trust/ca-bundle.crt',
  },
  { name: 'bundled: plaintext inside the release', fixture: 'vanilla-bitbucket-saas-connected.yaml', platform: 'onprem', mode: 'bundled', override: {}, rootCert: '' },
];

function expectation(platform: Platform, mode: DatastoreMode): PostgresTlsContext {
  const tls = postgresTls(platform, mode);
  return { ...tls, caConfigMap: tls.serverCa === 'rds-global-bundle' ? RDS_CONFIGMAP : null };
}

function rootCerts(objects: KubeObject[]): string[] {
  const found = new Set<string>();
  for (const template of podTemplates(objects))
    for (const container of [...(template.spec.initContainers ?? []), ...(template.spec.containers ?? [])]) {
      const env = container.env ?? [];
      if (!env.some((entry) => entry.name === 'DATABASE_HOST')) continue;
      found.add(env.find((entry) => entry.name === 'PGSSLROOTCERT')?.value ?? '');
    }
  return [...found];
}

describe('agent-platform PostgreSQL TLS (Helm 3)', () => {
  it.each(CASES)('$name', async ({ fixture, platform, mode, override, rootCert }) => {
    const [helm3] = await helmBinaries();
    const files = [fixturePath('agent-platform', fixture), overrideFile(`pg-${platform}-${mode}`, override)];
    const { result, objects } = await render('agent-platform', helm3!.helm, files);
    expect(result.ok, result.stderr).toBe(true);
    const context = expectation(platform, mode);
    expect(postgresTlsViolations(objects, podTemplates(objects), context)).toEqual([]);
    expect(checkManifests(objects, { ...contextFor('agent-platform', mergedValues('agent-platform', files)), postgresTls: context })).toEqual([]);
    expect(rootCerts(objects)).toEqual([rootCert]);
    const rendered = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'acme-postgres-ca');
    expect(Boolean(rendered)).toBe(context.serverCa === 'azure-public-roots' || context.serverCa === 'cloud-sql-server-ca');
    if (rendered) expect(pemCertificates((rendered.data as Record<string, string>)['ca.crt']!).length).toBe(context.serverCa === 'azure-public-roots' ? 3 : 1);
  });

  it('every datastore external: the chart-rendered CA ConfigMap is a hook like the migration Job that mounts it', async () => {
    const [helm3] = await helmBinaries();
    const files = [
      fixturePath('agent-platform', 'gcp-github-vertex-connected.yaml'),
      overrideFile('pg-all-external', { rabbitmq: { mode: 'external', host: 'mq.example.internal', credentials: { secretName: 'mq' } } }),
    ];
    const { result, objects } = await render('agent-platform', helm3!.helm, files);
    expect(result.ok, result.stderr).toBe(true);
    const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'acme-postgres-ca')!;
    expect(configMap.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const context = { ...contextFor('agent-platform', mergedValues('agent-platform', files)), postgresTls: expectation('gcp', 'managed') };
    expect(checkManifests(objects, context).filter((v) => v.policy === 'hook-references' || v.policy === 'postgres-tls')).toEqual([]);
  });

  it('refuses an existing ConfigMap together with a bundle or PEM', async () => {
    const [helm3] = await helmBinaries();
    const files = [fixturePath('agent-platform', 'aws-ghes-bedrock-connected.yaml'), overrideFile('pg-both', { postgres: { serverCa: { configMapName: RDS_CONFIGMAP, bundle: 'azure' } } })];
    const { result } = await render('agent-platform', helm3!.helm, files);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain('postgres.serverCa: set configMapName, or bundle and/or pem, not both');
  });
});
