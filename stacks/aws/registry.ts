import * as pulumi from '@pulumi/pulumi';
import * as ecr from '@pulumi/aws/ecr/index.js';
import type { AwsCloud, RegistrySettings } from '../settings.js';
import { requireValid } from '../settings.js';

export interface AwsRegistryArgs {
  cloud: AwsCloud;
  registry: RegistrySettings;
  keyArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * The air-gapped mirror in ECR: a repository creation template for the mirror prefix, so
 * `installctl bundle push` creates each repository on first push, KMS-encrypted, with immutable
 * tags and scan on push.
 */
export class AwsRegistry extends pulumi.ComponentResource {
  readonly registryUrl: string;

  constructor(name: string, args: AwsRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Registry', name, {}, opts);
    requireValid('AwsRegistry', [args.registry.kind !== 'ecr' && `registry kind ${args.registry.kind} is not ecr`, !/^[a-z0-9][-a-z0-9._/]*$/.test(args.registry.name) && `invalid ECR prefix ${args.registry.name}`]);
    new ecr.RepositoryCreationTemplate(
      `${name}-mirror`,
      {
        prefix: args.registry.name,
        description: 'installctl mirror: repositories created on push',
        appliedFors: ['CREATE_ON_PUSH'],
        imageTagMutability: 'IMMUTABLE',
        encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: args.keyArn }],
        resourceTags: args.tags,
      },
      { parent: this },
    );
    new ecr.RegistryScanningConfiguration(`${name}-scanning`, { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: `${args.registry.name}/*`, filterType: 'WILDCARD' }] }] }, { parent: this });
    this.registryUrl = `${args.cloud.accountId}.dkr.ecr.${args.cloud.region}.amazonaws.com/${args.registry.name}`;
    this.registerOutputs({ registryUrl: this.registryUrl });
  }
}
