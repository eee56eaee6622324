/**
 * Every `installctl bundle verify FILE` / `bundle push FILE` a hint, a runbook or the README tells
 * the user to run must work as written: since both require the signer key, each names --key (or
 * --allow-unsigned). A command named only in passing ("the map bundle push wrote", "--help") is not one.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../helpers/cli.js';
import { corruptBlob } from '../../cli/bundle/blob-upload.js';
import type { BundleFile } from '../../cli/bundle/reader.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

/** Each `installctl bundle verify|push FILE...` to run (FILE a path, a placeholder or ${...}), with its continuation lines, and where it is. */
function commands(file: string): Array<[string, string]> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: Array<[string, string]> = [];
  lines.forEach((line, index) => {
    if (/^\s*(\*|\/\/|\/\*\*)/.test(line)) return; // comments describe commands, they do not tell anyone to run one
    for (const match of line.matchAll(/installctl',\s*'bundle',\s*'(?:verify|push)',\s*'[^-']|installctl bundle (?:verify|push) (?:\$\{|[A-Z]{3,}\b|[^\s`'"]*[./][^\s`'"]*)/g)) {
      let command = line.slice(match.index);
      for (let next = index + 1; /\\\s*$/.test(command) && next < lines.length; next++) command = command.replace(/\\\s*$/, ' ') + lines[next];
      found.push([`${relative(REPO, file)}:${index + 1}`, command.split(/(?<!\\)`|(?:\s+#)|';/)[0]!]);
    }
  });
  return found;
}

const all = [...sources(join(REPO, 'cli')), ...sources(join(REPO, 'scripts')), join(REPO, 'README.md')].flatMap(commands);

describe('every bundle verify/push command installctl tells the user to run names the key', () => {
  it('finds the commands (the hints of the reader, the structure check and the uploader, the runbook, the README)', () => {
    const where = all.map(([at]) => at.split(':')[0]);
    for (const file of ['cli/bundle/reader.ts', 'cli/bundle/structure.ts', 'cli/bundle/blob-upload.ts', 'cli/emit/runbook.ts', 'README.md']) expect(where).toContain(file);
  });

  it.each(all)('%s: %s', (_at, command) => {
    expect(command).toMatch(/--key\b|--allow-unsigned\b/);
  });

  it('a corrupted blob found during push: the hint is a verify command that runs', () => {
    const error = corruptBlob({ file: 'acme.bundle' } as BundleFile, `sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`);
    expect(error.hint).toContain('bundle verify acme.bundle --key PUB');
  });
});
