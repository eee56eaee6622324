/**
 * The validate-layer policies of the catalogue, by the rule codes that report them: conformance's
 * validate stage fails a cell's starter spec on any of them, warnings included (a starter spec whose
 * GPU pool must scale up at install, or whose Kubernetes version is near or past the end of standard
 * support on the calendar day, is a defect of init, not the customer's choice).
 */
import type { PolicyId } from './policy-catalogue.js';

export const VALIDATE_RULE_POLICIES: Readonly<Record<string, PolicyId>> = {
  RULE_GPU_DEMAND_EXCEEDS_POOL: 'gpu-demand',
  RULE_GPU_DEMAND_NEEDS_SCALE_UP: 'gpu-demand',
  RULE_KUBERNETES_END_OF_SUPPORT: 'kubernetes-support',
  RULE_KUBERNETES_EXTENDED_SUPPORT: 'kubernetes-support',
  RULE_KUBERNETES_STANDARD_SUPPORT_ENDING: 'kubernetes-support',
  RULE_KUBERNETES_VERSION_UNKNOWN: 'kubernetes-support',
};

/** The issues that fail the validate stage: every error, and any issue of a validate-layer policy, named by its policy id. */
export function validateStageFailures(issues: ReadonlyArray<{ severity: string; code: string; path: string }>): string[] {
  return issues
    .filter((issue) => issue.severity === 'error' || Object.hasOwn(VALIDATE_RULE_POLICIES, issue.code))
    .map((issue) => {
      const policy = Object.hasOwn(VALIDATE_RULE_POLICIES, issue.code) ? VALIDATE_RULE_POLICIES[issue.code] : undefined;
      return policy ? `${policy}: ${issue.code} at ${issue.path}` : `${issue.code} at ${issue.path}`;
    });
}
