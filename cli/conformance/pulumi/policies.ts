/**
 * Resource policies over a synthesized stack: what every install must satisfy whatever its cell
 * (no program errors, every cloud resource under a component and tagged with install and customer)
 * plus each cloud module's own checks (air-gapped exposure, private API, encryption, GPU pool,
 * model service, registry). Used by the tests and by `installctl conformance`.
 */
import { TAG_CUSTOMER, TAG_INSTALL } from '../../../stacks/tags.js';
import { cloudModuleFor } from './clouds/index.js';
import { argsProperties } from './provider-schema.js';
import { resourceId, type PolicyContext, type Synthesis, type Violation } from './types.js';

export function policyContext(synthesis: Synthesis): PolicyContext {
  const byType = new Map<string, typeof synthesis.resources>();
  for (const resource of synthesis.resources) byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource]);
  return { settings: synthesis.settings, resources: synthesis.resources, ofType: (type) => byType.get(type) ?? [] };
}

export function checkPolicies(synthesis: Synthesis): Violation[] {
  const { settings, resources } = synthesis;
  const violations: Violation[] = synthesis.errors.map((message) => ({ policy: 'program', resource: null, message }));
  const custom = resources.filter((resource) => resource.custom);

  for (const resource of resources) {
    const isRoot = resource.type.endsWith(':Install');
    if (!isRoot && !resource.parentType?.startsWith('installctl:')) {
      violations.push({ policy: 'parented', resource: resourceId(resource), message: 'not created under an installctl component ({ parent: this })' });
    }
  }

  const cloud = cloudModuleFor(settings.platform);
  const expected = { install: cloud.tagValue(settings.name), customer: cloud.tagValue(settings.customer) };
  for (const resource of custom) {
    const accepted = argsProperties(resource.type);
    if (!accepted || !cloud.tagProperties.some((property) => accepted.has(property))) continue;
    const tags = cloud.tagsOf(resource);
    if (tags?.[TAG_INSTALL] !== expected.install || tags?.[TAG_CUSTOMER] !== expected.customer) {
      violations.push({ policy: 'tagged', resource: resourceId(resource), message: `missing ${TAG_INSTALL}/${TAG_CUSTOMER} tags` });
    }
  }
  const context = policyContext(synthesis);
  for (const policy of cloud.policies) violations.push(...policy(context));
  return violations;
}
