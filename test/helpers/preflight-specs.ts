/** Install specs preflight is tested over: every runnable cell's starter spec, and the examples (OpenShift, Rancher, externalRef secrets, cert-manager). */
import { basename } from 'node:path';
import { loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { exampleFiles } from './specs.js';
import { starterInstalls, type StarterInstall } from './preflight-cells.js';

let examples: StarterInstall[] | undefined;

export function exampleInstalls(): StarterInstall[] {
  examples ??= exampleFiles().map((file) => {
    const loaded = loadSpecFile(file, { now: calendarAsOf() });
    if (!loaded.install || !loaded.cell) throw new Error(`${basename(file)} did not check: ${JSON.stringify(loaded.issues)}`);
    return { cell: loaded.cell, install: loaded.install, text: loaded.text ?? '' };
  });
  return examples;
}

/** Starter specs of every runnable cell, then the examples, each with a label for test names. */
export function preflightSpecs(): Array<StarterInstall & { label: string }> {
  return [
    ...starterInstalls().map((entry) => ({ ...entry, label: `starter ${entry.cell.id}` })),
    ...exampleInstalls().map((entry, index) => ({ ...entry, label: `example ${basename(exampleFiles()[index]!)}` })),
  ];
}
