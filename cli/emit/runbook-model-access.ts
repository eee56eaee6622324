/**
 * RUNBOOK.md's "Model access and quota" step for cloud-managed models: what the cloud account must
 * allow before the platform can call (or, on Azure, deploy) each catalog model. The cloud grants
 * these per model and region outside any API installctl drives, so the step names every model id
 * of the spec's catalog with the command that checks it.
 */
import type { Install } from '../generated/install-spec.js';
import type { CloudSettings, InstallSettings, ModelSettings } from '../../stacks/settings.js';
import { azureOpenAiDeployments } from '../../stacks/azure/models.js';
import { markdownCode, markdownText } from '../lib/markdown-text.js';
import { option, shellLine } from './shell.js';

/** Bullets and one ```sh block of checks; empty unless the models are cloud-managed. */
export function modelAccessStep(install: Install, settings: InstallSettings): string[] {
  const models = settings.models;
  const spec = install.spec.models;
  if (models.hosting !== 'cloud-managed' || spec.hosting !== 'cloud-managed') return [];
  // The model service's own account, project or Azure OpenAI account when the spec names one.
  const serviceAccount = spec.account ?? null;
  const cloud = settings.cloud;
  const names = models.catalog.map((model) => markdownCode(model.name)).join(', ');
  switch (models.provider) {
    case 'bedrock':
      return bedrockStep(models, cloud, serviceAccount, names);
    case 'azure-openai':
      return azureOpenAiStep(models, cloud, serviceAccount);
    case 'vertex':
      return vertexStep(models, cloud, serviceAccount, names);
    // A provider string of another cloud service (settings carry any string): the generic step.
    case null:
    default:
      return [`- ${markdownText(models.provider ?? '')}: every catalog model (${names}) must be enabled for the account, with quota for the expected load.`, ''];
  }
}

/** Amazon Bedrock: model access (use-case form, Marketplace subscription) and on-demand quotas. */
function bedrockStep(models: ModelSettings, cloud: CloudSettings | null, serviceAccount: string | null, names: string): string[] {
  const region = models.region ?? (cloud?.type === 'aws' ? cloud.region : '');
  const account = serviceAccount ?? (cloud?.type === 'aws' ? cloud.accountId : null);
  return [
    `- Amazon Bedrock${region ? ` in ${markdownText(region)}` : ''}${account ? ` (account ${markdownText(account)})` : ''}: the account must be allowed to invoke ${names}. In the Bedrock console (Model catalog, or Model access in older consoles) request access to each of them; Anthropic models need the one-time use-case form first, and models sold through AWS Marketplace a subscription, accepted by someone allowed to subscribe (aws-marketplace:Subscribe).`,
    '- Quotas: on-demand requests and tokens per minute are per model and region (Service Quotas, service Amazon Bedrock); request increases for the expected load before users arrive.',
    '',
    '```sh',
    ...models.catalog.map((model) =>
      shellLine(
        [
          'aws',
          'bedrock',
          'get-foundation-model-availability',
          ...option('--model-id', model.name),
          ...(region ? option('--region', region) : []),
          '--query',
          '[authorizationStatus,entitlementAvailability,regionAvailability,agreementAvailability.status]',
          '--output',
          'text',
        ],
        'AUTHORIZED AVAILABLE AVAILABLE AVAILABLE',
      ),
    ),
    ...(region
      ? [
          shellLine([
            'aws',
            'service-quotas',
            'list-service-quotas',
            '--service-code',
            'bedrock',
            ...option('--region', region),
            '--query',
            'Quotas[?contains(QuotaName, `On-demand`)].[QuotaName,Value]',
            '--output',
            'table',
          ]),
        ]
      : []),
    '```',
    '',
  ];
}

/** Azure OpenAI: one deployment per catalog model, each within the subscription's quota. */
function azureOpenAiStep(models: ModelSettings, cloud: CloudSettings | null, serviceAccount: string | null): string[] {
  const location = models.region ?? (cloud?.type === 'azure' ? cloud.location : '');
  const deployments = azureOpenAiDeployments(models);
  const created = cloud?.type === 'azure';
  return [
    `- Azure OpenAI${serviceAccount ? ` account ${markdownText(serviceAccount)}` : ''}${location ? ` in ${markdownText(location)}` : ''}: ${created ? 'the infrastructure step (Pulumi) creates one deployment per catalog model, and creating one fails unless the subscription has that much quota left for the model in the region (Standard deployment type, in thousands of tokens per minute)' : "the account needs one deployment per catalog model, each within the subscription's quota for the model in the region (Standard deployment type, in thousands of tokens per minute)"}:`,
    ...deployments.map(
      (deployment) =>
        `  - deployment ${markdownCode(deployment.name)}: model ${markdownCode(deployment.model)}${deployment.version ? ` version ${markdownCode(deployment.version)}` : ''}, capacity ${deployment.capacity}K TPM`,
    ),
    '- Quota is requested in the Azure AI Foundry portal (Management, Quota) per model, deployment type and region; the model must also be offered in that region.',
    '',
    '```sh',
    ...deployments.map((deployment) =>
      shellLine(
        [
          'az',
          'cognitiveservices',
          'usage',
          'list',
          ...(location ? option('--location', location) : []),
          ...(cloud?.type === 'azure' ? option('--subscription', cloud.subscriptionId) : []),
          '--query',
          `[?name.value=='OpenAI.Standard.${deployment.model}'].{used:currentValue,limit:limit}`,
          '--output',
          'table',
        ],
        `limit - used >= ${deployment.capacity} for deployment ${deployment.name}`,
      ),
    ),
    '```',
    '',
  ];
}

/** Vertex AI: the API enabled, partner models enabled in Model Garden, and quotas. */
function vertexStep(models: ModelSettings, cloud: CloudSettings | null, serviceAccount: string | null, names: string): string[] {
  const region = models.region ?? (cloud?.type === 'gcp' ? cloud.region : '');
  const project = serviceAccount ?? (cloud?.type === 'gcp' ? cloud.projectId : null);
  return [
    `- Vertex AI${region ? ` in ${markdownText(region)}` : ''}${project ? ` (project ${markdownText(project)})` : ''}: the Vertex AI API must be enabled, and every catalog model (${names}) available to the project. Google's own models (Gemini, text embeddings) are; partner and open models (Claude, Llama, Mistral...) must be enabled on their Model Garden card first, by someone allowed to accept their terms.`,
    '- Quotas: requests and tokens per minute are per model and region (IAM & Admin, Quotas, service Vertex AI API); request increases for the expected load before users arrive.',
    '',
    '```sh',
    shellLine(['gcloud', 'services', 'enable', 'aiplatform.googleapis.com', ...(project ? option('--project', project) : [])], 'once; a no-op when enabled'),
    ...models.catalog.map((model) =>
      shellLine(
        ['gcloud', 'ai', 'model-garden', 'models', 'list', ...(project ? option('--project', project) : []), ...option('--model-filter', model.name)],
        `listed: ${model.name} is in Model Garden; a partner model must also be enabled on its card`,
      ),
    ),
    '```',
    '',
  ];
}
