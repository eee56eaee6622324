/**
 * RUNBOOK.md, "Secrets and CA bundles": the ConfigMap holding the CA bundle the platform verifies a managed
 * PostgreSQL server with, where the cloud publishes it only as a download (AWS: the RDS global bundle; no public root
 * signs RDS). Azure's roots ship in the chart; Cloud SQL's server CA comes from the stack output.
 */
import type { InstallSettings } from '../../stacks/settings.js';
import { postgresCaConfigMap, postgresTls } from '../../stacks/decisions/datastores.js';
import { apply } from './runbook-secrets.js';
import { operand, operator, option, shellLine } from './shell.js';

/** Where AWS publishes the RDS CA bundle of every region (RDS user guide, "Using SSL/TLS to encrypt a connection to a DB instance"). */
export const RDS_GLOBAL_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

export function postgresCaLines(settings: InstallSettings): string[] {
  if (postgresTls(settings.platform, settings.datastores.postgres).serverCa !== 'rds-global-bundle') return [];
  const file = 'trust/rds-global-bundle.pem';
  const fetch =
    settings.network.mode === 'air-gapped'
      ? // The site reaches no AWS download: the bundle is carried in with the installctl bundle, like the images.
        shellLine(
          ['test', '-s', file, operator('||'), 'cat', operator('>'), file],
          'the RDS global CA bundle (global-bundle.pem), copied from a connected host: paste, then Ctrl-D',
        )
      : shellLine(['test', '-s', file, operator('||'), 'curl', '-fsSL', RDS_GLOBAL_BUNDLE_URL, operator('>'), file], 'the RDS CA bundle of every region');
  return [
    fetch,
    shellLine(
      apply(['kubectl', ...option('-n', settings.workloads.platformNamespace), 'create', 'configmap', operand(postgresCaConfigMap(settings.name)), `--from-file=ca.crt=${file}`]),
      'postgres.serverCa of the infrastructure values layer: PGSSLROOTCERT of every database client (verify-full)',
    ),
  ];
}
