import * as pulumi from '@pulumi/pulumi';
import * as projects from '@pulumi/gcp/projects/index.js';
import type { GcpCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import type { PrivateGoogleApis } from './common.js';
import { vertexEndpoint } from './common.js';

export interface GcpModelsArgs {
  cloud: GcpCloud;
  models: InstallSettings['models'];
  /** Private Service Connect for Google APIs, which the network creates when the endpoint plan asks for the model service privately. */
  googleApis: PrivateGoogleApis;
  /** Whether the endpoint plan asks for the model service privately (planEndpoints().modelService). */
  privateModelService: boolean;
}

/**
 * Vertex AI for cloud-managed models: the aiplatform API, and the regional endpoint the AI gateway
 * calls. Vertex needs no per-model deployment for Google's foundation models; privately it is
 * reached through the network's Private Service Connect endpoint for Google APIs (the googleapis.com
 * zone resolves REGION-aiplatform.googleapis.com to it). Model access is granted by GcpIdentity.
 */
export class GcpModels extends pulumi.ComponentResource {
  readonly endpoint: string;

  constructor(name: string, args: GcpModelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:gcp:Models', name, {}, opts);
    requireValid('GcpModels', [
      args.models.hosting !== 'cloud-managed' && `GcpModels is for cloud-managed models, not ${args.models.hosting}`,
      args.models.provider !== 'vertex' && `GCP serves cloud-managed models through vertex, not ${args.models.provider}`,
      args.models.catalog.length === 0 && 'the model catalog is empty',
      args.privateModelService && !args.googleApis.enabled && 'the model service is private but the network has no Private Service Connect endpoint for Google APIs',
    ]);
    new projects.Service(`${name}-aiplatform`, { project: args.cloud.projectId, service: 'aiplatform.googleapis.com', disableOnDestroy: false, disableDependentServices: false }, { parent: this });
    this.endpoint = vertexEndpoint(args.models.region ?? args.cloud.region);
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
