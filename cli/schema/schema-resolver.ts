/**
 * Finds the subschema that governs a path in a document, following local $refs and choosing the
 * branch of a discriminated oneOf by the data's tag. Error messages use it for what was expected
 * (description, examples, allowed keys) and for which definition a value belongs to.
 */
import type { DocPath } from './issue.js';

export type JsonSchema = {
  $ref?: string;
  title?: string;
  description?: string;
  examples?: unknown[];
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  discriminator?: { propertyName: string };
  required?: string[];
  [keyword: string]: unknown;
};

export interface Resolved {
  schema: JsonSchema;
  /** JSON pointer of the schema inside the root (after $ref resolution), e.g. #/$defs/hostname. */
  pointer: string;
  /** Titles of every schema passed through on the way, innermost last (definition names for codes). */
  titles: string[];
}

function deref(root: JsonSchema, schema: JsonSchema, pointer: string, titles: string[]): { schema: JsonSchema; pointer: string } {
  let current = schema;
  let at = pointer;
  for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
    if (current.title) titles.push(current.title);
    const ref = current.$ref;
    if (!ref.startsWith('#/')) break;
    at = ref;
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], root) as JsonSchema;
    if (!current) throw new Error(`unresolvable $ref ${ref}`);
  }
  if (current.title) titles.push(current.title);
  return { schema: current, pointer: at };
}

/** The oneOf branch whose tag const matches the data, when the union is discriminated. */
export function discriminatedBranch(root: JsonSchema, schema: JsonSchema, value: unknown): number {
  const tag = schema.discriminator?.propertyName;
  if (!tag || !schema.oneOf || value === null || typeof value !== 'object') return -1;
  const actual = (value as Record<string, unknown>)[tag];
  return schema.oneOf.findIndex((branch) => deref(root, branch, '', []).schema.properties?.[tag]?.const === actual);
}

/** The values a discriminated union's tag may take, in schema order. */
export function discriminatorValues(root: JsonSchema, schema: JsonSchema): string[] {
  const tag = schema.discriminator?.propertyName;
  if (!tag || !schema.oneOf) return [];
  return schema.oneOf.map((branch) => String(deref(root, branch, '', []).schema.properties?.[tag]?.const));
}

export function resolveAt(root: JsonSchema, data: unknown, path: DocPath): Resolved | null {
  const titles: string[] = [];
  let { schema, pointer } = deref(root, root, '#', titles);
  let value: unknown = data;
  for (const segment of path) {
    const branch = discriminatedBranch(root, schema, value);
    if (branch >= 0) ({ schema, pointer } = deref(root, schema.oneOf![branch]!, `${pointer}/oneOf/${branch}`, titles));
    else ({ schema, pointer } = untaggedBranchWith(root, schema, pointer, segment, titles));
    let next: JsonSchema | undefined;
    let nextPointer: string;
    if (typeof segment === 'number') {
      next = schema.items;
      nextPointer = `${pointer}/items`;
    } else if (schema.properties && Object.hasOwn(schema.properties, segment)) {
      next = schema.properties[segment];
      nextPointer = `${pointer}/properties/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    } else {
      next = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
      nextPointer = `${pointer}/additionalProperties`;
    }
    if (!next) return null;
    ({ schema, pointer } = deref(root, next, nextPointer, titles));
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  const branch = discriminatedBranch(root, schema, value);
  if (branch >= 0) ({ schema, pointer } = deref(root, schema.oneOf![branch]!, `${pointer}/oneOf/${branch}`, titles));
  return { schema, pointer, titles };
}

/** In an untagged anyOf/oneOf, the first branch that can hold the segment (property or item). */
function untaggedBranchWith(root: JsonSchema, schema: JsonSchema, pointer: string, segment: string | number, titles: string[]): { schema: JsonSchema; pointer: string } {
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches) || schema.discriminator) continue;
    for (let index = 0; index < branches.length; index++) {
      const candidate = deref(root, branches[index]!, `${pointer}/${keyword}/${index}`, []);
      const holds = typeof segment === 'number' ? candidate.schema.items !== undefined : candidate.schema.properties?.[segment] !== undefined;
      if (holds) return deref(root, branches[index]!, `${pointer}/${keyword}/${index}`, titles);
    }
  }
  return { schema, pointer };
}

/** The keys an object at this schema may hold (for did-you-mean on unknown keys). */
export function allowedKeys(schema: JsonSchema): string[] {
  return Object.keys(schema.properties ?? {}).filter((key) => key !== '$schema');
}
