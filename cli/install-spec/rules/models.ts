/** Cross-field rules on spec.models: GPU sizing, weights placement, the catalog's roles. */
import type { Install } from '../../generated/install-spec.js';
import { productsOn, shapesFor } from '../../matrix/gpu-presets.js';
import type { Finding } from '../../schema/issue.js';
import { PLATFORMS, platformOf } from '../../dimensions/index.js';

type Models = Install['spec']['models'];
type SelfHosted = Extract<Models, { hosting: 'self-hosted' }>;
type CloudManaged = Extract<Models, { hosting: 'cloud-managed' }>;
const at = (...path: (string | number)[]) => ['spec', 'models', ...path];

/** A chat model is required, an embedding model expected, and each model listed once. */
function catalogFindings(models: Models): Finding[] {
  const findings: Finding[] = [];
  const roles = new Set(models.catalog.map((entry) => entry.role));
  if (!roles.has('chat')) {
    findings.push({
      severity: 'error',
      code: 'RULE_NO_CHAT_MODEL',
      path: at('catalog'),
      message: 'no model has role chat; the review and test agents need one',
      hint: 'add a catalog entry with role: chat',
    });
  }
  if (!roles.has('embedding')) {
    findings.push({
      severity: 'warning',
      code: 'RULE_NO_EMBEDDING_MODEL',
      path: at('catalog'),
      message: 'no model has role embedding; code search falls back to keyword matching',
      hint: 'add a catalog entry with role: embedding',
    });
  }
  const seen = new Map<string, number>();
  models.catalog.forEach((entry, index) => {
    const first = seen.get(entry.name);
    if (first !== undefined) {
      findings.push({
        severity: 'error',
        code: 'RULE_DUPLICATE_MODEL',
        path: at('catalog', index, 'name'),
        message: `model ${entry.name} is listed twice (also catalog[${first}])`,
        hint: 'list each model once',
      });
    } else seen.set(entry.name, index);
  });
  return findings;
}

/** Cloud-managed models: the Bedrock endpoint's region, and Azure OpenAI's deployment fields. */
function cloudManagedFindings(install: Install, models: CloudManaged): Finding[] {
  const findings: Finding[] = [];
  const { platform, network } = install.spec;
  // An interface endpoint reaches Bedrock in its own region only.
  if (platform.type === 'aws' && models.region && models.region !== platform.region) {
    const privateEndpoint = network.mode === 'air-gapped' || network.privateEndpoints?.modelService === true;
    if (privateEndpoint) {
      findings.push({
        severity: 'error',
        code: 'RULE_MODEL_REGION_ENDPOINT',
        path: at('region'),
        message: `a VPC endpoint in ${platform.region} cannot reach Bedrock in ${models.region}`,
        hint: `use region ${platform.region} (cross-region inference profiles work from there), or drop the private endpoint on a connected network`,
      });
    }
  }
  models.catalog.forEach((entry, index) => {
    const azureFields = (['deployment', 'version', 'capacity'] as const).filter((field) => entry[field] !== undefined);
    if (models.provider === 'azure-openai' && entry.deployment === undefined) {
      findings.push({
        severity: 'error',
        code: 'RULE_AZURE_DEPLOYMENT',
        path: at('catalog', index),
        message: `azure-openai model ${entry.name} needs a deployment name`,
        hint: 'add deployment: NAME (and version, capacity when the stack creates the deployment)',
      });
    } else if (models.provider !== 'azure-openai' && azureFields.length > 0) {
      findings.push({
        severity: 'warning',
        code: 'RULE_AZURE_DEPLOYMENT',
        path: at('catalog', index, azureFields[0]!),
        message: `${azureFields.join(', ')} apply to azure-openai only and are ignored for ${models.provider}`,
        hint: 'remove them',
      });
    }
  });
  return findings;
}

/** The GPU pool's node range, and gpusPerNode where the preset decides it. */
function gpuPoolFindings(install: Install, models: SelfHosted): Finding[] {
  const findings: Finding[] = [];
  const pool = models.gpuPool;
  const platform = install.spec.platform.type;
  if (pool && pool.minNodes > pool.maxNodes) {
    findings.push({
      severity: 'error',
      code: 'RULE_GPU_POOL_RANGE',
      path: at('gpuPool', 'minNodes'),
      message: `minNodes ${pool.minNodes} is greater than maxNodes ${pool.maxNodes}`,
      hint: 'make minNodes <= maxNodes',
    });
  }
  if (pool && platformOf(install.spec.platform).emit.gpuPresets !== null && pool.gpusPerNode !== undefined) {
    findings.push({
      severity: 'warning',
      code: 'RULE_GPUS_PER_NODE_IGNORED',
      path: at('gpuPool', 'gpusPerNode'),
      message: `gpusPerNode is taken from the ${platform} instance preset; this value is ignored`,
      hint: 'remove gpusPerNode',
    });
  }
  return findings;
}

