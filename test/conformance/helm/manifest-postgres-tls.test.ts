/**
 * postgres-tls (cli/conformance/helm/manifest-postgres-tls.ts): main's shape (sslmode require, PGSSLROOTCERT the system
 * roots plus custom CAs) fails; the fixed shape of every platform and datastore mode passes; each platform's shape fails
 * under every other platform's expectation (test/charts/postgres-ca.test.ts checks the chart's Azure bundle).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../../cli/conformance/helm/helm.js';
import { checkManifests } from '../../../cli/conformance/helm/manifest-policies.js';
import { postgresTlsViolations, type PostgresTlsContext } from '../../../cli/conformance/helm/manifest-postgres-tls.js';
import { podTemplates } from '../../../cli/conformance/helm/pods.js';
import { MOCK_CLOUD_SQL_SERVER_CA } from '../../../cli/conformance/pulumi/clouds/gcp-mocks.js';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { postgresCaConfigMap, postgresTls } from '../../../stacks/decisions/datastores.js';
import type { DatastoreMode, Platform } from '../../../stacks/settings.js';
import { REPO } from '../../helpers/cli.js';

const AZURE_BUNDLE = readFileSync(join(REPO, 'charts', 'agent-platform', 'files', 'postgres-ca', 'azure.pem'), 'utf8');
const INSTALL = 'acme-prod';
const PG_HOST = 'db.example.internal';

function contextOf(platform: Platform, mode: DatastoreMode): PostgresTlsContext {
  const tls = postgresTls(platform, mode);
  return { ...tls, caConfigMap: tls.serverCa === 'rds-global-bundle' ? postgresCaConfigMap(INSTALL) : null };
}

interface Shape {
  env: Array<{ name: string; value: string }>;
  mounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  volumes: Array<Record<string, unknown>>;
  init: boolean;
  configMaps: Array<{ name: string; pem: string }>;
}

const trustShape = (sslMode: string): Shape => ({
  env: [
    { name: 'DATABASE_SSLMODE', value: sslMode },
    { name: 'PGSSLROOTCERT', value: '/etc/installctl/trust/ca-bundle.crt' },
  ],
  mounts: [{ name: 'ca-trust', mountPath: '/etc/installctl/trust', readOnly: true }],
  volumes: [{ name: 'ca-trust', emptyDir: {} }],
  init: true,
  configMaps: [],
});

const configMapShape = (sslMode: string, name: string, configMaps: Shape['configMaps']): Shape => ({
  env: [
    { name: 'DATABASE_SSLMODE', value: sslMode },
    { name: 'PGSSLROOTCERT', value: '/etc/installctl/postgres-ca/ca.crt' },
  ],
  mounts: [{ name: 'postgres-ca', mountPath: '/etc/installctl/postgres-ca', readOnly: true }],
  volumes: [{ name: 'postgres-ca', configMap: { name, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }],
  init: false,
  configMaps,
});

/** The shape the chart renders for a context (what the fix produces). */
function fixedShape(context: PostgresTlsContext): Shape {
  switch (context.serverCa) {
    case null:
      return { env: [{ name: 'DATABASE_SSLMODE', value: 'disable' }], mounts: [], volumes: [], init: false, configMaps: [] };
    case 'system-and-custom':
      return trustShape(context.sslMode);
    case 'rds-global-bundle':
      return configMapShape(context.sslMode, context.caConfigMap!, []);
    case 'azure-public-roots':
      return configMapShape(context.sslMode, 'acme-postgres-ca', [{ name: 'acme-postgres-ca', pem: AZURE_BUNDLE }]);
    case 'cloud-sql-server-ca':
      return configMapShape(context.sslMode, 'acme-postgres-ca', [{ name: 'acme-postgres-ca', pem: MOCK_CLOUD_SQL_SERVER_CA }]);
  }
}

/** A Deployment whose container connects to PostgreSQL (host: the bundled Service when sslmode is disable). */
function objectsOf(shape: Shape): KubeObject[] {
  const disable = shape.env.some((entry) => entry.name === 'DATABASE_SSLMODE' && entry.value === 'disable');
  const host = disable ? 'acme-postgres' : PG_HOST;
  const init = shape.init ? [{ name: 'ca-bundle', image: 'x', volumeMounts: [{ name: 'ca-trust', mountPath: '/etc/installctl/trust' }] }] : [];
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'acme-api' },
    spec: {
      template: {
        metadata: { labels: {} },
        spec: {
          initContainers: init,
          containers: [{ name: 'api', image: 'x', env: [{ name: 'DATABASE_HOST', value: host }, ...shape.env], volumeMounts: shape.mounts }],
          volumes: shape.volumes,
        },
      },
    },
  };
  const configMaps = shape.configMaps.map((map): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: map.name }, data: { 'ca.crt': map.pem } }));
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'acme-postgres' }, spec: {} };
  return [deployment, ...configMaps, ...(disable ? [service] : [])];
}

const violations = (objects: KubeObject[], context: PostgresTlsContext | undefined) => postgresTlsViolations(objects, podTemplates(objects), context);

const platforms = [
  ...new Set(
    supportMatrix()
      .cells()
      .map((cell) => cell.platform),
  ),
] as Platform[];
const MODES: DatastoreMode[] = ['managed', 'bundled', 'external'];
// On-prem has no managed PostgreSQL (validate rejects it).
const cases = platforms.flatMap((platform) => MODES.filter((mode) => platform !== 'onprem' || mode !== 'managed').map((mode) => ({ platform, mode })));

