/** Renders of an example spec at any catalogued release: the spec with spec.release.version set, through the functions render calls. */
import { stringify } from 'yaml';
import { checkSpecText, type LoadedSpec } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { renderFiles, type Relocation } from '../../cli/emit/render-files.js';
import { findRelease, kubernetesInWindow, releaseCatalog } from '../../cli/releases/catalog.js';
import { loadExample, withValue } from './specs.js';
import { specDataAtRelease } from '../../cli/releases/spec-renames.js';

/** Every catalogued release, oldest first. */
export const RELEASES = releaseCatalog().map((release) => release.version);

/**
 * The example checked at `release` (and optional other edits); throws on an error issue. A Kubernetes
 * version outside the release's window becomes the window's nearest end (2026.12.0 starts at 1.32).
 */
export function exampleAt(example: string, release: string, edits: Record<string, unknown> = {}): LoadedSpec & { install: NonNullable<LoadedSpec['install']> } {
  let data = specDataAtRelease(loadExample(example), release);
  const kubernetes = String(data.spec.platform.kubernetesVersion);
  const window = findRelease(release)?.kubernetes;
  if (window && !kubernetesInWindow(findRelease(release)!, kubernetes)) {
    data = withValue(data, 'spec.platform.kubernetesVersion', Number(kubernetes.split('.')[1]) > Number(window.max.split('.')[1]) ? window.max : window.min);
  }
  for (const [path, value] of Object.entries(edits)) data = withValue(data, path, value);
  const loaded = checkSpecText(`${example}`, stringify(data));
  const errors = loaded.issues.filter((issue) => issue.severity === 'error');
  if (errors.length || !loaded.install || !loaded.cell) throw new Error(`${example} at ${release} does not validate: ${JSON.stringify(errors)}`);
  return loaded as LoadedSpec & { install: NonNullable<LoadedSpec['install']> };
}

/** Every file of a render of the example at `release` (relocated when a relocation is given). */
export function renderAt(example: string, release: string, relocation: Relocation | null = null, edits: Record<string, unknown> = {}): Map<string, string> {
  const loaded = exampleAt(example, release, edits);
  return renderFiles(example, loaded.text!, loaded.install, settingsFor(loaded.install, loaded.cell!), loaded.cell!.status, relocation);
}
