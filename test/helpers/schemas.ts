/** Checks a value against a $def of one of the schemas in schemas/ (the documented shapes). */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import type { JsonSchema } from '../../cli/schema/schema-resolver.js';
import { REPO } from './cli.js';

type SchemaFile = 'cli-output.schema.json' | 'bundle.schema.json';

const readSchema = (file: string) => JSON.parse(readFileSync(join(REPO, 'schemas', file), 'utf8')) as JsonSchema & { $defs: Record<string, unknown> };

/** The other files of schemas/ a schema's $refs name (cli-output's conformance entry is conformance-report.schema.json). */
function referencedFiles(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(referencedFiles);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const here = typeof record.$ref === 'string' && /^[a-z-]+\.schema\.json$/.test(record.$ref) ? [record.$ref] : [];
  return [...here, ...Object.values(record).flatMap(referencedFiles)];
}

/**
 * The schema with each file it references embedded as a $defs entry (a schema resource with its own
 * $id, as JSON Schema bundling does), so the one ajv wrapper, which compiles one document, resolves them.
 */
export function bundledSchema(schemaFile: SchemaFile): JsonSchema & { $defs: Record<string, unknown> } {
  const schema = readSchema(schemaFile);
  const embedded = Object.fromEntries(
    [...new Set(referencedFiles(schema))].map((file) => {
      const { $schema: _dialect, ...resource } = readSchema(file);
      return [`embedded:${file}`, resource];
    }),
  );
  return { ...schema, $defs: { ...schema.$defs, ...embedded } };
}

export function expectSchemaDef(schemaFile: SchemaFile, def: string, value: unknown): void {
  const schema = bundledSchema(schemaFile);
  expect(schema.$defs[def], `${schemaFile} has no $defs/${def}`).toBeDefined();
  expect(runtimeValidator({ ...schema, $ref: `#/$defs/${def}` } as JsonSchema).check(value)).toEqual([]);
}
