/**
 * storage-class: every class a claim of the install names exists (a claim naming none needs a
 * default class), and binds WaitForFirstConsumer (an Immediate zonal disk may be made in a zone
 * where the pod cannot run) and allows expansion (clone caches and databases grow).
 */
import { checkResult, shown, type Analyzer } from './analyzer-kit.js';
import type { CheckResult } from './types.js';

export const storageClass: Analyzer = (requirements, evidence) => {
  const id = 'storage-class';
  const byClass = new Map<string, string[]>();
  for (const claim of requirements.storage.claims) byClass.set(claim.storageClass, [...(byClass.get(claim.storageClass) ?? []), claim.usedBy]);
  const defaults = evidence.storageClasses.filter((candidate) => candidate.isDefault);
  const available = evidence.storageClasses.map((candidate) => shown(candidate.name)).join(', ') || 'none';
  const results: CheckResult[] = [];
  for (const [name, usedBy] of [...byClass.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const subject = name || '(default)';
    const claims = usedBy.join(', ');
    if (!name && defaults.length !== 1) {
      // Two or more defaults: since Kubernetes 1.26 a claim without a class gets the newest one (a warning, not a failure).
      results.push(
        checkResult(
          id,
          defaults.length ? 'warn' : 'fail',
          `${claims} name no storage class, and the cluster has ${defaults.length ? `${defaults.length} default classes (${defaults.map((entry) => shown(entry.name)).join(', ')})` : 'no default class'}; classes: ${available}`,
          'mark exactly one StorageClass default (storageclass.kubernetes.io/is-default-class: "true"), or name a class in the values',
          subject,
        ),
      );
      continue;
    }
    const found = name ? evidence.storageClasses.find((candidate) => candidate.name === name) : defaults[0];
    if (!found) {
      results.push(
        checkResult(
          id,
          'fail',
          `StorageClass ${name} does not exist (used by ${claims}): the claims would stay Pending; classes: ${available}`,
          `create StorageClass ${name}${requirements.platform === 'onprem' ? ', or set spec.platform.storageClass to one of the existing classes' : ' (the platform stack creates it: run the infrastructure step first)'}`,
          subject,
        ),
      );
      continue;
    }
    const shownName = shown(found.name);
    const problems = [
      found.volumeBindingMode === 'Immediate' ? 'binds Immediate (a zonal volume may be made where the pod cannot run)' : '',
      found.allowVolumeExpansion ? '' : 'does not allow volume expansion',
    ].filter(Boolean);
    results.push(
      problems.length
        ? checkResult(
            id,
            'warn',
            `StorageClass ${shownName} (${shown(found.provisioner)}) ${problems.join(' and ')}; used by ${claims}`,
            `set volumeBindingMode: WaitForFirstConsumer and allowVolumeExpansion: true on ${shownName} (a new class: StorageClass fields are immutable)`,
            subject,
          )
        : checkResult(
            id,
            'pass',
            `StorageClass ${shownName} (${shown(found.provisioner)}) exists, binds WaitForFirstConsumer and allows expansion; used by ${claims}`,
            '',
            subject,
          ),
    );
  }
  return results;
};
