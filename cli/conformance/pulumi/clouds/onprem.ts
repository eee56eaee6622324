/** On-prem: the install runs on an existing cluster and creates no cloud resources; its policy checks exactly that. */
import { resourceId, type CloudModule, type PolicyContext, type Violation } from '../types.js';

function noCloudResources({ resources }: PolicyContext): Violation[] {
  const violations: Violation[] = resources
    .filter((resource) => resource.custom)
    .map((resource) => ({ policy: 'onprem-no-cloud', resource: resourceId(resource), message: 'an on-prem install creates no cloud resources' }));
  if (!resources.some((resource) => resource.type === 'installctl:onprem:Install'))
    violations.push({ policy: 'onprem-no-cloud', resource: null, message: 'the on-prem install component is missing' });
  return violations;
}

export const onprem: CloudModule = {
  provider: null,
  // Nothing to mock: the program registers only installctl components.
  computed: () => ({}),
  invoke: () => ({}),
  tagValue: (value) => value,
  tagsOf: () => undefined,
  // No tag properties: no resource is expected to carry the install tags.
  tagProperties: [],
  policies: [noCloudResources],
  keyProperties: [],
};
