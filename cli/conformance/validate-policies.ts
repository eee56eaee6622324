/**
 * The validate-layer policies of the catalogue, by the rule codes that report them: conformance's
 * validate stage fails a cell's starter spec on any of them, warnings included (a starter spec whose
 * GPU pool must scale up at install, or whose Kubernetes version is near or past the end of standard
 * support on the calendar day, is a defect of init, not the customer's choice).
 */
import { POLICIES, type PolicyId } from './policy-catalogue.js';

/** The validate-layer policies whose warnings fail a starter spec too (their codes come from the catalogue). */
const STRICT_POLICIES: readonly PolicyId[] = ['gpu-demand', 'kubernetes-support'];

export const VALIDATE_RULE_POLICIES: Readonly<Record<string, PolicyId>> = Object.fromEntries(
  STRICT_POLICIES.flatMap((id) => ((POLICIES[id] as { codes?: readonly string[] }).codes ?? []).map((code) => [code, id])),
);

/** The issues that fail the validate stage: every error, and any issue of a validate-layer policy, named by its policy id. */
export function validateStageFailures(issues: ReadonlyArray<{ severity: string; code: string; path: string }>): string[] {
  return issues
    .filter((issue) => issue.severity === 'error' || Object.hasOwn(VALIDATE_RULE_POLICIES, issue.code))
    .map((issue) => {
      const policy = Object.hasOwn(VALIDATE_RULE_POLICIES, issue.code) ? VALIDATE_RULE_POLICIES[issue.code] : undefined;
      return policy ? `${policy}: ${issue.code} at ${issue.path}` : `${issue.code} at ${issue.path}`;
    });
}
