/** Names the stacks, the Helm values and the runbook share for managed datastores. */
import type { DatastoreMode, Platform } from '../settings.js';

/** The ConfigMap (platform namespace) holding a managed cache's server CA, created by the runbook. */
export function redisCaConfigMap(installName: string): string {
  return `${installName}-redis-ca`;
}

/** The RDS database user the platform signs in as with IAM auth (created with rds_iam by the runbook). */
export const AWS_DATABASE_APP_USER = 'agents_app';

/** The ConfigMap (platform namespace) holding the RDS global CA bundle, created by the runbook: libpq verifies RDS with it. */
export function postgresCaConfigMap(installName: string): string {
  return `${installName}-postgres-ca`;
}

/**
 * The CAs a PostgreSQL client verifies the server with (PGSSLROOTCERT):
 * - rds-global-bundle: the RDS CA bundle of every region (no public root signs RDS), a ConfigMap the runbook creates;
 * - azure-public-roots: the roots Azure Database for PostgreSQL chains to (DigiCert Global Root G2, DigiCert Global
 *   Root CA, Microsoft RSA Root Certificate Authority 2017), shipped in the chart;
 * - cloud-sql-server-ca: the instance's own server CA, from the stack output (serverCaCerts);
 * - system-and-custom: an existing server of the customer's: the image's public roots plus the spec's CA bundle.
 */
export type PostgresServerCa = 'rds-global-bundle' | 'azure-public-roots' | 'cloud-sql-server-ca' | 'system-and-custom';

export interface PostgresTls {
  /** libpq sslmode of every client: verify-full checks the certificate and the host name, verify-ca only the certificate. */
  sslMode: 'disable' | 'verify-ca' | 'verify-full';
  /** null with sslMode disable. */
  serverCa: PostgresServerCa | null;
}

/**
 * How the platform's PostgreSQL clients verify the server, per platform and datastore mode.
 * - bundled: the StatefulSet in the release serves no TLS; the connection stays inside the namespace's NetworkPolicies.
 * - managed on AWS: the RDS endpoint name is in the server certificate: verify-full against the RDS bundle.
 * - managed on Azure: the flexible server's FQDN (<server>.postgres.database.azure.com, resolved through the
 *   private DNS zone) is in the certificate: verify-full against the public roots Azure uses.
 * - managed on GCP: the platform connects to the Cloud SQL private IP; a Cloud SQL server certificate (per-instance
 *   CA) names the instance, not that address, so verify-full would always fail: verify-ca against the instance's
 *   own CA, which signs only this instance's certificates (the IP is the instance's, on private services access).
 * - external: the customer's server, verified by host name against public roots plus the customer's CA.
 */
export function postgresTls(platform: Platform, mode: DatastoreMode): PostgresTls {
  if (mode === 'bundled') return { sslMode: 'disable', serverCa: null };
  if (mode === 'external') return { sslMode: 'verify-full', serverCa: 'system-and-custom' };
  switch (platform) {
    case 'aws':
      return { sslMode: 'verify-full', serverCa: 'rds-global-bundle' };
    case 'azure':
      return { sslMode: 'verify-full', serverCa: 'azure-public-roots' };
    case 'gcp':
      return { sslMode: 'verify-ca', serverCa: 'cloud-sql-server-ca' };
    case 'onprem':
      // No managed PostgreSQL on-prem (validate rejects it): treat it as the customer's own server.
      return { sslMode: 'verify-full', serverCa: 'system-and-custom' };
  }
}
