/** Cross-field rules on spec.models: GPU sizing, weights placement, the catalog's roles. */
import type { Install } from '../../generated/install-spec.js';
import { productsOn, shapesFor } from '../../matrix/gpu-presets.js';
import type { Finding } from '../../schema/issue.js';

const WEIGHTS_PLATFORM: Record<string, string> = { s3: 'aws', gcs: 'gcp', 'azure-blob': 'azure' };

export function checkModels(install: Install): Finding[] {
  const findings: Finding[] = [];
  const models = install.spec.models;
  const platform = install.spec.platform.type;
  const at = (...path: (string | number)[]) => ['spec', 'models', ...path];

  const roles = new Set(models.catalog.map((entry) => entry.role));
  if (!roles.has('chat')) {
    findings.push({ severity: 'error', code: 'RULE_NO_CHAT_MODEL', path: at('catalog'), message: 'no model has role chat; the review and test agents need one', hint: 'add a catalog entry with role: chat' });
  }
  if (!roles.has('embedding')) {
    findings.push({ severity: 'warning', code: 'RULE_NO_EMBEDDING_MODEL', path: at('catalog'), message: 'no model has role embedding; code search falls back to keyword matching', hint: 'add a catalog entry with role: embedding' });
  }
  const seen = new Map<string, number>();
  models.catalog.forEach((entry, index) => {
    const first = seen.get(entry.name);
    if (first !== undefined) {
      findings.push({ severity: 'error', code: 'RULE_DUPLICATE_MODEL', path: at('catalog', index, 'name'), message: `model ${entry.name} is listed twice (also catalog[${first}])`, hint: 'list each model once' });
    } else seen.set(entry.name, index);
  });

  if (models.hosting === 'cloud-managed' && install.spec.platform.type === 'aws' && models.region && models.region !== install.spec.platform.region) {
    const privateEndpoint = install.spec.network.mode === 'air-gapped' || install.spec.network.privateEndpoints?.modelService === true;
    if (privateEndpoint) {
      findings.push({ severity: 'error', code: 'RULE_MODEL_REGION_ENDPOINT', path: at('region'), message: `a VPC endpoint in ${install.spec.platform.region} cannot reach Bedrock in ${models.region}`, hint: `use region ${install.spec.platform.region} (cross-region inference profiles work from there), or drop the private endpoint on a connected network` });
    }
  }
  if (models.hosting === 'cloud-managed') {
    models.catalog.forEach((entry, index) => {
      const azureFields = (['deployment', 'version', 'capacity'] as const).filter((field) => entry[field] !== undefined);
      if (models.provider === 'azure-openai' && entry.deployment === undefined) {
        findings.push({ severity: 'error', code: 'RULE_AZURE_DEPLOYMENT', path: at('catalog', index), message: `azure-openai model ${entry.name} needs a deployment name`, hint: 'add deployment: NAME (and version, capacity when the stack creates the deployment)' });
      } else if (models.provider !== 'azure-openai' && azureFields.length > 0) {
        findings.push({ severity: 'warning', code: 'RULE_AZURE_DEPLOYMENT', path: at('catalog', index, azureFields[0]!), message: `${azureFields.join(', ')} apply to azure-openai only and are ignored for ${models.provider}`, hint: 'remove them' });
      }
    });
  }

  if (models.hosting !== 'self-hosted') return findings;
  const pool = models.gpuPool;
  if (pool && pool.minNodes > pool.maxNodes) {
    findings.push({ severity: 'error', code: 'RULE_GPU_POOL_RANGE', path: at('gpuPool', 'minNodes'), message: `minNodes ${pool.minNodes} is greater than maxNodes ${pool.maxNodes}`, hint: 'make minNodes <= maxNodes' });
  }
  if (pool && platform !== 'onprem' && pool.gpusPerNode !== undefined) {
    findings.push({ severity: 'warning', code: 'RULE_GPUS_PER_NODE_IGNORED', path: at('gpuPool', 'gpusPerNode'), message: `gpusPerNode is taken from the ${platform} instance preset; this value is ignored`, hint: 'remove gpusPerNode' });
  }
  const maxPerNode =
    pool === undefined ? undefined : platform === 'onprem' ? pool.gpusPerNode : Math.max(0, ...shapesFor(pool.product, platform).map((shape) => shape.gpus));

  models.catalog.forEach((model, index) => {
    if (model.gpuCount !== model.tensorParallelSize) {
      findings.push({
        severity: 'error',
        code: 'RULE_GPU_COUNT_TP_MISMATCH',
        path: at('catalog', index, 'gpuCount'),
        message: `gpuCount ${model.gpuCount} differs from tensorParallelSize ${model.tensorParallelSize}; vLLM uses exactly tensorParallelSize GPUs per replica`,
        hint: `set gpuCount: ${model.tensorParallelSize}`,
      });
    }
    if (maxPerNode !== undefined && maxPerNode > 0 && model.gpuCount > maxPerNode) {
      findings.push({
        severity: 'error',
        code: 'RULE_GPU_EXCEEDS_NODE',
        path: at('catalog', index, 'gpuCount'),
        message: `model ${model.name} needs ${model.gpuCount} GPUs on one node, but ${pool!.product} nodes on ${platform} have at most ${maxPerNode}`,
        hint: platform === 'onprem' ? 'lower tensorParallelSize or raise gpuPool.gpusPerNode' : `lower tensorParallelSize, or pick a product with larger nodes on ${platform}: ${productsOn(platform).join(', ')}`,
      });
    }
    const source = model.weights?.source;
    const home = source ? WEIGHTS_PLATFORM[source] : undefined;
    if (home && platform !== home && platform !== 'onprem') {
      findings.push({
        severity: 'error',
        code: 'RULE_WEIGHTS_SOURCE_PLATFORM',
        path: at('catalog', index, 'weights', 'source'),
        message: `weights from ${source} on ${platform} cross clouds; the model servers read ${source} only on ${home}`,
        hint: 'copy the weights into the platform\'s own object store, a PVC, or the registry (source: oci)',
      });
    }
    if (source && home && platform === 'onprem') {
      findings.push({ severity: 'warning', code: 'RULE_WEIGHTS_SOURCE_PLATFORM', path: at('catalog', index, 'weights', 'source'), message: `an on-prem cluster reads ${source} over the network with the model server's credentials`, hint: 'prefer a pre-filled PVC or an OCI artifact in the local registry' });
    }
  });
  return findings;
}
