import * as pulumi from '@pulumi/pulumi';
import * as kms from '@pulumi/gcp/kms/index.js';
import * as organizations from '@pulumi/gcp/organizations/index.js';
import * as projects from '@pulumi/gcp/projects/index.js';
import * as storage from '@pulumi/gcp/storage/index.js';
import type { GcpCloud } from '../settings.js';
import { requireValid } from '../settings.js';
import { gcpName, serviceAgentEmail, type KeyUser } from './common.js';

export interface GcpEncryptionArgs {
  installName: string;
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  /** The Google-managed service agents that encrypt with the key (keyUsers). */
  keyUsers: KeyUser[];
  labels: Record<string, string>;
}

/** Keys rotate every 90 days. */
export const KMS_ROTATION_PERIOD = '7776000s';

/** GCP APIs whose service agent comes from projects.ServiceIdentity (it may not exist before the first call). */
const SERVICE_IDENTITY: Partial<Record<KeyUser, string>> = { cloudsql: 'sqladmin.googleapis.com', artifactregistry: 'artifactregistry.googleapis.com' };

/**
 * The customer-managed Cloud KMS key, in the install's region, that encrypts the cluster's secrets,
 * the database, the cache, the bucket and the registry, and encrypter/decrypter grants on it for the
 * service agents of exactly the services that use it. `keyId` resolves once the grants exist, so
 * nothing tries to encrypt with the key before its service agent may.
 */
export class GcpEncryption extends pulumi.ComponentResource {
  /** projects/P/locations/R/keyRings/K/cryptoKeys/agents, after the service agent grants. */
  readonly keyId: pulumi.Output<string>;

  constructor(name: string, args: GcpEncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Encryption', name, {}, opts);
    requireValid('GcpEncryption', [
      !/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(args.cloud.projectId) && `${args.cloud.projectId} is not a GCP project id`,
      !/^[a-z]+-[a-z]+[1-9][0-9]?$/.test(args.cloud.region) && `${args.cloud.region} is not a GCP region (a key for regional resources must be regional)`,
      new Set(args.keyUsers).size !== args.keyUsers.length && 'keyUsers lists a service twice',
    ]);
    const ring = new kms.KeyRing(`${name}-ring`, { project: args.project, location: args.cloud.region, name: gcpName(args.installName, 'installctl', 63) }, { parent: this });
    const key = new kms.CryptoKey(
      `${name}-key`,
      { keyRing: ring.id, name: 'agents', purpose: 'ENCRYPT_DECRYPT', rotationPeriod: KMS_ROTATION_PERIOD, labels: args.labels },
      { parent: this },
    );

    let projectNumber: pulumi.Output<string> | undefined;
    const numbered = (agent: 'redis' | 'container') => {
      projectNumber ??= organizations.getProjectOutput({ projectId: args.project }, { parent: this }).number;
      return projectNumber.apply((number) => serviceAgentEmail(number, agent));
    };
    const agentEmail = (user: KeyUser): pulumi.Output<string> => {
      const api = SERVICE_IDENTITY[user];
      if (api) return new projects.ServiceIdentity(`${name}-${user}-agent`, { project: args.project, service: api }, { parent: this }).email;
      if (user === 'storage') return storage.getProjectServiceAccountOutput({ project: args.project }, { parent: this }).emailAddress;
      return numbered(user === 'redis' ? 'redis' : 'container');
    };
    const grants = args.keyUsers.map(
      (user) =>
        new kms.CryptoKeyIAMMember(
          `${name}-${user}`,
          { cryptoKeyId: key.id, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: pulumi.interpolate`serviceAccount:${agentEmail(user)}` },
          { parent: this },
        ),
    );
    this.keyId = pulumi.all([key.id, pulumi.all(grants.map((grant) => grant.id))]).apply(([id]) => id);
    this.registerOutputs({ keyId: this.keyId });
  }
}
