/**
 * The checks behind each requirement id in support-matrix.yaml. The data says which cells need a
 * requirement; this file says what meeting it means for a spec. A test asserts that every id in
 * the data has a check here and every check is used by the data.
 */
import { platformDescriptor } from '../dimensions/index.js';
import type { Install } from '../generated/install-spec.js';
import type { Finding } from '../schema/issue.js';
import { offersGpuPresets, productsOn, shapesFor } from './gpu-presets.js';
import { requirementCode, type Cell, type SupportMatrixModel } from './engine.js';
import { findPublicHosts } from './public-hosts.js';

export interface RequirementContext {
  spec: Install;
  cell: Cell;
  matrix: SupportMatrixModel;
}

type Check = (context: RequirementContext, code: string) => Finding[];

const error = (code: string, path: (string | number)[], message: string, hint: string): Finding => ({ severity: 'error', code, path, message, hint });

export const REQUIREMENT_CHECKS: Record<string, Check> = {
  'gpu-pool': ({ spec }, code) => {
    const models = spec.spec.models;
    if (models.hosting !== 'self-hosted') return [];
    if (!models.gpuPool) {
      return [error(code, ['spec', 'models', 'gpuPool'], 'self-hosted models need a GPU node pool', 'add gpuPool: {product: l4, minNodes: 1, maxNodes: 2}')];
    }
    const platform = spec.spec.platform.type;
    if (!offersGpuPresets(platform) || shapesFor(models.gpuPool.product, platform).length > 0) return [];
    return [
      error(
        code,
        ['spec', 'models', 'gpuPool', 'product'],
        `${platform} offers no ${models.gpuPool.product} GPU nodes`,
        `GPU products on ${platform}: ${productsOn(platform).join(', ')}`,
      ),
    ];
  },

  'weights-source': ({ spec }, code) => {
    const models = spec.spec.models;
    if (models.hosting !== 'self-hosted') return [];
    return models.catalog.flatMap((model, index) =>
      model.weights
        ? []
        : [
            error(
              code,
              ['spec', 'models', 'catalog', index, 'weights'],
              `model ${model.name} has no weights source`,
              'add weights: {source: pvc, claimName: NAME} (or oci, s3, gcs, azure-blob)',
            ),
          ],
    );
  },

  'offline-weights': ({ spec }, code) => {
    const models = spec.spec.models;
    if (models.hosting !== 'self-hosted') return [];
    return models.catalog.flatMap((model, index) =>
      model.weights?.source === 'hf'
        ? [
            error(
              code,
              ['spec', 'models', 'catalog', index, 'weights', 'source'],
              `model ${model.name} loads weights from the public Hugging Face hub, which an air-gapped network cannot reach`,
              'pre-fill a PVC (source: pvc) or push the weights to the mirror as an OCI artifact (source: oci)',
            ),
          ]
        : [],
    );
  },

  'registry-mirror': ({ spec }, code) =>
    spec.spec.registry?.mirror
      ? []
      : [
          error(
            code,
            ['spec', 'registry'],
            'an air-gapped install needs a private registry mirror for every image',
            'add registry: {mirror: registry.example.internal/installctl}',
          ),
        ],

  'no-public-endpoints': ({ spec, matrix }, code) =>
    findPublicHosts(spec.spec, matrix.publicHosts(), ['spec']).map((hit) =>
      error(
        code,
        hit.path,
        `${hit.host} is a public internet service, unreachable from an air-gapped network`,
        'point it at a service inside the customer network (a mirror, an internal host)',
      ),
    ),

  'private-cluster-api': ({ spec }, code) => {
    const platform = spec.spec.platform;
    if (platform.type === 'onprem' || platform.cluster.mode !== 'new' || platform.cluster.apiEndpoint !== 'public') return [];
    return [error(code, ['spec', 'platform', 'cluster', 'apiEndpoint'], 'an air-gapped cluster cannot have a public API endpoint', 'remove apiEndpoint or set it to private')];
  },

  'scm-webhook-route': ({ spec }, code) => {
    const webhooks = spec.spec.scm.webhooks;
    if (webhooks && webhooks.delivery !== 'polling') return [];
    return [
      error(
        code,
        ['spec', 'scm', 'webhooks'],
        webhooks ? 'polling cannot replace GitHub.com webhooks for pull-request events' : 'GitHub.com needs a route to deliver webhooks to the install',
        'add webhooks: {delivery: ingress, url: https://PUBLIC-HOST/scm/webhooks} or {delivery: relay, url: RELAY-URL}',
      ),
    ];
  },

  'cloud-model-provider-matches-platform': ({ spec }, code) => {
    const models = spec.spec.models;
    const platform = spec.spec.platform.type;
    const expected = platformDescriptor(platform).cloudModelService;
    if (models.hosting !== 'cloud-managed' || !expected || models.provider === expected) return [];
    return [error(code, ['spec', 'models', 'provider'], `${models.provider} is not ${platform}'s model service`, `use provider: ${expected} on ${platform}`)];
  },

  'cloud-model-credentials': ({ spec }, code) => {
    const models = spec.spec.models;
    if (models.hosting !== 'cloud-managed' || models.credentials) return [];
    return [
      error(
        code,
        ['spec', 'models', 'credentials'],
        `an on-prem install reaches ${models.provider} with explicit credentials`,
        'add credentials: {secretRef: {name: SECRET, key: KEY}} holding the cloud credentials',
      ),
    ];
  },

  'model-private-endpoint': ({ spec }, code) =>
    spec.spec.network.privateEndpoints?.modelService === true
      ? []
      : [
          error(
            code,
            ['spec', 'network', 'privateEndpoints', 'modelService'],
            'an air-gapped install reaches the cloud model service only through a private endpoint',
            'set network.privateEndpoints.modelService: true',
          ),
        ],

  'saas-api-key': ({ spec }, code) => {
    const models = spec.spec.models;
    return models.hosting !== 'saas-api' || models.apiKey
      ? []
      : [error(code, ['spec', 'models', 'apiKey'], 'a saas-api provider needs an API key reference', 'add apiKey: {secretRef: {name: SECRET, key: KEY}}')];
  },
};

export function checkRequirements(context: RequirementContext): Finding[] {
  return context.cell.requires.flatMap((requirement) => {
    const check = REQUIREMENT_CHECKS[requirement.id];
    if (!check) throw new Error(`support matrix requirement ${requirement.id} has no check in matrix/requirements.ts`);
    return check(context, requirementCode(requirement.id));
  });
}
