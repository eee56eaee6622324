/**
 * The README documents the whole command line: every command, every flag of every command and every
 * INSTALLCTL_* environment variable the code reads (and documents none it does not read). A flag or
 * variable added without a README line fails here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { COMMANDS } from '../cli/commands.js';
import { REPO } from './helpers/cli.js';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const envSection = readme.slice(readme.indexOf('### Environment variables'), readme.indexOf('\n#', readme.indexOf('### Environment variables') + 1));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path);
    return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** Every INSTALLCTL_* name in the code: read as process.env.X, process.env['X'], a template `X${n}` (as a prefix) or passed around as a string. */
function variablesInCode(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources(join(REPO, 'cli'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/INSTALLCTL_[A-Z0-9_]*[A-Z0-9](\$\{)?/g)) {
      const name = match[1] ? `${match[0].slice(0, -2)}*` : match[0];
      found.set(name, [...(found.get(name) ?? []), relative(REPO, file)]);
    }
  }
  return found;
}

const documented = [...envSection.matchAll(/`(INSTALLCTL_[A-Z0-9_]+)`/g)].map((match) => match[1]!);

describe('README.md documents the command line', () => {
  it('has an environment variables table', () => {
    expect(envSection).toMatch(/^\| variable \| read by \| meaning \|$/m);
  });

  it('lists every INSTALLCTL_* variable the code reads', () => {
    const inCode = variablesInCode();
    // The scan must see the ones the issue named, or it proves nothing.
    expect([...inCode.keys()]).toEqual(expect.arrayContaining(['INSTALLCTL_SOURCE_PASSWORD', 'INSTALLCTL_REGISTRY_PASSWORD', 'INSTALLCTL_DEBUG', 'INSTALLCTL_HELM*']));
    const missing = [...inCode].filter(([name]) => (name.endsWith('*') ? !documented.some((doc) => doc.startsWith(name.slice(0, -1))) : !documented.includes(name)));
    expect(missing.map(([name, files]) => `${name} (${files.join(', ')})`)).toEqual([]);
  });

  it('lists no variable the code does not read', () => {
    const inCode = [...variablesInCode().keys()];
    const stale = documented.filter((name) => !inCode.some((code) => (code.endsWith('*') ? name.startsWith(code.slice(0, -1)) : code === name)));
    expect(stale).toEqual([]);
  });

  const commands = Object.entries(COMMANDS).map(([id, command]) => ({
    id: id.replace(/:/g, ' '),
    flags: [...Object.keys((command as { flags?: Record<string, unknown> }).flags ?? {}), ...((command as { enableJsonFlag?: boolean }).enableJsonFlag ? ['json'] : [])],
  }));

  it.each(commands.map((command) => [command.id]))('names the command installctl %s', (id) => {
    expect(readme).toMatch(new RegExp(`installctl ${id}(?![a-z-])`));
  });

  it.each(commands.flatMap((command) => command.flags.map((flag) => [command.id, flag])))('documents %s --%s', (_id, flag) => {
    expect(readme).toMatch(new RegExp(`--${flag}(?![a-z0-9-])`));
  });
});
