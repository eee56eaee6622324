#!/usr/bin/env node
// `npm run generate`: every generated file of the repository, from its source, by the generators in
// GENERATORS below. `npm run generate -- --check` writes nothing and exits 1 naming each stale file (CI),
// including a file in cli/generated/ that no generator produces any more (a schema renamed or removed);
// `npm run generate` deletes such a file when it carries the DO-NOT-EDIT header.
// The generator defined here makes cli/generated/ from schemas/: TypeScript types
// (json-schema-to-typescript) and precompiled ajv validators (ajv standalone code), plus validators for
// the charts' values.schema.json, so the CLI never compiles a schema at start-up.
// test/scripts/generate.test.ts checks cli/generated/ too.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import Ajv2020 from 'ajv/dist/2020.js';
import Ajv07 from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readmeMatrixFiles } from './update-readme.mjs';
import { chartReadmeFiles } from './chart-readme.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each schema in schemas/ and the name of its generated modules. */
export const SCHEMAS = [
  { file: 'install.schema.json', module: 'install-spec', typeName: 'Install' },
  { file: 'support-matrix.schema.json', module: 'support-matrix', typeName: 'SupportMatrix' },
  { file: 'gpu-presets.schema.json', module: 'gpu-presets', typeName: 'GpuPresets' },
  { file: 'kubernetes-versions.schema.json', module: 'kubernetes-versions', typeName: 'KubernetesVersions' },
  { file: 'bundle.schema.json', module: 'bundle', typeName: 'BundleFormats' },
  { file: 'preflight-evidence.schema.json', module: 'preflight-evidence', typeName: 'PreflightEvidence' },
  { file: 'release.schema.json', module: 'release', typeName: 'Release' },
];

/**
 * Definitions inside a schema that a command validates on their own (a file of that kind), each a
 * precompiled validator of the schema with `$ref` to the definition.
 */
export const DEFINITIONS = [
  { file: 'bundle.schema.json', def: 'relocationMap', module: 'relocation-map' },
  { file: 'bundle.schema.json', def: 'manifest', module: 'bundle-manifest' },
  { file: 'bundle.schema.json', def: 'signature', module: 'bundle-signature' },
  // The whole schema (no definition): conformance merge checks the shard reports it is given.
  { file: 'conformance-report.schema.json', def: null, module: 'conformance-report' },
];

/** The first words of every file a generator writes into cli/generated/. */
export const GENERATED_HEADER = '// DO NOT EDIT. Generated from ';
const header = (source) => `${GENERATED_HEADER}${source.includes('/') ? source : `schemas/${source}`} by scripts/generate.mjs (npm run generate).\n`;

/**
 * Schemas that give types only (nothing validates them at run time): cli-output is the --json
 * output of every command, so a command whose result does not match its $defs entry fails to
 * compile. Arrays stay plain arrays (no tuples for minItems), and names that would shadow a global
 * or collide with another schema's definition are spelled out.
 */
export const TYPE_ONLY_SCHEMAS = [
  {
    file: 'cli-output.schema.json',
    module: 'cli-output',
    typeName: 'CliOutput',
    options: {
      ignoreMinAndMaxItems: true,
      customName: (schema, definition) => {
        if (definition === 'error') return 'ErrorOutput';
        // conformance-report.schema.json's own cell and stage, reached through the conformance
        // entry's $ref (json-schema-to-typescript names a referenced definition in its $id).
        if (schema.$id === 'Cell' && schema.properties?.stages) return 'ConformanceCell';
        if (schema.$id === 'Stage') return 'ConformanceStage';
        if (schema.$id === 'UpgradeEdge') return 'ConformanceUpgradeEdge';
        return undefined;
      },
    },
  },
];

export const CHARTS = ['agent-platform', 'model-server'];

