/**
 * The one ajv wrapper. Validators are compiled once (ahead of time into cli/generated/ for the
 * startup path, or lazily and cached for other schemas), run with allErrors and never mutate
 * their input. Raw ajv errors become structured Findings with stable codes (one function per
 * keyword), the expected value taken from the schema's own descriptions, did-you-mean hints
 * (finding-hints.ts), and union errors trimmed to the branch closest to what the user wrote.
 */
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import { closest, quoteList } from '../lib/suggest.js';
import { pointerToPath, type DocPath, type Finding } from './issue.js';
import { allowedKeys, discriminatorValues, resolveAt, type JsonSchema } from './schema-resolver.js';
import { showKey, showNumber, showValue } from './show-value.js';
import { article, describeValue, enumHint, patternHint, rangeHint, rangeMessage } from './finding-hints.js';

export interface ValidateFn {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Codes for pattern failures, by the title of the definition the value belongs to. */
const PATTERN_CODES: Record<string, string> = {
  Hostname: 'SCHEMA_HOSTNAME',
  HttpsUrl: 'SCHEMA_URL',
  ProxyUrl: 'SCHEMA_URL',
  Cidr: 'SCHEMA_CIDR',
  InstallName: 'SCHEMA_NAME',
};

export class SchemaValidator {
  private rootSchema: JsonSchema | undefined;

  /** root may be a loader: a precompiled validator needs the schema itself only to explain errors. */
  constructor(
    private readonly rootSource: JsonSchema | (() => JsonSchema),
    private readonly validateFn: ValidateFn,
  ) {}

  get root(): JsonSchema {
    this.rootSchema ??= typeof this.rootSource === 'function' ? this.rootSource() : this.rootSource;
    return this.rootSchema;
  }

  check(data: unknown): Finding[] {
    return this.checkBounded(data).findings;
  }