/** One model's GPUs: equal to its tensor-parallel size, and on one node of the pool. */
function modelGpuFindings(install: Install, models: SelfHosted, model: SelfHosted['catalog'][number], index: number): Finding[] {
  const findings: Finding[] = [];
  const pool = models.gpuPool;
  const platform = install.spec.platform.type;
  const presets = platformOf(install.spec.platform).emit.gpuPresets;
  const maxPerNode = pool === undefined ? undefined : presets === null ? pool.gpusPerNode : Math.max(0, ...shapesFor(pool.product, presets).map((shape) => shape.gpus));
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
      hint:
        presets === null
          ? 'lower tensorParallelSize or raise gpuPool.gpusPerNode'
          : `lower tensorParallelSize, or pick a product with larger nodes on ${platform}: ${productsOn(presets).join(', ')}`,
    });
  }
  return findings;
}

/** One model's weights in a cloud's object store: readable natively only on that cloud (the descriptors' weightsObjectStore). */
function weightsFindings(install: Install, model: SelfHosted['catalog'][number], index: number): Finding[] {
  const platform = install.spec.platform.type;
  const ownStore = platformOf(install.spec.platform).emit.weightsObjectStore;
  const source = model.weights?.source;
  const home = Object.values(PLATFORMS).find((descriptor) => source !== undefined && descriptor.emit.weightsObjectStore === source)?.id;
  if (!source || !home) return [];
  if (ownStore === null) {
    return [
      {
        severity: 'warning',
        code: 'RULE_WEIGHTS_SOURCE_PLATFORM',
        path: at('catalog', index, 'weights', 'source'),
        message: `an on-prem cluster reads ${source} over the network with the model server's credentials`,
        hint: 'prefer a pre-filled PVC or an OCI artifact in the local registry',
      },
    ];
  }
  if (platform === home) return [];
  return [
    {
      severity: 'error',
      code: 'RULE_WEIGHTS_SOURCE_PLATFORM',
      path: at('catalog', index, 'weights', 'source'),
      message: `weights from ${source} on ${platform} cross clouds; the model servers read ${source} only on ${home}`,
      hint: "copy the weights into the platform's own object store, a PVC, or the registry (source: oci)",
    },
  ];
}

/**
 * A weights claim the release creates (weights.create): a ReadWriteOnce volume attaches to one node,
 * so only one replica can mount it; and its Job fills it from the registry mirror, which the spec must name.
 */
function weightsClaimFindings(install: Install, model: SelfHosted['catalog'][number], index: number): Finding[] {
  const weights = model.weights;
  if (weights?.source !== 'pvc' || !weights.create) return [];
  const findings: Finding[] = [];
  if (weights.create.accessMode === 'ReadWriteOnce' && (model.replicas ?? 1) > 1) {
    findings.push({
      severity: 'error',
      code: 'RULE_WEIGHTS_RWO_REPLICAS',
      path: at('catalog', index, 'weights', 'create', 'accessMode'),
      message: `a ReadWriteOnce claim attaches to one node, but model ${model.name} runs ${model.replicas} replicas`,
      hint: 'use accessMode ReadOnlyMany or ReadWriteMany with a file storage class, or replicas: 1',
    });
  }
  if (!install.spec.registry?.mirror) {
    findings.push({
      severity: 'error',
      code: 'RULE_WEIGHTS_CREATE_MIRROR',
      path: at('catalog', index, 'weights', 'create'),
      message: `the claim ${weights.claimName} is filled from the registry mirror's models/${model.name}:weights artifact, and the spec names no registry.mirror`,
      hint: 'set registry.mirror (bundle push writes the weights there), or drop create and fill the claim before installing',
    });
  }
  return findings;
}

export function checkModels(install: Install): Finding[] {
  const models = install.spec.models;
  const findings = catalogFindings(models);
  if (models.hosting === 'cloud-managed') findings.push(...cloudManagedFindings(install, models));
  if (models.hosting !== 'self-hosted') return findings;
  findings.push(...gpuPoolFindings(install, models));
  models.catalog.forEach((model, index) =>
    findings.push(...modelGpuFindings(install, models, model, index), ...weightsFindings(install, model, index), ...weightsClaimFindings(install, model, index)),
  );
  return findings;
}
