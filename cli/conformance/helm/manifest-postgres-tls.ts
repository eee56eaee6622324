/**
 * postgres-tls: every container that connects to PostgreSQL (env DATABASE_HOST or PGHOST) verifies the server.
 * Its sslmode (DATABASE_SSLMODE, else PGSSLMODE) is the one the cell's platform and datastore need
 * (context.postgresTls, from stacks/decisions/datastores.ts postgresTls: verify-full where the host name is in the
 * server certificate, verify-ca where it cannot be, disable only toward the bundled StatefulSet of the release), and
 * PGSSLROOTCERT names a file on a volume of the pod that holds the server's CAs:
 *   rds-global-bundle    the ConfigMap the runbook fills with the RDS global bundle (context.postgresTls.caConfigMap)
 *   azure-public-roots   a ConfigMap of the release holding exactly AZURE_POSTGRES_ROOTS
 *   cloud-sql-server-ca  a ConfigMap of the release holding CA certificates (the instance's server CA, a stack output)
 *   system-and-custom    an emptyDir an init container writes (the image's roots plus the customer's CAs)
 * Without context.postgresTls (chart fixtures) it checks the shape only: verify-full or verify-ca (disable only toward
 * a Service of the release) and PGSSLROOTCERT on a ConfigMap, or on an emptyDir an init container writes.
 * The defect it prevents: PGSSLROOTCERT pointed at the system roots plus custom CAs, which hold no RDS or Cloud SQL CA.
 */
import { X509Certificate } from 'node:crypto';
import type { Violation } from '../pulumi/types.js';
import type { KubeObject } from './helm.js';
import { containersOf, type Container, type PodTemplate } from './pods.js';

export type PostgresServerCa = 'rds-global-bundle' | 'azure-public-roots' | 'cloud-sql-server-ca' | 'system-and-custom';

/** What the cell's PostgreSQL clients must do (stacks/decisions/datastores.ts postgresTls, plus the RDS bundle's ConfigMap). */
export interface PostgresTlsContext {
  sslMode: 'disable' | 'verify-ca' | 'verify-full';
  serverCa: PostgresServerCa | null;
  /** rds-global-bundle: the ConfigMap the runbook creates with the bundle; else null. */
  caConfigMap: string | null;
}

/** SHA-256 fingerprints of the roots Azure Database for PostgreSQL flexible server certificates chain to (Microsoft Learn). */
export const AZURE_POSTGRES_ROOTS: Readonly<Record<string, string>> = {
  'DigiCert Global Root G2': 'CB:3C:CB:B7:60:31:E5:E0:13:8F:8D:D3:9A:23:F9:DE:47:FF:C3:5E:43:C1:14:4C:EA:27:D4:6A:5A:B1:CB:5F',
  'Microsoft RSA Root Certificate Authority 2017': 'C7:41:F7:0F:4B:2A:8D:88:BF:2E:71:C1:41:22:EF:53:EF:10:EB:A0:CF:A5:E6:4C:FA:20:F4:18:85:30:73:E0',
  'DigiCert Global Root CA': '43:48:A0:E9:44:4C:78:CB:26:5E:05:8D:5E:89:44:B4:D8:4F:96:62:BD:26:DB:25:7F:89:34:A4:43:C7:01:61',
};

const parsed = new Map<string, X509Certificate[]>();

/**
 * The certificates of a PEM text (blocks that do not parse are left out). Memoized: every cell of a
 * platform carries the same CA bundle, and parsing it was a second of a conformance run.
 */
export function pemCertificates(pem: string): readonly X509Certificate[] {
  const known = parsed.get(pem);
  if (known) return known;
  const out: X509Certificate[] = [];
  if (parsed.size > 64) parsed.clear();
  parsed.set(pem, out);
  for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // not a certificate: the checks below count what parsed
    }
  }
  return out;
}

/** Where a container's PGSSLROOTCERT file comes from. */
type RootCertSource = { kind: 'configmap'; name: string; key: string } | { kind: 'init-written'; volume: string; writers: string[] } | { kind: 'none'; why: string };

function envValues(container: Container): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of container.env ?? []) if (typeof entry.value === 'string') env.set(entry.name, entry.value);
  return env;
}

