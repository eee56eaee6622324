/**
 * The database backup an upgrade takes before its migrations, and how to restore it, for each way
 * an install keeps PostgreSQL: a managed service (an RDS snapshot, an Azure flexible server backup,
 * a Cloud SQL backup), the bundled StatefulSet (pg_dump inside its pod) or the customer's own server
 * (pg_dump from a host that reaches it). Every value reaches the shell through shellLine (shell.ts).
 */
import type { AwsCloud, AzureCloud, GcpCloud, InstallSettings } from '../../stacks/settings.js';
import { azureNames } from '../../stacks/azure/common.js';
import { gcpName } from '../../stacks/gcp/common.js';
import { operand, operator, option, shellLine, syntax } from './shell.js';

/** The Helm release of each chart (the runbook installs them under the chart's name). */
export const PLATFORM_RELEASE = 'agent-platform';
export const MODEL_SERVER_RELEASE = 'model-server';

/** The bundled PostgreSQL StatefulSet of the agent-platform release (ap.fullname: release-component). */
const BUNDLED_POSTGRES = `statefulset/${PLATFORM_RELEASE}-postgres`;

/** A file under the render directory `dir` ('.' in the RUNBOOK, which runs from there). */
export const inDir = (dir: string, path: string): string => (dir === '.' ? path : `${dir}/${path}`);

/** A name made of the release for a backup: 2026.12.0 -> pre-2026-12-0 (letters, digits and dashes, as RDS and Azure want). */
export const backupLabel = (release: string): string => `pre-${release.replace(/\./g, '-')}`;

/** Where the customer's own PostgreSQL is and which Secret holds its credentials (from the customer values layer). */
export interface ExternalPostgres {
  host: string;
  port: number;
  database: string;
  secretName: string;
  usernameKey: string;
  passwordKey: string;
}

export interface DatabaseBackup {
  /** What the backup is, for a sentence: "an RDS snapshot pre-2026-12-0-acme". */
  what: string;
  take: string[];
  restore: string[];
  /** How a restore differs from an in-place one (a managed service restores into a new server). */
  restoreNote: string | null;
}

/** `$(kubectl -n NS get secret NAME -o jsonpath={.data.KEY} | base64 -d)`: a Secret's value, never printed. */
function secretValue(namespace: string, name: string, key: string): string {
  const read = shellLine([
    'kubectl',
    ...option('-n', namespace),
    'get',
    'secret',
    operand(name),
    '-o',
    `jsonpath={.data.${key.replace(/\./g, '\\.')}}`,
    operator('|'),
    'base64',
    '-d',
  ]);
  return `"$(${read})"`;
}

function awsBackup(settings: InstallSettings, cloud: AwsCloud, label: string): DatabaseBackup {
  const instance = `${settings.name}-postgres`;
  const snapshot = `${label}-${settings.name}`;
  // The install's instance as it runs (Pulumi names its subnet group and security group with a random suffix: the instance knows them).
  const describe = (query: string) =>
    shellLine(['aws', 'rds', 'describe-db-instances', ...option('--region', cloud.region), ...option('--db-instance-identifier', instance), '--query', query, '--output', 'text']);
  return {
    what: `the RDS snapshot ${snapshot}`,
    take: [
      shellLine([
        'aws',
        'rds',
        'create-db-snapshot',
        ...option('--region', cloud.region),
        ...option('--db-instance-identifier', instance),
        ...option('--db-snapshot-identifier', snapshot),
      ]),
      shellLine(['aws', 'rds', 'wait', 'db-snapshot-available', ...option('--region', cloud.region), ...option('--db-snapshot-identifier', snapshot)]),
    ],
    restore: [
      shellLine(
        [
          'aws',
          'rds',
          'restore-db-instance-from-db-snapshot',
          ...option('--region', cloud.region),
          ...option('--db-instance-identifier', `${instance}-restored`),
          ...option('--db-snapshot-identifier', snapshot),
          // A snapshot keeps neither the instance's subnet group nor its security groups: without them RDS restores into the default VPC.
          '--db-subnet-group-name',
          syntax(`"$(${describe('DBInstances[0].DBSubnetGroup.DBSubnetGroupName')})"`),
          '--vpc-security-group-ids',
          // Unquoted on purpose: one word per security group id (sg-..., no spaces).
          syntax(`$(${describe('DBInstances[0].VpcSecurityGroups[].VpcSecurityGroupId')})`),
          '--enable-iam-database-authentication',
          '--no-publicly-accessible',
        ],
        "a new instance from the snapshot, in the instance's subnet group and security groups",
      ),
    ],
    restoreNote: 'RDS restores a snapshot into a new instance: with installctl support, swap it in for the old one (same identifier and endpoint) before the Helm rollback.',
  };
}

