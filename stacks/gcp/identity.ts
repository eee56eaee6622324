import * as pulumi from '@pulumi/pulumi';
import * as projects from '@pulumi/gcp/projects/index.js';
import * as serviceaccount from '@pulumi/gcp/serviceaccount/index.js';
import * as sql from '@pulumi/gcp/sql/index.js';
import * as storage from '@pulumi/gcp/storage/index.js';
import type { GcpCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { migrationsServiceAccount } from '../decisions/workloads.js';
import { gcpServiceAccountEmail, gcpServiceAccountId, workloadIdentityMember } from './common.js';

export interface GcpIdentityArgs {
  installName: string;
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  models: InstallSettings['models'];
  workloads: InstallSettings['workloads'];
  /** The cluster's Workload Identity pool, resolved once the cluster exists (GcpCluster.workloadPool). */
  workloadPool: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  /** The managed Cloud SQL instance, or null: the platform then signs in with IAM database authentication. */
  postgresInstanceName: pulumi.Input<string> | null;
}

/** The Cloud SQL IAM database user of a service account: its email without .gserviceaccount.com. */
export function cloudSqlIamUser(email: string): string {
  return email.replace(/\.gserviceaccount\.com$/, '');
}

/** Buckets a model server reads weights from, each once. */
export function weightBuckets(models: InstallSettings['models']): string[] {
  return [...new Set(models.weights.map((weights) => weights.bucket))].sort();
}

/**
 * A Google service account per workload, each usable only by its own Kubernetes service account
 * through Workload Identity (the platform's also by the chart's migration Job): the platform may
 * use its bucket and sign in to Cloud SQL with IAM database authentication, the AI gateway may
 * call Vertex AI (cloud-managed), the model server may read its weights (self-hosted, GCS).
 */
export class GcpIdentity extends pulumi.ComponentResource {
  /** Google service account emails by Kubernetes service account name. */
  readonly serviceAccountEmails: Record<string, pulumi.Output<string>> = {};
  /** The Cloud SQL IAM user created for the platform (managed PostgreSQL), or null: what the chart must sign in as. */
  readonly databaseUser: pulumi.Output<string> | null = null;

  constructor(name: string, args: GcpIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Identity', name, {}, opts);
    const { models, workloads } = args;
    requireValid('GcpIdentity', [
      models.hosting === 'cloud-managed' && models.provider !== 'vertex' && `GCP serves cloud-managed models through vertex, not ${models.provider}`,
      models.weights.some((weights) => weights.source !== 'gcs') && 'GCP model servers read weights from gcs only',
    ]);
    const parent = { parent: this };
    const project = args.project;

    /** A Google service account usable by its Kubernetes service account (and alsoTrusted ones in the same namespace). */
    const account = (serviceAccount: string, namespace: string, alsoTrusted: string[] = []) => {
      const accountId = gcpServiceAccountId(args.installName, serviceAccount);
      const created = new serviceaccount.Account(
        `${name}-${serviceAccount}`,
        { project, accountId, displayName: `installctl ${args.installName} ${serviceAccount}`, description: `Workload Identity for ${namespace}/${serviceAccount}` },
        parent,
      );
      for (const trusted of [serviceAccount, ...alsoTrusted]) {
        new serviceaccount.IAMMember(
          `${name}-${trusted}-workload-identity`,
          { serviceAccountId: created.name, role: 'roles/iam.workloadIdentityUser', member: pulumi.output(args.workloadPool).apply((pool) => workloadIdentityMember(pool, namespace, trusted)) },
          parent,
        );
      }
      this.serviceAccountEmails[serviceAccount] = created.email;
      return { created, email: gcpServiceAccountEmail(args.cloud.projectId, accountId) };
    };

    // The chart's migration Job connects to Cloud SQL as the platform identity.
    const platform = account(workloads.serviceAccounts.platform, workloads.platformNamespace, [migrationsServiceAccount(workloads.serviceAccounts.platform)]);
    new storage.BucketIAMMember(`${name}-platform-objects`, { bucket: args.bucketName, role: 'roles/storage.objectAdmin', member: platform.created.member }, parent);
    if (args.postgresInstanceName !== null) {
      for (const role of ['roles/cloudsql.client', 'roles/cloudsql.instanceUser']) {
        new projects.IAMMember(`${name}-platform-${role.split('.')[1]}`, { project, role, member: platform.created.member }, parent);
      }
      // The platform owns the schema (migrations, the pgvector extension), as the RDS master user does on AWS.
      const user = new sql.User(
        `${name}-platform-db`,
        { project, instance: args.postgresInstanceName, name: cloudSqlIamUser(platform.email), type: 'CLOUD_IAM_SERVICE_ACCOUNT', databaseRoles: ['cloudsqlsuperuser'] },
        { parent: this, dependsOn: [platform.created] },
      );
      this.databaseUser = user.name;
    }

    if (models.hosting === 'cloud-managed') {
      const gateway = account(workloads.serviceAccounts.aiGateway, workloads.platformNamespace);
      new projects.IAMMember(`${name}-ai-gateway-vertex`, { project, role: 'roles/aiplatform.user', member: gateway.created.member }, parent);
    }
    if (models.hosting === 'self-hosted' && models.weights.length > 0) {
      const server = account(workloads.serviceAccounts.modelServer, workloads.modelsNamespace);
      for (const bucket of weightBuckets(models)) {
        new storage.BucketIAMMember(`${name}-model-server-${bucket}`, { bucket, role: 'roles/storage.objectViewer', member: server.created.member }, parent);
      }
    }
    this.registerOutputs({ serviceAccountEmails: this.serviceAccountEmails, databaseUser: this.databaseUser });
  }
}
