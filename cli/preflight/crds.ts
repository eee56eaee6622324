/** crds: every CRD the values need is installed and serves the version the charts write. */
import { checkResult, shown, type Analyzer } from './analyzer-kit.js';

const OPERATOR: Array<[RegExp, string]> = [
  [/external-secrets\.io$/, 'the External Secrets Operator (and a ClusterSecretStore per store the spec names)'],
  [/cert-manager\.io$/, 'cert-manager (and the issuer the spec names)'],
  [/keda\.sh$/, 'KEDA'],
];

export const crds: Analyzer = (requirements, evidence) => {
  const id = 'crds';
  return requirements.crds.map((need) => {
    const found = evidence.crds.find((crd) => crd.name === need.name);
    const install = OPERATOR.find(([pattern]) => pattern.test(need.name))?.[1] ?? 'the operator that owns it';
    if (!found) return checkResult(id, 'fail', `CRD ${need.name} is not installed (${need.reason})`, `install ${install} before the charts`, need.name);
    if (!found.versions.includes(need.version))
      return checkResult(
        id,
        'fail',
        `CRD ${need.name} serves ${found.versions.map((version) => shown(version)).join(', ') || 'no version'}, not ${need.version} (${need.reason})`,
        `upgrade ${install} to a release serving ${need.version}`,
        need.name,
      );
    return checkResult(id, 'pass', `CRD ${need.name} serves ${need.version} (${need.reason})`, '', need.name);
  });
};
