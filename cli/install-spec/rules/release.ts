/**
 * spec.release.version against the release catalog (releases/): a release installctl does not
 * know cannot be rendered (no chart version, no image digests), a preview is allowed with a
 * warning, and each release supports a window of Kubernetes versions (2026.12.0 needs 1.32+).
 */
import type { Install } from '../../generated/install-spec.js';
import type { Finding } from '../../schema/issue.js';
import { findRelease, kubernetesInWindow, releaseCatalog, type Release } from '../../releases/catalog.js';

const VERSION_PATH = ['spec', 'release', 'version'];
const KUBERNETES_PATH = ['spec', 'platform', 'kubernetesVersion'];

const window = (release: Release) => `${release.kubernetes.min} to ${release.kubernetes.max}`;

export function checkRelease(install: Install, catalog: readonly Release[] = releaseCatalog()): Finding[] {
  const version = install.spec.release.version;
  const release = findRelease(version, catalog);
  if (!release) {
    return [
      {
        severity: 'error',
        code: 'RELEASE_UNKNOWN',
        path: VERSION_PATH,
        message: `release ${version} is not in installctl's release catalog`,
        hint: `catalogued releases: ${catalog.map((entry) => `${entry.version} (${entry.status})`).join(', ')}; a newer installctl knows newer releases`,
      },
    ];
  }
  const findings: Finding[] = [];
  if (release.status === 'preview') {
    const current = catalog.find((entry) => entry.status === 'current');
    findings.push({
      severity: 'warning',
      code: 'RELEASE_PREVIEW',
      path: VERSION_PATH,
      message: `${version} is a preview release: ${release.summary}`,
      hint: `install a preview to try it, not for production${current ? `; the current release is ${current.version}` : ''}`,
    });
  }
  const kubernetes = install.spec.platform.kubernetesVersion;
  if (!kubernetesInWindow(release, kubernetes)) {
    const fitting = catalog.filter((entry) => kubernetesInWindow(entry, kubernetes)).map((entry) => entry.version);
    findings.push({
      severity: 'error',
      code: 'RELEASE_KUBERNETES_WINDOW',
      path: KUBERNETES_PATH,
      message: `release ${version} supports Kubernetes ${window(release)}, not ${kubernetes}`,
      hint: `use a Kubernetes version from ${window(release)}${fitting.length ? `, or a release that supports ${kubernetes}: ${fitting.join(', ')}` : ''}`,
    });
  }
  return findings;
}
