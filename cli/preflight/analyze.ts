/**
 * Evidence to verdicts: one pure analyzer per check of the catalogue's preflight and active layers.
 * A check that does not apply to the install (GPU checks without self-hosted models, active checks
 * without --active) reports nothing; one whose collector did not succeed reports error, naming the
 * collector and the access to grant, and every other check still runs.
 */
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { CHECK_CATALOGUE } from './check-catalogue.js';
import { collectorError, type Analyzer } from './analyzer-kit.js';
import { checkApplies, collectorsFor, type PreflightRequirements } from './requirements.js';
import type { CheckResult } from './types.js';
import { chartKubeVersion, distribution, kubernetesVersion } from './version.js';
import { nodeResources } from './nodes.js';
import { gpuCapacity, gpuDevicePlugin, gpuProduct, gpuTaints } from './gpu.js';
import { storageClass } from './storage.js';
import { ingressClass } from './ingress.js';
import { crds } from './crds.js';
import { networkPolicyEnforcement } from './network-policy.js';
import { rbac } from './rbac.js';
import { configMapRefs, pullSecret, secretRefs } from './references.js';
import { activeAirGap, activeEndpoints, activeImagePull } from './active.js';

/** The analyzer of every preflight and active check id (test/preflight/analyze.test.ts holds it to the catalogue). */
export const ANALYZERS: Readonly<Record<string, Analyzer>> = {
  'kubernetes-version': kubernetesVersion,
  'chart-kube-version': chartKubeVersion,
  distribution,
  'node-resources': nodeResources,
  'gpu-capacity': gpuCapacity,
  'gpu-product': gpuProduct,
  'gpu-taints': gpuTaints,
  'gpu-device-plugin': gpuDevicePlugin,
  'storage-class': storageClass,
  'ingress-class': ingressClass,
  crds,
  'network-policy-enforcement': networkPolicyEnforcement,
  rbac,
  'secret-refs': secretRefs,
  'configmap-refs': configMapRefs,
  'pull-secret': pullSecret,
  'active-image-pull': activeImagePull,
  'active-endpoints': activeEndpoints,
  'active-air-gap': activeAirGap,
};

/** --active ran (or was asked for and failed): its collector has a status other than skipped. */
const activeAsked = (evidence: PreflightEvidence) => evidence.collectors.active !== undefined && evidence.collectors.active.status !== 'skipped';

export function analyzeEvidence(requirements: PreflightRequirements, evidence: PreflightEvidence, now: Date): CheckResult[] {
  const results: CheckResult[] = [];
  CHECK_CATALOGUE.forEach((entry) => {
    if (entry.layer === 'bundle' || !checkApplies(entry.id, requirements)) return;
    if (entry.layer === 'active' && !activeAsked(evidence)) return;
    const analyzer = ANALYZERS[entry.id];
    if (!analyzer) throw new Error(`check ${entry.id} has no analyzer in cli/preflight/analyze.ts`);
    const error = collectorError(entry.id, collectorsFor(entry.id, requirements), evidence);
    const found = error ? [error] : analyzer(requirements, evidence, now);
    results.push(...[...found].sort((a, b) => ((a.subject ?? '') < (b.subject ?? '') ? -1 : (a.subject ?? '') > (b.subject ?? '') ? 1 : 0)));
  });
  return results;
}
