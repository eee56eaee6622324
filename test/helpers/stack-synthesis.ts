/** Mock synthesis of a rendered cell's Pulumi project, with its settings edited first (a shape no starter spec writes). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import type { Synthesis } from '../../cli/conformance/pulumi/types.js';
import type { Cell } from '../../cli/matrix/engine.js';
import type { InstallSettings } from '../../stacks/settings.js';
import { renderCell } from './cells.js';

export async function synthesizeEdited(cell: Cell, edit: (settings: InstallSettings) => void = () => {}): Promise<Synthesis> {
  const project = join(renderCell(cell).dir, 'pulumi');
  const file = join(project, 'Pulumi.acme-prod.yaml');
  const text = readFileSync(file, 'utf8');
  const stack = parse(text);
  edit(stack.config['installctl:install'] as InstallSettings);
  // The header comments name the stack's secret config keys, which the synthesis fills in.
  const header = text.split('\n').filter((line) => line.startsWith('#'));
  writeFileSync(file, [...header, stringify(stack)].join('\n'));
  return synthesizeProject(project);
}
