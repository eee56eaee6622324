/** Checks a value against a $def of one of the schemas in schemas/ (the documented shapes). */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeValidator } from '../../cli/schema/schema-validator.js';
import type { JsonSchema } from '../../cli/schema/schema-resolver.js';
import { REPO } from './cli.js';

export function expectSchemaDef(schemaFile: 'cli-output.schema.json' | 'bundle.schema.json', def: string, value: unknown): void {
  const schema = JSON.parse(readFileSync(join(REPO, 'schemas', schemaFile), 'utf8')) as JsonSchema & { $defs: Record<string, unknown> };
  expect(schema.$defs[def], `${schemaFile} has no $defs/${def}`).toBeDefined();
  expect(runtimeValidator({ ...schema, $ref: `#/$defs/${def}` } as JsonSchema).check(value)).toEqual([]);
}