/** ajv standalone code for one schema as an ESM module exporting a ValidateFn. */
function standaloneModule(ajv, schema, source) {
  const validate = ajv.compile(schema);
  let code = standaloneCode(ajv, validate);
  const exportLine = /^"use strict";export const validate = (\w+);export default \1;/;
  const match = exportLine.exec(code);
  if (!match) throw new Error(`unexpected ajv standalone output for ${source}`);
  code = code.replace(exportLine, '');
  // ajv emits require() for its runtime helpers even in ESM mode; give the module a require.
  const imports = [];
  if (/\brequire\("ajv\/dist\/runtime\/[a-z0-9]+"\)/.test(code)) {
    imports.push("import { createRequire } from 'node:module';\n", 'const require = createRequire(import.meta.url);\n');
  }
  if (/\brequire\((?!"ajv\/dist\/runtime\/)/.test(code)) throw new Error(`standalone validator for ${source} has an unexpected require()`);
  return (
    header(source) +
    '// @ts-nocheck -- ajv standalone output, checked by ajv itself.\n' +
    "import type { ValidateFn } from '../schema/schema-validator.js';\n" +
    imports.join('') +
    code +
    `\nconst validate: ValidateFn = ${match[1]};\nexport default validate;\n`
  );
}

/** A schema's TypeScript types, with the DO-NOT-EDIT header; `options` override the shared settings. */
function schemaTypes(schema, file, typeName, options = {}) {
  return compile(structuredClone(schema), typeName, {
    bannerComment: header(file).trimEnd(),
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    maxItems: -1,
    format: true,
    cwd: join(root, 'schemas'),
    ...options,
  });
}

export async function generateAll() {
  const files = {};
  for (const { file, module, typeName } of SCHEMAS) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8'));
    files[`cli/generated/${module}.ts`] = await schemaTypes(schema, file, typeName);

    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      discriminator: true,
      code: { source: true, esm: true, lines: false, optimize: true },
    });
    files[`cli/generated/${module}.validator.ts`] = standaloneModule(ajv, schema, `schemas/${file}`);
  }
  for (const { file, module, typeName, options } of TYPE_ONLY_SCHEMAS) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8'));
    files[`cli/generated/${module}.ts`] = await schemaTypes(schema, file, typeName, options);
  }
  for (const { file, def, module } of DEFINITIONS) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true, code: { source: true, esm: true, lines: false, optimize: true } });
    files[`cli/generated/${module}.validator.ts`] = def
      ? standaloneModule(ajv, { ...schema, $ref: `#/$defs/${def}` }, `schemas/${file}#/$defs/${def}`)
      : standaloneModule(ajv, schema, `schemas/${file}`);
  }
  // The charts' values schemas (draft-07, as Helm reads them), compiled with the options the
  // runtime ajv would use: render checks emitted values without compiling a schema at start-up.
  for (const chart of CHARTS) {
    const file = `charts/${chart}/values.schema.json`;
    const schema = JSON.parse(readFileSync(join(root, file), 'utf8'));
    const ajv = new Ajv07({ allErrors: true, strict: false, validateFormats: false, code: { source: true, esm: true, lines: false, optimize: true } });
    files[`cli/generated/${chart}-values.validator.ts`] = standaloneModule(ajv, schema, file);
  }
  return files;
}

/**
 * The generators, run in this order. Each is one line: a name and a function that returns the files it
 * owns as { path: content }; `read(path)` gives a file as the generators before it left it, so two
 * generators can own sections of one file (README.md).
 */
export const GENERATORS = [
  { name: 'types and validators from schemas/ and the chart values schemas (cli/generated/)', files: generateAll },
  { name: 'support-matrix grid in README.md', files: readmeMatrixFiles },
  { name: 'values table in each chart README.md', files: chartReadmeFiles },
];

/** Runs every generator; returns { path: content } of all the files they own, in their final state. */
export async function generateFiles(generators = GENERATORS) {
  const files = {};
  const read = (path) => files[path] ?? readCommitted(path) ?? '';
  for (const generator of generators) Object.assign(files, await generator.files(read));
  return files;
}

/** The folders only generators write: a file there that no generator produces is a leftover. */
export const GENERATED_DIRS = ['cli/generated'];

/** A file's current content, or null when it does not exist. */
function readCommitted(path, base = root) {
  try {
    return readFileSync(join(base, path), 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

/** Every file under a repository folder, as repository paths with '/' (none when the folder is missing). */
function filesUnder(base, dir) {
  let entries;
  try {
    entries = readdirSync(join(base, dir), { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? filesUnder(base, `${dir}/${entry.name}`) : [`${dir}/${entry.name}`]));
}

/**
 * Brings the repository at `base` to `files` (or, with check, only says where it differs): stale lists
 * what differs or is left over, written and removed what was changed, kept the leftovers without the
 * DO-NOT-EDIT header (someone's own file: never deleted).
 */
export function applyGenerated(files, { check, base = root }) {
  const result = { stale: [], written: [], removed: [], kept: [] };
  for (const [path, content] of Object.entries(files)) {
    if (readCommitted(path, base) === content) continue;
    if (check) result.stale.push(path);
    else {
      const target = join(base, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      result.written.push(path);
    }
  }
  const leftovers = GENERATED_DIRS.flatMap((dir) => filesUnder(base, dir)).filter((path) => !(path in files));
  for (const path of leftovers.sort()) {
    if (check) result.stale.push(`${path} (no generator produces it)`);
    else if (readCommitted(path, base).startsWith(GENERATED_HEADER)) {
      rmSync(join(base, path));
      result.removed.push(path);
    } else result.kept.push(path);
  }
  return result;
}

async function main() {
  const { stale, written, removed, kept } = applyGenerated(await generateFiles(), { check: process.argv.includes('--check') });
  for (const path of written) console.log(`wrote ${path}`);
  for (const path of removed) console.log(`removed ${path} (no generator produces it)`);
  for (const path of kept) console.error(`left ${path}: no generator produces it and it has no DO-NOT-EDIT header, remove it by hand`);
  if (stale.length) {
    for (const path of stale) console.error(`stale: ${path}`);
    console.error(`${stale.length} generated file(s) differ from their source: run npm run generate`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
