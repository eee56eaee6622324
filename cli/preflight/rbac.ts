/**
 * rbac: SelfSubjectAccessReviews for every verb on every resource the install's Helm releases create
 * in their namespaces, and namespace creation where a namespace does not exist yet. One result per
 * namespace (and one for cluster scope), listing what is denied.
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { checkResult, shown, type Analyzer } from './analyzer-kit.js';
import type { AccessCheck, CheckResult } from './types.js';

const resourceText = (check: Pick<AccessCheck, 'group' | 'resource'>) => (check.group ? `${check.resource}.${check.group}` : check.resource);

function reviewOf(evidence: PreflightEvidence, check: AccessCheck) {
  return evidence.accessReviews.find(
    (review) => review.namespace === check.namespace && review.verb === check.verb && review.group === check.group && review.resource === check.resource,
  );
}

/** Namespaces that exist; when the namespaces collector did not run, none is known to. */
function existingNamespaces(evidence: PreflightEvidence): Set<string> {
  if (evidence.collectors.namespaces?.status !== 'ok') return new Set();
  return new Set(evidence.namespaces.filter((namespace) => namespace.exists).map((namespace) => namespace.name));
}

function grouped(checks: readonly AccessCheck[]): string {
  const byResource = new Map<string, string[]>();
  for (const check of checks) byResource.set(resourceText(check), [...(byResource.get(resourceText(check)) ?? []), check.verb]);
  return [...byResource.entries()].map(([resource, verbs]) => `${verbs.join(',')} ${resource}`).join('; ');
}

export const rbac: Analyzer = (requirements, evidence) => {
  const id = 'rbac';
  const existing = existingNamespaces(evidence);
  const missing = requirements.namespaces.map((entry) => entry.name).filter((name) => !existing.has(name));
  const scopes = [...new Set(requirements.access.map((check) => check.namespace))];
  const results: CheckResult[] = [];
  for (const scope of scopes) {
    const checks = requirements.access.filter((check) => check.namespace === scope);
    // Creating namespaces matters only for those that do not exist yet.
    const needed = scope === null ? checks.filter((check) => check.resource !== 'namespaces' || missing.length > 0) : checks;
    if (!needed.length) {
      results.push(checkResult(id, 'pass', `cluster scope: nothing needed (the namespaces ${requirements.namespaces.map((entry) => entry.name).join(', ')} exist)`, '', 'cluster'));
      continue;
    }
    const unanswered = needed.filter((check) => !reviewOf(evidence, check));
    const denied = needed.filter((check) => reviewOf(evidence, check)?.allowed === false);
    const subject = scope ?? 'cluster';
    const where = scope === null ? `cluster scope${missing.length ? ` (to create ${missing.join(', ')})` : ''}` : `namespace ${scope}`;
    if (denied.length) {
      const reason = reviewOf(evidence, denied[0]!)?.reason;
      results.push(
        checkResult(
          id,
          'fail',
          `${where}: denied ${grouped(denied)}${reason ? ` (${shown(reason, 300)})` : ''}`,
          scope === null
            ? `grant create on namespaces, or have an administrator create ${missing.join(', ')} first`
            : `bind a Role in ${scope} that allows: ${grouped(denied)} (or the admin ClusterRole: kubectl -n ${scope} create rolebinding installctl-admin --clusterrole=admin --user=<you>)`,
          subject,
        ),
      );
    } else if (unanswered.length) {
      results.push(checkResult(id, 'error', `${where}: no access review answered for ${grouped(unanswered)}`, 'run preflight again; send --evidence-out if it persists', subject));
    } else {
      const what = needed.length === 1 ? grouped(needed) : `all ${needed.length} verbs on ${new Set(needed.map(resourceText)).size} resources`;
      results.push(checkResult(id, 'pass', `${where}: allowed ${what}`, '', subject));
    }
  }
  return results;
};
