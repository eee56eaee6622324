/**
 * What the manifest policies of one cell check against: the cell's network, registry, platform,
 * models, wired endpoints (from the infrastructure outputs), PostgreSQL TLS and storage classes.
 * Built once per render and kept in the result cache (RenderOutputs.context).
 */
import type { Install } from '../generated/install-spec.js';
import { supportMatrix } from '../matrix/engine.js';
import { productPreset } from '../matrix/gpu-presets.js';
import { chartPlatform } from '../emit/helm-values.js';
import { gpuSelectorLabel } from '../../stacks/decisions/gpu.js';
import { providedStorageClasses } from '../../stacks/decisions/storage.js';
import { postgresCaConfigMap, postgresTls } from '../../stacks/decisions/datastores.js';
import type { InstallSettings } from '../../stacks/settings.js';
import type { ManifestContext } from './helm/manifest-policies.js';
import type { PostgresTlsContext } from './helm/manifest-postgres-tls.js';
import { specWeightsClaim } from './helm/manifest-storage-policies.js';
import type { SynthesisOutputs } from './result-cache.js';
import { wiredEndpoints } from './wired-endpoints.js';

/** What the cell's PostgreSQL clients must do: the platform's decision, and the ConfigMap the runbook fills with the RDS bundle. */
function postgresTlsContext(settings: InstallSettings): PostgresTlsContext {
  const tls = postgresTls(settings.platform, settings.datastores.postgres);
  return { ...tls, caConfigMap: tls.serverCa === 'rds-global-bundle' ? postgresCaConfigMap(settings.name) : null };
}

export function manifestContext(install: Install, settings: InstallSettings, infra: SynthesisOutputs): ManifestContext {
  const models = install.spec.models;
  const selfHosted = models.hosting === 'self-hosted';
  return {
    endpoints: wiredEndpoints(install, settings, infra),
    network: settings.network.mode,
    imageRegistry: install.spec.registry?.mirror ?? null,
    platform: chartPlatform(settings),
    publicHosts: supportMatrix().publicHosts(),
    postgresTls: postgresTlsContext(settings),
    storageClasses: providedStorageClasses(settings.platform, settings.onprem),
    ...(selfHosted
      ? {
          models: models.catalog.map((model) => ({ name: model.name, tensorParallelSize: model.tensorParallelSize, role: model.role, claim: specWeightsClaim(model) })),
          gpuSelector: gpuSelectorLabel(settings.platform, settings.models.gpuPool?.shape ?? null, productPreset(models.gpuPool?.product ?? '')?.gpuFeatureDiscoveryProduct ?? ''),
        }
      : {}),
  };
}
