/**
 * RUNBOOK.md's Upgrade section: how an install running the catalogued release before this one gets
 * to the release the runbook is rendered for, with the steps `installctl upgrade plan` lists for
 * that hop (upgrade-steps.ts, one source). Only the hop from the previous release: an older install
 * goes through the required stops one render at a time, which the plan lays out.
 */
import type { Install } from '../generated/install-spec.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { markdownCode, markdownText } from '../lib/markdown-text.js';
import { previousRelease } from '../releases/catalog.js';
import { catalogRelease } from './charts.js';
import type { RegistrySource } from './registry-source.js';
import { hopFacts, upgradeSteps, type Prose } from './upgrade-steps.js';

const MARKDOWN: Prose = { text: markdownText, code: (value) => markdownCode(value) };

export interface UpgradeSection {
  title: string;
  lines: string[];
}

export function upgradeSection(install: Install, settings: InstallSettings, modelServer: boolean, source: RegistrySource): UpgradeSection {
  // A render is of a catalogued release only (validate refuses the rest: RELEASE_UNKNOWN; the chart versions throw first).
  const release = catalogRelease(settings.release);
  const previous = previousRelease(release.version);
  if (!previous) {
    const why = `${markdownText(release.version)} is the oldest release installctl catalogs: there is no earlier release to upgrade from. The runbooks of later releases describe the upgrade from it.`;
    return { title: 'Upgrade', lines: [why, ''] };
  }
  const hop = hopFacts(previous.version, release, null);
  const steps = upgradeSteps({ install, settings, modelServer, source, spec: 'SPEC', dir: '.', specSteps: false, prose: MARKDOWN }, hop);
  const lines = [
    `For an install that runs ${markdownText(previous.version)}. This render is of the spec moved to ${markdownText(release.version)} (${markdownCode(`installctl upgrade apply-spec SPEC --to ${release.version}`)}, then ${markdownCode('installctl render')}); SPEC is that spec file.`,
    `From an older release, ${markdownCode(`installctl upgrade plan SPEC --to ${release.version}`)} lists the required stops: upgrade to each one in turn, with the runbook of its own render.`,
    '',
  ];
  steps.forEach((step, index) => {
    lines.push(`### ${index + 1}. ${step.title}`, '');
    for (const note of step.notes) lines.push(note, '');
    lines.push('```sh', ...step.commands, '```', '');
  });
  return { title: `Upgrade from ${markdownText(previous.version)}`, lines };
}
