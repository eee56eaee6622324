/** Names the stacks, the Helm values and the runbook share for managed datastores. */

/** The ConfigMap (platform namespace) holding a managed cache's server CA, created by the runbook. */
export function redisCaConfigMap(installName: string): string {
  return `${installName}-redis-ca`;
}

/** The RDS database user the platform signs in as with IAM auth (created with rds_iam by the runbook). */
export const AWS_DATABASE_APP_USER = 'agents_app';