/** The volume that holds `path` in this container (the longest mount path above it), and what fills it. */
function rootCertSource(path: string, container: Container, template: PodTemplate): RootCertSource {
  const mount = (container.volumeMounts ?? [])
    .filter((candidate) => path.startsWith(`${candidate.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) return { kind: 'none', why: `PGSSLROOTCERT ${path} is on no volume the container mounts (the image's own file)` };
  const volume = (template.spec.volumes ?? []).find((candidate) => candidate.name === mount.name);
  if (!volume) return { kind: 'none', why: `volume ${mount.name} (PGSSLROOTCERT ${path}) is not in the pod` };
  const relative = path.slice(mount.mountPath.replace(/\/$/, '').length + 1);
  const configMap = volume.configMap as { name?: string; items?: Array<{ key: string; path: string }> } | undefined;
  if (configMap?.name) {
    const key = configMap.items ? configMap.items.find((item) => item.path === relative)?.key : relative;
    return key ? { kind: 'configmap', name: configMap.name, key } : { kind: 'none', why: `ConfigMap volume ${mount.name} maps no key to ${relative}` };
  }
  if (volume.emptyDir !== undefined) {
    const writers = (template.spec.initContainers ?? [])
      .filter((init) => (init.volumeMounts ?? []).some((other) => other.name === mount.name && !other.readOnly))
      .map((init) => init.name ?? '?');
    return writers.length
      ? { kind: 'init-written', volume: mount.name, writers }
      : { kind: 'none', why: `emptyDir ${mount.name} (PGSSLROOTCERT ${path}) is written by no init container` };
  }
  return { kind: 'none', why: `volume ${mount.name} (PGSSLROOTCERT ${path}) is neither a ConfigMap nor an emptyDir an init container writes` };
}

const describe = (source: RootCertSource): string =>
  source.kind === 'configmap'
    ? `ConfigMap ${source.name} key ${source.key}`
    : source.kind === 'init-written'
      ? `emptyDir ${source.volume} (written by ${source.writers.join(', ')})`
      : source.why;

/** Problems of the CA bundle the root cert file comes from, against what the cell's PostgreSQL server needs. */
function caProblems(source: RootCertSource, expected: PostgresTlsContext | undefined, configMaps: ReadonlyMap<string, KubeObject>): string[] {
  if (source.kind === 'none') return [source.why];
  const serverCa = expected?.serverCa ?? null;
  if (serverCa === null) return [];
  if (serverCa === 'system-and-custom')
    return source.kind === 'init-written' ? [] : [`PGSSLROOTCERT comes from ${describe(source)}, not the trust bundle (system roots plus the customer's CAs)`];
  if (serverCa === 'rds-global-bundle')
    return source.kind === 'configmap' && source.name === expected!.caConfigMap
      ? []
      : [`PGSSLROOTCERT comes from ${describe(source)}, not the RDS global bundle (ConfigMap ${expected!.caConfigMap})`];
  if (source.kind !== 'configmap') return [`PGSSLROOTCERT comes from ${describe(source)}, not a ConfigMap holding the server's CA`];
  const data = (configMaps.get(source.name)?.data as Record<string, unknown> | undefined)?.[source.key];
  if (typeof data !== 'string') return [`PGSSLROOTCERT comes from ${describe(source)}, which the release does not render`];
  const certificates = pemCertificates(data);
  if (serverCa === 'cloud-sql-server-ca')
    return certificates.length > 0 && certificates.every((certificate) => certificate.ca) ? [] : [`${describe(source)} holds no CA certificate (the Cloud SQL server CA)`];
  const expectedPrints = new Set(Object.values(AZURE_POSTGRES_ROOTS));
  const prints = new Set(certificates.map((certificate) => certificate.fingerprint256));
  const missing = Object.entries(AZURE_POSTGRES_ROOTS).filter(([, print]) => !prints.has(print));
  const extra = [...prints].filter((print) => !expectedPrints.has(print));
  return [
    ...(missing.length ? [`${describe(source)} lacks ${missing.map(([name]) => name).join(', ')}`] : []),
    ...(extra.length ? [`${describe(source)} holds ${extra.length} certificate(s) that are not Azure Database for PostgreSQL roots`] : []),
  ];
}

/** Problems of one PostgreSQL client container. */
function clientProblems(
  container: Container,
  template: PodTemplate,
  expected: PostgresTlsContext | undefined,
  release: { services: ReadonlySet<string>; configMaps: ReadonlyMap<string, KubeObject> },
): string[] {
  const env = envValues(container);
  const host = env.get('DATABASE_HOST') ?? env.get('PGHOST') ?? '';
  const mode = env.get('DATABASE_SSLMODE') ?? env.get('PGSSLMODE') ?? 'prefer';
  if (expected && mode !== expected.sslMode) return [`sslmode ${mode}: the cell's PostgreSQL needs ${expected.sslMode}`];
  if (mode === 'disable') return release.services.has(host) ? [] : [`sslmode disable toward ${host || 'an unnamed host'}, which is not a Service of the release`];
  if (mode !== 'verify-full' && mode !== 'verify-ca') return [`sslmode ${mode} does not verify the server (verify-full, or verify-ca where the host name cannot match)`];
  const path = env.get('PGSSLROOTCERT');
  if (!path) return [`sslmode ${mode} without PGSSLROOTCERT: libpq reads ~/.postgresql/root.crt, which no image ships`];
  return caProblems(rootCertSource(path, container, template), expected, release.configMaps);
}

export function postgresTlsViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[], expected: PostgresTlsContext | undefined): Violation[] {
  const release = {
    services: new Set(objects.filter((object) => object.kind === 'Service').map((object) => object.metadata.name)),
    configMaps: new Map(objects.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata.name, object])),
  };
  const violations: Violation[] = [];
  for (const template of templates) {
    for (const { container } of containersOf(template.spec)) {
      const env = envValues(container);
      if (!env.has('DATABASE_HOST') && !env.has('PGHOST')) continue;
      for (const message of clientProblems(container, template, expected, release))
        violations.push({ policy: 'postgres-tls', resource: template.owner, message: `container ${container.name ?? '?'}: ${message}` });
    }
  }
  return violations;
}
