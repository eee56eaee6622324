import * as pulumi from '@pulumi/pulumi';
import * as ecr from '@pulumi/aws/ecr/index.js';
import * as iam from '@pulumi/aws/iam/index.js';
import type { AwsCloud, RegistrySettings } from '../settings.js';
import { requireValid } from '../settings.js';
import { partitionOf, policyDocument } from './common.js';

export interface AwsRegistryArgs {
  installName: string;
  cloud: AwsCloud;
  registry: RegistrySettings;
  keyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** Role names are at most 64 characters: the install name (at most 40) plus this suffix. */
export function ecrTemplateRoleName(installName: string): string {
  return `${installName}-ecr-templates`;
}

/**
 * What ECR does as the template's role when it creates a repository on push: create and tag the
 * repository under the mirror prefix, and grant itself use of the KMS key that encrypts it
 * (ECR user guide, "IAM role for repository creation templates").
 */
export function ecrTemplateRoleStatements(cloud: AwsCloud, prefix: string, keyArn: string): object[] {
  return [
    { Effect: 'Allow', Action: ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'], Resource: `arn:${partitionOf(cloud.region)}:ecr:${cloud.region}:${cloud.accountId}:repository/${prefix}/*` },
    { Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:RetireGrant', 'kms:DescribeKey'], Resource: keyArn },
  ];
}

/**
 * The air-gapped mirror in ECR: a repository creation template for the mirror prefix, so
 * `installctl bundle push` creates each repository on first push, KMS-encrypted, with immutable
 * tags and scan on push. A template with KMS encryption or resource tags must name a role ECR
 * assumes to apply them (customRoleArn); without one, create-on-push fails.
 */
export class AwsRegistry extends pulumi.ComponentResource {
  readonly registryUrl: string;

  constructor(name: string, args: AwsRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Registry', name, {}, opts);
    requireValid('AwsRegistry', [args.registry.kind !== 'ecr' && `registry kind ${args.registry.kind} is not ecr`, !/^[a-z0-9][-a-z0-9._/]*$/.test(args.registry.name) && `invalid ECR prefix ${args.registry.name}`]);
    const role = new iam.Role(
      `${name}-template-role`,
      {
        name: ecrTemplateRoleName(args.installName),
        assumeRolePolicy: policyDocument([{ Effect: 'Allow', Principal: { Service: 'ecr.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
        tags: args.tags,
      },
      { parent: this },
    );
    const grant = new iam.RolePolicy(
      `${name}-template-role`,
      { role: role.id, policy: pulumi.output(args.keyArn).apply((keyArn) => policyDocument(ecrTemplateRoleStatements(args.cloud, args.registry.name, keyArn))) },
      { parent: this },
    );
    new ecr.RepositoryCreationTemplate(
      `${name}-mirror`,
      {
        prefix: args.registry.name,
        description: 'installctl mirror: repositories created on push',
        appliedFors: ['CREATE_ON_PUSH'],
        imageTagMutability: 'IMMUTABLE',
        encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: args.keyArn }],
        resourceTags: args.tags,
        customRoleArn: role.arn,
      },
      { parent: this, dependsOn: [grant] },
    );
    new ecr.RegistryScanningConfiguration(`${name}-scanning`, { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: `${args.registry.name}/*`, filterType: 'WILDCARD' }] }] }, { parent: this });
    this.registryUrl = `${args.cloud.accountId}.dkr.ecr.${args.cloud.region}.amazonaws.com/${args.registry.name}`;
    this.registerOutputs({ registryUrl: this.registryUrl });
  }
}
