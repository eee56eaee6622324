import * as pulumi from '@pulumi/pulumi';
import * as iam from '@pulumi/aws/iam/index.js';
import type { AwsCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { migrationsServiceAccount, serviceAccountSubject } from '../decisions/workloads.js';
import { AWS_DATABASE_APP_USER } from '../decisions/datastores.js';
import { partitionOf, policyDocument } from './common.js';
import { AWS_LB_CONTROLLER, awsLbControllerRoleName, awsLbControllerStatements } from './lb-controller.js';

export interface AwsIdentityArgs {
  installName: string;
  cloud: AwsCloud;
  models: InstallSettings['models'];
  workloads: InstallSettings['workloads'];
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuer: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  /** The RDS instance's DbiResourceId when PostgreSQL is managed (IAM database auth); else null. */
  postgresResourceId: pulumi.Input<string> | null;
  tags: Record<string, string>;
}

// The database user the platform connects as with IAM auth; the runbook creates it with rds_iam.
export { AWS_DATABASE_APP_USER } from '../decisions/datastores.js';

/** Bedrock model ARNs a catalog entry may invoke: the foundation model in the model region. */
export function bedrockModelArns(cloud: AwsCloud, models: InstallSettings['models']): string[] {
  const region = models.region ?? cloud.region;
  return models.catalog.map((model) => `arn:${partitionOf(region)}:bedrock:${region}::foundation-model/${model.name}`);
}

/** IAM role names are fixed so render can write them into the Helm values before `pulumi up`. */
export function awsRoleName(installName: string, serviceAccount: string): string {
  return `${installName}-${serviceAccount}`;
}

/**
 * IRSA roles for the platform's service accounts, each trusting only its own service account:
 * the AI gateway may invoke exactly the catalog's Bedrock models (cloud-managed), the platform may
 * use its bucket, and the model server may read its weights (self-hosted, S3). The AWS Load
 * Balancer Controller (kube-system) gets its own role for the chart's alb Ingress.
 */
export class AwsIdentity extends pulumi.ComponentResource {
  readonly roleArns: Record<string, pulumi.Output<string>> = {};
  /** The database user rds-db:connect names (managed PostgreSQL), or null: what the chart must sign in as. */
  readonly databaseUser: pulumi.Output<string> | null = null;
  /** The AWS Load Balancer Controller's role, for the runbook's controller install. */
  readonly loadBalancerControllerRoleArn: pulumi.Output<string>;

  constructor(name: string, args: AwsIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Identity', name, {}, opts);
    const { models, workloads } = args;
    requireValid('AwsIdentity', [
      models.hosting === 'cloud-managed' && models.provider !== 'bedrock' && `AWS serves cloud-managed models through bedrock, not ${models.provider}`,
      models.weights.some((weights) => weights.source !== 's3') && 'AWS model servers read weights from s3 only',
    ]);

    const role = (serviceAccount: string, namespace: string, statements: pulumi.Input<object[]>, alsoTrusted: string[] = [], roleName = awsRoleName(args.installName, serviceAccount)): pulumi.Output<string> => {
      const subjects = [serviceAccount, ...alsoTrusted].map((account) => serviceAccountSubject(namespace, account));
      const created = new iam.Role(
        `${name}-${serviceAccount}`,
        {
          name: roleName,
          assumeRolePolicy: pulumi.all([args.oidcProviderArn, args.oidcIssuer]).apply(([arn, issuer]) =>
            policyDocument([
              {
                Effect: 'Allow',
                Principal: { Federated: arn },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { StringEquals: { [`${issuer}:sub`]: subjects.length === 1 ? subjects[0] : subjects, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
              },
            ]),
          ),
          tags: args.tags,
        },
        { parent: this },
      );
      new iam.RolePolicy(`${name}-${serviceAccount}`, { role: created.id, policy: pulumi.output(statements).apply((list) => policyDocument(list)) }, { parent: this });
      return created.arn;
    };

    const bucketObjects = pulumi.output(args.bucketArn).apply((arn) => [
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [arn] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [`${arn}/*`] },
    ]);
    const rdsConnect: pulumi.Output<object[]> =
      args.postgresResourceId === null
        ? pulumi.output([])
        : pulumi.output(args.postgresResourceId).apply((id) => [
            { Effect: 'Allow', Action: ['rds-db:connect'], Resource: [`arn:${partitionOf(args.cloud.region)}:rds-db:${args.cloud.region}:${args.cloud.accountId}:dbuser:${id}/${AWS_DATABASE_APP_USER}`] },
          ]);
    if (args.postgresResourceId !== null) this.databaseUser = pulumi.output(AWS_DATABASE_APP_USER);
    const useKey = pulumi.output(args.keyArn).apply((arn) => ({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [arn] }));
    // The migration Job (and its wait-for-schema clients) connect to PostgreSQL with IAM auth as the platform identity.
    this.roleArns[workloads.serviceAccounts.platform] = role(workloads.serviceAccounts.platform, workloads.platformNamespace, pulumi.all([bucketObjects, useKey, rdsConnect]).apply(([objects, key, rds]) => [...objects, key, ...rds]), [
      migrationsServiceAccount(workloads.serviceAccounts.platform),
    ]);

    if (models.hosting === 'cloud-managed') {
      this.roleArns[workloads.serviceAccounts.aiGateway] = role(workloads.serviceAccounts.aiGateway, workloads.platformNamespace, [
        { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: bedrockModelArns(args.cloud, models) },
      ]);
    }
    if (models.hosting === 'self-hosted' && models.weights.length > 0) {
      const partition = partitionOf(args.cloud.region);
      this.roleArns[workloads.serviceAccounts.modelServer] = role(workloads.serviceAccounts.modelServer, workloads.modelsNamespace, [
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [...new Set(models.weights.map((w) => `arn:${partition}:s3:::${w.bucket}`))] },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: models.weights.map((w) => `arn:${partition}:s3:::${w.bucket}/${w.prefix.replace(/\/?$/, '/')}*`) },
      ]);
    }
    this.loadBalancerControllerRoleArn = role(AWS_LB_CONTROLLER.serviceAccount, AWS_LB_CONTROLLER.namespace, awsLbControllerStatements(partitionOf(args.cloud.region)), [], awsLbControllerRoleName(args.installName));
    this.registerOutputs({ roleArns: this.roleArns, databaseUser: this.databaseUser, loadBalancerControllerRoleArn: this.loadBalancerControllerRoleArn });
  }
}
