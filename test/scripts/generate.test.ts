import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/cli.js';
// @ts-expect-error -- plain ESM build script without type declarations
import { generateAll } from '../../scripts/generate.mjs';

/** Generated once for the file's tests (json-schema-to-typescript takes seconds). */
let generated: Promise<Record<string, string>> | undefined;
const generate = (): Promise<Record<string, string>> => (generated ??= generateAll());

describe('generated code (cli/generated/)', () => {
  it('is current with schemas/ (run `npm run generate` after editing a schema)', async () => {
    const files = await generate();
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(6);
    for (const [path, content] of Object.entries(files)) {
      const committed = readFileSync(join(REPO, path), 'utf8');
      expect(committed, `${path} is stale`).toBe(content);
      expect(committed.startsWith('// DO NOT EDIT.')).toBe(true);
    }
  }, 60_000);

  it('cli-output types (what commands return): every $defs entry of cli-output.schema.json is an exported type', async () => {
    const files = await generate();
    const types = files['cli/generated/cli-output.ts'];
    expect(types, 'scripts/generate.mjs generates cli/generated/cli-output.ts').toBeDefined();
    expect(readFileSync(join(REPO, 'cli', 'generated', 'cli-output.ts'), 'utf8')).toBe(types);
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'cli-output.schema.json'), 'utf8'));
    const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);
    const named: Record<string, string> = { error: 'ErrorOutput', conformance: 'ConformanceReport' };
    for (const def of Object.keys(schema.$defs)) expect(types).toMatch(new RegExp(`export (interface|type) ${named[def] ?? pascal(def)}\\b`));
    // No tuple types from minItems: a command's array result is a plain array.
    expect(types).not.toMatch(/\[\w+, \w+, \.\.\.\w+\[\]\]/);
  }, 60_000);

  it('types follow the schema: every $defs entry with a title becomes an exported type', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'install.schema.json'), 'utf8'));
    const types = readFileSync(join(REPO, 'cli', 'generated', 'install-spec.ts'), 'utf8');
    const titles = Object.values(schema.$defs as Record<string, { title?: string }>).flatMap((def) => (def.title ? [def.title] : []));
    for (const title of titles) expect(types).toMatch(new RegExp(`export (interface|type) ${title}\\b`));
  });

  it('every union in the install schema is discriminated (so errors name one branch)', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'install.schema.json'), 'utf8'));
    const untagged: string[] = [];
    const visit = (node: unknown, at: string) => {
      if (Array.isArray(node)) node.forEach((child, index) => visit(child, `${at}/${index}`));
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if ((record.oneOf || record.anyOf) && !record.discriminator) untagged.push(at);
        for (const [key, child] of Object.entries(record)) visit(child, `${at}/${key}`);
      }
    };
    visit(schema, '#');
    expect(untagged).toEqual([]);
  });
});
