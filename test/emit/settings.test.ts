/** Install settings (what the Pulumi program reads as stack config) carry the spec's choices through. */
import { describe, expect, it } from 'vitest';
import { settingsFor } from '../../cli/emit/settings.js';
import { checkData, loadExample, withValue } from '../helpers/specs.js';

describe('settingsFor', () => {
  it.each([
    ['internal', 'internal'],
    ['external', 'external'],
    [undefined, 'internal'],
  ] as const)('ingress exposure %s reaches the stack as %s (the Azure routing add-on decides its load balancer from it)', (exposure, expected) => {
    const spec = withValue(loadExample('azure-gitlab-cloud-managed-connected.yaml'), 'spec.ingress.exposure', exposure);
    const loaded = checkData(spec);
    expect(loaded.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(settingsFor(loaded.install!, loaded.cell!).ingress).toEqual({ exposure: expected });
  });
});
