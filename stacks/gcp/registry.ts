import * as pulumi from '@pulumi/pulumi';
import * as artifactregistry from '@pulumi/gcp/artifactregistry/index.js';
import type { GcpCloud, RegistrySettings } from '../settings.js';
import { requireValid } from '../settings.js';

export interface GcpRegistryArgs {
  cloud: GcpCloud;
  /** The project id, resolved once the install's APIs are enabled (GcpServices.project). */
  project: pulumi.Input<string>;
  registry: RegistrySettings;
  keyId: pulumi.Input<string>;
  /** The GKE node service account, which pulls the mirrored images. */
  nodeServiceAccountEmail: pulumi.Input<string>;
  labels: Record<string, string>;
}

/** The Docker host and path images are pushed to and pulled from. */
export function artifactRegistryUrl(cloud: Pick<GcpCloud, 'region' | 'projectId'>, repositoryId: string): string {
  return `${cloud.region}-docker.pkg.dev/${cloud.projectId}/${repositoryId}`;
}

/**
 * The air-gapped mirror in Artifact Registry: one Docker repository, in the install's region,
 * encrypted with the install's key, with immutable tags; the GKE nodes may read it and nothing else.
 * `installctl bundle push` fills it.
 */
export class GcpRegistry extends pulumi.ComponentResource {
  readonly registryUrl: string;

  constructor(name: string, args: GcpRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Registry', name, {}, opts);
    requireValid('GcpRegistry', [
      args.registry.kind !== 'artifact-registry' && `registry kind ${args.registry.kind} is not artifact-registry`,
      !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(args.registry.name) && `invalid Artifact Registry repository id ${args.registry.name}`,
    ]);
    const repository = new artifactregistry.Repository(
      `${name}-mirror`,
      {
        project: args.project,
        location: args.cloud.region,
        repositoryId: args.registry.name,
        format: 'DOCKER',
        mode: 'STANDARD_REPOSITORY',
        description: 'installctl mirror: every image the install runs',
        dockerConfig: { immutableTags: true },
        kmsKeyName: args.keyId,
        labels: args.labels,
      },
      { parent: this },
    );
    new artifactregistry.RepositoryIamMember(
      `${name}-nodes-read`,
      { project: args.project, location: args.cloud.region, repository: repository.name, role: 'roles/artifactregistry.reader', member: pulumi.interpolate`serviceAccount:${args.nodeServiceAccountEmail}` },
      { parent: this },
    );
    this.registryUrl = artifactRegistryUrl(args.cloud, args.registry.name);
    this.registerOutputs({ registryUrl: this.registryUrl });
  }
}