describe('postgres-tls', () => {
  it("fails main's api Deployment of an AWS cell: sslmode require, root cert = system roots plus custom CAs", () => {
    const fixture = readFileSync(join(REPO, 'test', 'conformance', 'helm', 'fixtures', 'main-aws-api-deployment.yaml'), 'utf8');
    const objects = [parse(fixture) as KubeObject];
    const found = violations(objects, contextOf('aws', 'managed'));
    expect(found.map((v) => v.policy)).toContain('postgres-tls');
    expect(found.map((v) => v.message)).toContain("container api: sslmode require: the cell's PostgreSQL needs verify-full");
    // Even with the right sslmode, the trust bundle is not the RDS bundle.
    const fixedMode = violations(
      objects.map((object) => JSON.parse(JSON.stringify(object).replaceAll('"value":"require"', '"value":"verify-full"')) as KubeObject),
      contextOf('aws', 'managed'),
    );
    expect(fixedMode.map((v) => v.message)).toContain(
      'container api: PGSSLROOTCERT comes from emptyDir ca-trust (written by ca-bundle), not the RDS global bundle (ConfigMap acme-prod-postgres-ca)',
    );
    // And checkManifests runs it.
    expect(
      checkManifests(objects, { network: 'connected', imageRegistry: null, platform: 'aws', publicHosts: [], postgresTls: contextOf('aws', 'managed') }).some(
        (v) => v.policy === 'postgres-tls',
      ),
    ).toBe(true);
  });

  it.each(cases)("$platform, $mode PostgreSQL: the fixed shape passes, main's shape (require + trust bundle) fails unless bundled", ({ platform, mode }) => {
    const context = contextOf(platform, mode);
    expect(violations(objectsOf(fixedShape(context)), context)).toEqual([]);
    const broken = violations(objectsOf(trustShape('require')), context);
    if (mode === 'bundled') expect(broken.map((v) => v.message)).toEqual(["container api: sslmode require: the cell's PostgreSQL needs disable"]);
    else expect(broken.length).toBeGreaterThan(0);
  });

  it("each CA source fails under every other platform's expectation", () => {
    const contexts = [contextOf('aws', 'managed'), contextOf('azure', 'managed'), contextOf('gcp', 'managed'), contextOf('aws', 'external')];
    for (const shapeOf of contexts)
      for (const expected of contexts) {
        if (shapeOf === expected) continue;
        expect(violations(objectsOf(fixedShape(shapeOf)), expected), `${shapeOf.serverCa} under ${expected.serverCa}`).not.toEqual([]);
      }
  });

  it('Cloud SQL on its private IP: verify-full would fail against the address, so the policy wants verify-ca', () => {
    const context = contextOf('gcp', 'managed');
    expect(context.sslMode).toBe('verify-ca');
    const shape = configMapShape('verify-full', 'acme-postgres-ca', [{ name: 'acme-postgres-ca', pem: MOCK_CLOUD_SQL_SERVER_CA }]);
    expect(violations(objectsOf(shape), context).map((v) => v.message)).toEqual(["container api: sslmode verify-full: the cell's PostgreSQL needs verify-ca"]);
  });

  it('Azure: a bundle missing a root, or holding any other certificate, fails', () => {
    const context = contextOf('azure', 'managed');
    const blocks = AZURE_BUNDLE.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!;
    const missing = configMapShape('verify-full', 'acme-postgres-ca', [{ name: 'acme-postgres-ca', pem: blocks.slice(1).join('\n') }]);
    expect(violations(objectsOf(missing), context).map((v) => v.message)).toEqual(['container api: ConfigMap acme-postgres-ca key ca.crt lacks DigiCert Global Root G2']);
    const extra = configMapShape('verify-full', 'acme-postgres-ca', [{ name: 'acme-postgres-ca', pem: `${AZURE_BUNDLE}\n${rootCertificates[0]}` }]);
    expect(violations(objectsOf(extra), context).map((v) => v.message)).toEqual([
      'container api: ConfigMap acme-postgres-ca key ca.crt holds 1 certificate(s) that are not Azure Database for PostgreSQL roots',
    ]);
  });

  it('without a context (chart fixtures): require, a missing root cert file, plaintext to an outside host and an unmounted file fail', () => {
    expect(violations(objectsOf(trustShape('require')), undefined)).not.toEqual([]);
    expect(violations(objectsOf(trustShape('verify-full')), undefined)).toEqual([]);
    const noFile = { ...trustShape('verify-full'), env: [{ name: 'DATABASE_SSLMODE', value: 'verify-full' }] };
    expect(violations(objectsOf(noFile), undefined).map((v) => v.message)).toEqual([
      'container api: sslmode verify-full without PGSSLROOTCERT: libpq reads ~/.postgresql/root.crt, which no image ships',
    ]);
    const unmounted = { ...trustShape('verify-full'), mounts: [] };
    expect(violations(objectsOf(unmounted), undefined).map((v) => v.message)).toEqual([
      "container api: PGSSLROOTCERT /etc/installctl/trust/ca-bundle.crt is on no volume the container mounts (the image's own file)",
    ]);
    const objects = objectsOf(fixedShape(contextOf('onprem', 'bundled')));
    const outside = objects.filter((object) => object.kind !== 'Service');
    expect(violations(outside, undefined).map((v) => v.message)).toEqual(['container api: sslmode disable toward acme-postgres, which is not a Service of the release']);
  });
});
