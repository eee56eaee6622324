import * as pulumi from '@pulumi/pulumi';
import * as cognitiveservices from '@pulumi/azure-native/cognitiveservices/index.js';
import type { AzureCloud, InstallSettings } from '../settings.js';
import { requireValid } from '../settings.js';
import type { EndpointPlan } from '../decisions/endpoints.js';
import { azureNames } from './common.js';
import { missingZones, privateEndpoint, type PrivateEndpointContext } from './network.js';

export interface AzureModelsArgs {
  installName: string;
  cloud: AzureCloud;
  models: InstallSettings['models'];
  endpoints: EndpointPlan;
  resourceGroupName: pulumi.Input<string>;
  privateEndpoints: PrivateEndpointContext;
  tags: Record<string, string>;
}

/** Capacity (thousands of tokens per minute) of a deployment whose catalog entry gives none. */
export const AZURE_OPENAI_DEFAULT_CAPACITY = 10;

export interface AzureOpenAiDeployment {
  /** Deployment name the AI gateway calls. */
  name: string;
  model: string;
  /** Null: the model's default version. */
  version: string | null;
  capacity: number;
}

/** One deployment per catalog entry, named as the spec says. */
export function azureOpenAiDeployments(models: Pick<InstallSettings['models'], 'catalog'>): AzureOpenAiDeployment[] {
  return models.catalog.map((entry) => ({ name: entry.deployment ?? entry.name, model: entry.name, version: entry.version, capacity: entry.capacity ?? AZURE_OPENAI_DEFAULT_CAPACITY }));
}

/**
 * Azure OpenAI for cloud-managed models: one account (Entra ID only, no keys; public network access
 * off and a private endpoint when the endpoint plan asks for it), one deployment per catalog entry,
 * created one after another as the service requires. Access is granted by AzureIdentity.
 */
export class AzureModels extends pulumi.ComponentResource {
  readonly accountId: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: AzureModelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('installctl:azure:Models', name, {}, opts);
    const { models } = args;
    const deployments = azureOpenAiDeployments(models);
    requireValid('AzureModels', [
      models.hosting !== 'cloud-managed' && `AzureModels is for cloud-managed models, not ${models.hosting}`,
      models.provider !== 'azure-openai' && `Azure serves cloud-managed models through azure-openai, not ${models.provider}`,
      models.catalog.length === 0 && 'the model catalog is empty',
      new Set(deployments.map((deployment) => deployment.name)).size !== deployments.length && 'two catalog entries share a deployment name',
      ...deployments.map((deployment) => deployment.capacity < 1 && `deployment ${deployment.name} needs a positive capacity`),
      ...(args.endpoints.modelService ? missingZones(args.privateEndpoints, ['openai']) : []),
    ]);
    const privateOnly = args.endpoints.modelService;
    const accountName = azureNames(args.installName, args.cloud).openAi;
    const account = new cognitiveservices.Account(
      `${name}-openai`,
      {
        resourceGroupName: args.resourceGroupName,
        location: models.region ?? args.cloud.location,
        accountName,
        kind: 'OpenAI',
        sku: { name: 'S0' },
        properties: {
          customSubDomainName: accountName,
          disableLocalAuth: true,
          publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled',
          ...(privateOnly ? { networkAcls: { defaultAction: 'Deny' } } : {}),
        },
        tags: args.tags,
      },
      { parent: this },
    );
    let previous: cognitiveservices.Deployment | undefined;
    for (const deployment of deployments) {
      previous = new cognitiveservices.Deployment(
        `${name}-${deployment.name}`,
        {
          resourceGroupName: args.resourceGroupName,
          accountName: account.name,
          deploymentName: deployment.name,
          properties: { model: { format: 'OpenAI', name: deployment.model, ...(deployment.version ? { version: deployment.version } : {}) }, versionUpgradeOption: 'OnceCurrentVersionExpired' },
          sku: { name: 'Standard', capacity: deployment.capacity },
          tags: args.tags,
        },
        // The service refuses concurrent deployment changes on one account.
        { parent: this, dependsOn: previous ? [previous] : [] },
      );
    }
    if (privateOnly) privateEndpoint(this, `${name}-openai`, args.privateEndpoints, 'openai', account.id);
    this.accountId = account.id;
    this.endpoint = account.properties.apply((properties) => properties.endpoint ?? '');
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
