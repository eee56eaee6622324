/** stacks/ is copied verbatim into customer projects: it must stand alone and import provider submodules only. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../helpers/cli.js';

const root = join(REPO, 'stacks');
const files = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
})(root);

describe('stacks/ sources', () => {
  it.each(files.map((file) => [relative(root, file), file] as const))('%s imports only @pulumi submodules and stacks/ files', (_, file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1]!);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        expect(specifier, 'relative imports end in .js and stay inside stacks/').toMatch(/\.js$/);
        expect(join(file, '..', specifier).startsWith(root)).toBe(true);
      } else {
        expect(specifier, 'only Pulumi packages').toMatch(/^@pulumi\//);
        if (specifier !== '@pulumi/pulumi') expect(specifier, 'a provider submodule, not the whole SDK').toMatch(/^@pulumi\/[a-z-]+\/[a-zA-Z0-9/]+\.js$/);
      }
    }
    expect(text.split('\n').length, 'files stay under ~400 lines').toBeLessThan(450);
  });
});
