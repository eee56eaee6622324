import * as pulumi from '@pulumi/pulumi';
import * as projects from '@pulumi/gcp/projects/index.js';
import type { GcpCloud } from '../settings.js';
import { requireValid } from '../settings.js';

export interface GcpServicesArgs {
  cloud: GcpCloud;
  /** API service names, e.g. container.googleapis.com (gcpProjectApis). */
  apis: string[];
}

/**
 * The project APIs the install uses, enabled and left enabled on destroy (other workloads in the
 * project may rely on them). `project` resolves only once every API is enabled: components set it
 * on their resources, which orders them after the APIs without explicit dependsOn lists.
 */
export class GcpServices extends pulumi.ComponentResource {
  readonly project: pulumi.Output<string>;

  constructor(name: string, args: GcpServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Services', name, {}, opts);
    requireValid('GcpServices', [
      args.apis.some((api) => !/^[a-z][a-z0-9]*\.googleapis\.com$/.test(api)) && `not API service names: ${args.apis.filter((api) => !api.endsWith('.googleapis.com')).join(', ')}`,
      new Set(args.apis).size !== args.apis.length && 'APIs are listed twice',
    ]);
    const enabled = args.apis.map(
      (api) => new projects.Service(`${name}-${api.split('.')[0]}`, { project: args.cloud.projectId, service: api, disableOnDestroy: false, disableDependentServices: false }, { parent: this }),
    );
    this.project = pulumi.all(enabled.map((service) => service.service)).apply(() => args.cloud.projectId);
    this.registerOutputs({ project: this.project });
  }
}