function azureBackup(settings: InstallSettings, cloud: AzureCloud, label: string): DatabaseBackup {
  const server = azureNames(settings.name, cloud).postgres;
  return {
    what: `the Azure Database for PostgreSQL backup ${label} of ${server}`,
    take: [
      shellLine([
        'az',
        'postgres',
        'flexible-server',
        'backup',
        'create',
        ...option('--resource-group', cloud.resourceGroup),
        ...option('--name', server),
        ...option('--backup-name', label),
      ]),
    ],
    restore: [
      shellLine(
        [
          'az',
          'postgres',
          'flexible-server',
          'restore',
          ...option('--resource-group', cloud.resourceGroup),
          ...option('--name', `${server}-restored`),
          ...option('--source-server', server),
          '--restore-time',
          'TIME',
        ],
        `TIME: when backup ${label} completed (az postgres flexible-server backup list)`,
      ),
    ],
    restoreNote: 'Azure restores into a new flexible server: with installctl support, point the install at it (or swap the servers) before the Helm rollback.',
  };
}

function gcpBackup(settings: InstallSettings, cloud: GcpCloud, label: string): DatabaseBackup {
  const instance = gcpName(settings.name, 'postgres', 63);
  return {
    what: `a Cloud SQL backup of ${instance}`,
    take: [
      shellLine([
        'gcloud',
        'sql',
        'backups',
        'create',
        ...option('--instance', instance),
        ...option('--project', cloud.projectId),
        ...option('--description', `installctl ${label}`),
      ]),
    ],
    restore: [
      shellLine(
        ['gcloud', 'sql', 'backups', 'list', ...option('--instance', instance), ...option('--project', cloud.projectId)],
        `the id of the backup described installctl ${label}`,
      ),
      shellLine(
        ['gcloud', 'sql', 'backups', 'restore', 'BACKUP_ID', ...option('--restore-instance', instance), ...option('--project', cloud.projectId)],
        'in place: overwrites the instance',
      ),
    ],
    restoreNote: null,
  };
}

function managedBackup(settings: InstallSettings, label: string): DatabaseBackup {
  const cloud = settings.cloud!;
  switch (cloud.type) {
    case 'aws':
      return awsBackup(settings, cloud, label);
    case 'azure':
      return azureBackup(settings, cloud, label);
    case 'gcp':
      return gcpBackup(settings, cloud, label);
  }
}

/**
 * The backup of the platform's database before an upgrade to `release`, and its restore. dir: the
 * render directory the dump files go under (bundled and external PostgreSQL).
 */
export function databaseBackup(settings: InstallSettings, external: ExternalPostgres | null, release: string, dir: string): DatabaseBackup {
  const label = backupLabel(release);
  const namespace = settings.workloads.platformNamespace;
  const dump = inDir(dir, `backups/postgres-${label}.dump`);
  switch (settings.datastores.postgres) {
    case 'managed':
      return managedBackup(settings, label);
    case 'bundled':
      return {
        what: `a pg_dump of the bundled PostgreSQL (${dump})`,
        take: [
          shellLine(['kubectl', ...option('-n', namespace), 'exec', BUNDLED_POSTGRES, '--', 'sh', '-c', 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Fc', operator('>'), dump]),
        ],
        restore: [
          shellLine([
            'kubectl',
            ...option('-n', namespace),
            'exec',
            '-i',
            BUNDLED_POSTGRES,
            '--',
            'sh',
            '-c',
            'pg_restore --clean --if-exists -U "$POSTGRES_USER" -d "$POSTGRES_DB"',
            operator('<'),
            dump,
          ]),
        ],
        restoreNote: null,
      };
    case 'external': {
      const pg = external ?? { host: 'DB_HOST', port: 5432, database: 'agents', secretName: 'DB_SECRET', usernameKey: 'username', passwordKey: 'password' };
      const password = syntax(`PGPASSWORD=${secretValue(namespace, pg.secretName, pg.passwordKey)}`);
      const user = syntax(secretValue(namespace, pg.secretName, pg.usernameKey));
      const target = [...option('-h', pg.host), ...option('-p', String(pg.port)), '-U', user, ...option('-d', pg.database)];
      return {
        what: `a pg_dump of ${pg.host} (${dump})`,
        take: [shellLine([password, 'pg_dump', ...target, '-Fc', operator('>'), dump], 'from a host that reaches the database')],
        restore: [shellLine([password, 'pg_restore', '--clean', '--if-exists', ...target, operator('<'), dump])],
        restoreNote: null,
      };
    }
  }
}