  /**
   * Every schema error, as at most `limit` findings (in ajv's order) and a count of the rest, so
   * 190,000 bad list items cost 190,000 ajv errors but only `limit` messages. Errors at a path
   * `skip` accepts (JSON Pointer; an earlier check reported it) are neither built nor counted.
   */
  checkBounded(data: unknown, options: { limit?: number; skip?: (pointer: string) => boolean } = {}): { findings: Finding[]; omitted: number } {
    const { limit = Infinity, skip } = options;
    if (this.validateFn(data)) return { findings: [], omitted: 0 };
    const errors = this.trimUnions([...(this.validateFn.errors ?? [])], data);
    const redundant = redundantErrors(errors);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const counted = new Set<string>();
    for (const error of errors) {
      // An error inside propertyNames (error.propertyName set) is the key's; the propertyNames error reports it.
      if (redundant.has(error) || error.keyword === 'propertyName' || error.propertyName !== undefined) continue;
      const pointer = findingPointer(error);
      if (skip?.(pointer)) continue;
      if (findings.length >= limit) {
        // Past the limit, one error is one issue per keyword and place: counted, never built.
        counted.add(`${error.keyword}\u0000${pointer}`);
        continue;
      }
      const finding = this.toFinding(error, data);
      if (!finding) continue;
      const key = `${finding.code}\u0000${JSON.stringify(finding.path)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
    return { findings, omitted: counted.size };
  }

  /**
   * For an untagged anyOf/oneOf, ajv reports every branch's errors. Re-check the value against each
   * branch alone and keep only the errors of the branch with the fewest (the closest one).
   */
  private trimUnions(errors: ErrorObject[], data: unknown): ErrorObject[] {
    const out = [...errors];
    for (let index = out.length - 1; index >= 0; index--) {
      const union = out[index]!;
      if ((union.keyword !== 'anyOf' && union.keyword !== 'oneOf') || (union.params as { passingSchemas?: unknown }).passingSchemas) continue;
      // ajv reports each branch's errors just before the union error, all at or below its path.
      let start = index;
      while (start > 0 && isWithin(out[start - 1]!.instancePath, union.instancePath)) start--;
      const path = pointerToPath(union.instancePath, data);
      const resolved = resolveAt(this.root, data, path);
      const branches = resolved?.schema[union.keyword];
      let best: ErrorObject[] = [union];
      if (resolved && Array.isArray(branches)) {
        const value = valueAt(data, path);
        let fewest = Infinity;
        branches.forEach((_, branch) => {
          const validate = this.branchValidator(`${resolved.pointer}/${union.keyword}/${branch}`);
          if (validate(value)) return;
          const branchErrors = (validate.errors ?? []).map((e) => ({ ...e, instancePath: union.instancePath + e.instancePath }));
          if (branchErrors.length < fewest) [fewest, best] = [branchErrors.length, this.trimUnions(branchErrors, data)];
        });
      }
      out.splice(start, index - start + 1, ...best);
      index = start;
    }
    return out;
  }

  private branchValidator(pointer: string): ValidateFn {
    return compileSchema(this.root, pointer);
  }

  /** One ajv error as a finding: the keyword says which explanation applies. */
  private toFinding(error: ErrorObject, data: unknown): Finding | null {
    const base = pointerToPath(error.instancePath, data);
    const site: ErrorSite = { root: this.root, data, params: error.params as Record<string, unknown>, base, here: resolveAt(this.root, data, base), value: valueAt(data, base) };
    const { params } = site;
    switch (error.keyword) {
      case 'required':
        return requiredFinding(site);
      case 'additionalProperties':
        return unknownKeyFinding(site);
      case 'discriminator':
        return discriminatorFinding(site);
      case 'enum':
      case 'const':
        return enumOrConstFinding(site, error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue]);
      case 'type':
        return typeFinding(site);
      case 'pattern':
      case 'format':
        return patternFinding(site);
      case 'propertyNames':
        return finding(
          'SCHEMA_PATTERN',
          [...base, String(params.propertyName)],
          `invalid key ${showKey(String(params.propertyName))}`,
          'keys here follow Kubernetes label-key syntax',
          true,
        );
      case 'minLength':
      case 'maxLength':
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'maxProperties':
      case 'multipleOf':
        return finding('SCHEMA_RANGE', base, `${rangeMessage(error)}; expected ${described(site, base)}`, rangeHint(error));
      case 'uniqueItems':
        return finding('SCHEMA_UNIQUE', base, `items ${String(params.j)} and ${String(params.i)} are identical; each value may appear once`, 'remove the duplicate');
      case 'oneOf':
      case 'anyOf':
        return unionFinding(site);
      case 'propertyName':
        return null;
      default:
        return finding('SCHEMA_INVALID', base, error.message ?? `failed ${error.keyword}`, `expected ${described(site, base)}`);
    }
  }
}

/** Where an ajv error points: the value the user wrote there and the schema that describes it. */
interface ErrorSite {
  root: JsonSchema;
  data: unknown;
  params: Record<string, unknown>;
  /** The document path of the value the error is about. */
  base: DocPath;
  /** The schema at base, when it resolves. */
  here: ReturnType<typeof resolveAt>;
  value: unknown;
}

function finding(code: string, path: DocPath, message: string, hint: string, atKey = false): Finding {
  return { severity: 'error', code, path, message, hint, atKey };
}

/** What the schema expects at a path: its own description or title. */
function described(site: ErrorSite, path: DocPath): string {
  const schema = resolveAt(site.root, site.data, path)?.schema;
  return schema?.description ?? schema?.title ?? 'a valid value';
}

/** A missing key; a missing apiVersion or kind says the file may not be a spec at all. */
function requiredFinding(site: ErrorSite): Finding {
  const key = String(site.params.missingProperty);
  const path = [...site.base, key];
  if (site.base.length === 0 && (key === 'apiVersion' || key === 'kind')) {
    return finding(key === 'kind' ? 'SPEC_KIND' : 'SPEC_API_VERSION', path, `missing ${key}`, key === 'kind' ? 'add kind: Install' : 'add apiVersion: installctl.dev/v1alpha1');
  }
  return finding('SCHEMA_REQUIRED', path, `missing required key '${key}'`, `add ${key}: ${described(site, path)}`);
}

function unknownKeyFinding(site: ErrorSite): Finding {
  const key = String(site.params.additionalProperty);
  const keys = site.here ? allowedKeys(site.here.schema) : [];
  const suggestion = closest(key, keys);
  return finding(
    'SCHEMA_UNKNOWN_KEY',
    [...site.base, key],
    `unknown key ${showKey(key)}`,
    suggestion ? `did you mean '${suggestion}'?` : keys.length ? `allowed keys here: ${quoteList(keys)}` : 'remove it',
    true,
  );
}

/** A tagged union's tag: missing, or not one of the branches' values. */
function discriminatorFinding(site: ErrorSite): Finding {
  const tag = String(site.params.tag);
  const allowed = site.here ? discriminatorValues(site.root, site.here.schema) : [];
  const tagValue = (site.value as Record<string, unknown> | null)?.[tag];
  if (tagValue === undefined) {
    return finding('SCHEMA_REQUIRED', [...site.base, tag], `missing required key '${tag}'`, `add ${tag}: one of ${quoteList(allowed)}`);
  }
  return enumFinding([...site.base, tag], tagValue, allowed);
}

/** A value outside a list; a wrong apiVersion or kind keeps its identity code. */
function enumOrConstFinding(site: ErrorSite, allowed: unknown[]): Finding {
  const { base, value } = site;
  if (base.length === 1 && (base[0] === 'apiVersion' || base[0] === 'kind')) {
    const kind = base[0] === 'kind';
    return finding(
      kind ? 'SPEC_KIND' : 'SPEC_API_VERSION',
      base,
      kind ? `kind is ${showValue(value)}; this file is not an installctl Install spec` : `unsupported apiVersion ${showValue(value)}`,
      kind ? 'an install spec has kind: Install' : 'use apiVersion: installctl.dev/v1alpha1',
    );
  }
  return enumFinding(base, value, allowed);
}

function enumFinding(path: DocPath, actual: unknown, allowed: unknown[]): Finding {
  const expected = allowed.length === 1 ? JSON.stringify(allowed[0]) : `one of ${quoteList(allowed)}`;
  return finding('SCHEMA_ENUM', path, `invalid value ${showValue(actual)}: expected ${expected}`, enumHint(actual, allowed));
}

/** A value of the wrong type; a secret written in place of a reference, or a YAML scalar that needs quotes, says so. */
function typeFinding(site: ErrorSite): Finding {
  const { base, value } = site;
  const expected = String(site.params.type);
  const titles = site.here?.titles ?? [];
  if (titles.includes('SecretReference') && (typeof value === 'string' || typeof value === 'number')) {
    return finding(
      'SECRET_LITERAL',
      base,
      'a secret value is written into the spec; specs carry only references to secrets',
      'write secretRef: {name: SECRET, key: KEY} (a Kubernetes Secret) or externalRef: {store: vault, path: PATH}',
    );
  }
  let hint = `expected ${described(site, base)}`;
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    hint = `YAML read this as ${typeof value === 'number' && !Number.isFinite(value) ? 'a special number' : `a ${typeof value}`}; quote it, e.g. "${typeof value === 'number' ? showNumber(value) : String(value)}"`;
  } else if (expected === 'object' && value === null) {
    hint = 'the key has no value; indent its contents under it or remove it';
  }
  return finding('SCHEMA_TYPE', base, `expected ${article(expected)}, got ${describeValue(value)}`, hint);
}

/** A pattern or format failure, coded by the definition the value belongs to (PATTERN_CODES). */
function patternFinding(site: ErrorSite): Finding {
  const { base, value, here } = site;
  const titles = here?.titles ?? [];
  const code =
    [...titles]
      .reverse()
      .map((title) => PATTERN_CODES[title])
      .find(Boolean) ?? 'SCHEMA_PATTERN';
  return finding(code, base, `invalid value ${showValue(value)}: expected ${described(site, base)}`, patternHint(value, here?.schema) ?? `expected ${described(site, base)}`);
}

function unionFinding(site: ErrorSite): Finding {
  const { base, params } = site;
  return finding(
    'SCHEMA_ONE_OF',
    base,
    `the value matches ${params.passingSchemas ? 'more than one' : 'none'} of the allowed forms: ${described(site, base)}`,
    params.passingSchemas ? 'remove the keys that belong to the other form, so exactly one form matches' : `rewrite it as ${described(site, base)}`,
  );
}

/**
 * A value of the wrong type for a list ("two" for 1, 2, 4, 8; 1.3 for "1.30") fails both type and
 * enum: one mistake, one finding. A number list keeps the enum (it says what to write); a string
 * list keeps the type (its hint says to quote); apiVersion and kind keep their identity codes.
 */
function redundantErrors(errors: readonly ErrorObject[]): Set<ErrorObject> {
  const listed = new Map(errors.filter((error) => error.keyword === 'enum' || error.keyword === 'const').map((error) => [error.instancePath, error]));
  const out = new Set<ErrorObject>();
  for (const error of errors) {
    const list = error.keyword === 'type' ? listed.get(error.instancePath) : undefined;
    if (!list) continue;
    const identity = error.instancePath === '/apiVersion' || error.instancePath === '/kind';
    out.add(String((error.params as { type?: unknown }).type) === 'string' && !identity ? list : error);
  }
  return out;
}

/** The JSON Pointer of the path a finding for this error reports (the key's own path for key errors). */
function findingPointer(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const keys: Record<string, unknown> = {
    required: params.missingProperty,
    additionalProperties: params.additionalProperty,
    propertyNames: params.propertyName,
    discriminator: params.tag,
  };
  const key = keys[error.keyword];
  return key === undefined ? error.instancePath : `${error.instancePath}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(ancestor + '/');
}

function valueAt(data: unknown, path: DocPath): unknown {
  let node = data;
  for (const segment of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  return node;
}

interface RuntimeAjv {
  getSchema(ref: string): ValidateFn | undefined;
  addSchema(schema: object): unknown;
}

const runtimeCompilers = new WeakMap<object, { ajv: RuntimeAjv; id: string; validators: Map<string, ValidateFn> }>();

/**
 * Compiles a schema (or the subschema at a JSON pointer inside it) at run time, cached per schema
 * object and pointer. Loaded lazily with require so the ajv compiler stays off the startup path of
 * commands that use a precompiled validator. Draft-07 schemas (Helm charts) get the draft-07 ajv.
 */
export function compileSchema(schema: JsonSchema, pointer = ''): ValidateFn {
  let entry = runtimeCompilers.get(schema);
  if (!entry) {
    const require = createRequire(import.meta.url);
    const draft07 = typeof schema.$schema === 'string' && schema.$schema.includes('draft-07');
    const AjvClass = (draft07 ? require('ajv') : require('ajv/dist/2020.js')).default as new (options: object) => RuntimeAjv;
    const ajv = new AjvClass({ allErrors: true, strict: false, discriminator: !draft07, validateFormats: false });
    const id = typeof schema.$id === 'string' ? schema.$id : 'urn:installctl:anonymous-schema';
    ajv.addSchema(schema.$id ? schema : { ...schema, $id: id });
    entry = { ajv, id, validators: new Map() };
    runtimeCompilers.set(schema, entry);
  }
  let validate = entry.validators.get(pointer);
  if (!validate) {
    validate = entry.ajv.getSchema(entry.id + pointer);
    if (!validate) throw new Error(`no schema at ${entry.id}${pointer}`);
    entry.validators.set(pointer, validate);
  }
  return validate;
}

/** A SchemaValidator compiled at run time, for schemas without a precompiled validator. */
export function runtimeValidator(schema: JsonSchema): SchemaValidator {
  return new SchemaValidator(schema, compileSchema(schema));
}
