/** The synthesis records the options a mock's newResource never sees (ignoreChanges, dependsOn), for every cloud's policies. */
import { describe, expect, it } from 'vitest';
import { loadPulumi, recordResourceOptions, urnKey } from '../../../cli/conformance/pulumi/synthesize.js';

describe('recordResourceOptions', () => {
  it('keeps ignoreChanges and the resources a registration waits for, explicit or through its inputs, by type::name', async () => {
    const pulumi = await loadPulumi();
    await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, 'installctl', 'test', false);
    const recorded = recordResourceOptions(pulumi);
    // CustomResource is abstract in the SDK's types: a concrete subclass stands for any provider resource.
    class Custom extends pulumi.CustomResource {}
    class Parent extends pulumi.ComponentResource {
      constructor() {
        super('installctl:test:Parent', 'parent', {});
        const policy = new Custom('test:index:Policy', 'policy', {}, { parent: this });
        const role = new Custom('test:index:Role', 'role', {}, { parent: this });
        new Custom('test:index:Group', 'group', { role: role.id }, { parent: this, dependsOn: [policy], ignoreChanges: ['scalingConfig.desiredSize'] });
      }
    }
    new Parent();
    await pulumi.runtime.disconnect();
    expect(recorded.get('test:index:Group::group')).toEqual({ ignoreChanges: ['scalingConfig.desiredSize'], dependsOn: ['test:index:Policy::policy', 'test:index:Role::role'] });
    expect(recorded.get('test:index:Policy::policy')).toEqual({ ignoreChanges: [], dependsOn: [] });
  });

  it('names a URN by its own type and name, not its parent chain', () => {
    expect(urnKey('urn:pulumi:stack::project::installctl:aws:Install$installctl:aws:Cluster$aws:eks/nodeGroup:NodeGroup::acme-cluster-gpu')).toBe(
      'aws:eks/nodeGroup:NodeGroup::acme-cluster-gpu',
    );
  });
});
