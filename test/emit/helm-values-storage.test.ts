/** Every claim the charts create names the platform's storage class, in every renderable cell (EKS >= 1.30 has no default class). */
import { describe, expect, it } from 'vitest';
import { checkedStarterSpec, SCHEMA_URL } from '../../cli/emit/starter-spec-check.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { customerValues } from '../../cli/emit/helm-values.js';
import { providedStorageClasses, storageClassFor } from '../../stacks/decisions/storage.js';
import { renderableCells } from '../helpers/cells.js';

function cellLayers(cell: ReturnType<typeof renderableCells>[number]) {
  const starter = checkedStarterSpec(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: SCHEMA_URL }, '<init>');
  const loaded = checkSpecText('spec.yaml', starter.spec);
  const settings = settingsFor(loaded.install!, loaded.cell!);
  return { settings, layers: customerValues(loaded.install!, settings) };
}

describe('storage classes in the values', () => {
  it.each(renderableCells().map((cell) => [cell.id, cell]))('%s names the platform class on every claim', (_, cell) => {
    const { settings, layers } = cellLayers(cell);
    const expected = storageClassFor(settings.platform, settings.onprem);
    expect(expected).not.toBe('');
    expect(providedStorageClasses(settings.platform, settings.onprem)).toContain(expected);
    const platform = layers.agentPlatform as Record<string, any>;
    expect(platform.gitGateway.storage.storageClass).toBe(expected);
    for (const store of ['postgres', 'redis', 'rabbitmq']) if (platform[store].mode === 'bundled') expect(platform[store].bundled.storage.storageClass, store).toBe(expected);
    if (layers.modelServer) expect((layers.modelServer as Record<string, any>).defaults.weightsVolume.storageClass).toBe(expected);
  });
});
