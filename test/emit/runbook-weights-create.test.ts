/** The RUNBOOK's weights step leaves claims the model-server release creates (weights.create) to the chart's own Job. */
import { describe, expect, it } from 'vitest';
import { baseValues, mergeValues } from '../../cli/emit/charts.js';
import { pvcModels } from '../../cli/emit/runbook-weights.js';
import type { InstallSettings } from '../../stacks/settings.js';

const settings = { onprem: null } as unknown as InstallSettings;
const model = (name: string, weights: Record<string, unknown>) => ({ name, role: 'chat', tensorParallelSize: 1, gpuCount: 1, weights });

describe('pvcModels', () => {
  it('lists pre-existing claims only', () => {
    const values = mergeValues(baseValues('model-server'), {
      defaults: { weightsVolume: { storageClass: 'gp3' } },
      models: [
        model('kept', { source: 'pvc', claimName: 'weights-kept' }),
        model('created', { source: 'pvc', claimName: 'weights-created', create: { size: '10Gi', accessMode: 'ReadWriteOnce', storageClass: 'gp3', reference: '' } }),
      ],
    });
    expect(pvcModels(values, settings).map((entry) => [entry.claimName, entry.storageClass])).toEqual([['weights-kept', 'gp3']]);
  });
});
