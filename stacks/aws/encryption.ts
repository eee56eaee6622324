import * as pulumi from '@pulumi/pulumi';
import * as kms from '@pulumi/aws/kms/index.js';
import type { AwsCloud } from '../settings.js';
import { requireValid } from '../settings.js';

export interface AwsEncryptionArgs {
  installName: string;
  cloud: AwsCloud;
  tags: Record<string, string>;
}

/**
 * The customer-managed KMS key that encrypts the cluster's secrets, the database, the cache, the
 * bucket and the registry: the spec's existing key (kmsKeyArn), or a new one with yearly rotation.
 */
export class AwsEncryption extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: AwsEncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:aws:Encryption', name, {}, opts);
    requireValid('AwsEncryption', [
      args.cloud.kmsKeyArn !== null && !args.cloud.kmsKeyArn.startsWith('arn:') && `kmsKeyArn ${args.cloud.kmsKeyArn} is not an ARN`,
    ]);
    if (args.cloud.kmsKeyArn) {
      this.keyArn = pulumi.output(args.cloud.kmsKeyArn);
    } else {
      const key = new kms.Key(
        `${name}-key`,
        { description: `installctl ${args.installName}: data, secrets and images`, enableKeyRotation: true, deletionWindowInDays: 30, tags: args.tags },
        { parent: this },
      );
      new kms.Alias(`${name}-alias`, { name: `alias/installctl-${args.installName}`, targetKeyId: key.keyId }, { parent: this });
      this.keyArn = key.arn;
    }
    this.registerOutputs({ keyArn: this.keyArn });
  }
}
