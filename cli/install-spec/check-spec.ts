/**
 * Checks a parsed spec document end to end: literal secrets and stray whitespace, the schema
 * (every error), the support-matrix cell, then, once the document has the schema's shape, the
 * cell's requirements and the cross-field rules. Pure: data in, findings out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Install } from '../generated/install-spec.js';
import validateInstall from '../generated/install-spec.validator.js';
import { packageRoot } from '../lib/package-root.js';
import { DIMENSIONS, supportMatrix, type Cell, type Coordinates, type SupportMatrixModel } from '../matrix/engine.js';
import { checkRequirements } from '../matrix/requirements.js';
import { FindingCollector, formatPath, MAX_ISSUES, type Finding } from '../schema/issue.js';
import { findControlCharacters, findLiteralSecrets, findStrayWhitespace } from './rules/raw-values.js';
import { checkModels } from './rules/models.js';
import { checkInfrastructure } from './rules/infrastructure.js';
import { checkIngressAndNetwork } from './rules/ingress-network.js';
import { checkAzureAttachments } from './rules/azure-attachments.js';
import { checkGcpPlatform } from './rules/gcp.js';
import { checkGpuDemand } from './rules/gpu-demand.js';
import { checkKubernetesVersion } from './rules/kubernetes-version.js';
import { checkRelease } from './rules/release.js';
import { calendarAsOf } from '../matrix/kubernetes-versions.js';
import { findPlaceholders } from './rules/placeholders.js';
import { checkRenamedFields } from './rules/release-renames.js';
import { findPublicHostMentions, NO_PUBLIC_ENDPOINTS } from './rules/public-hosts.js';
import { SchemaValidator } from '../schema/schema-validator.js';
import { showValue } from '../schema/show-value.js';
import type { JsonSchema } from '../schema/schema-resolver.js';

export interface SpecCheck {
  findings: Finding[];
  /** The typed spec, when the document matches the schema. */
  install: Install | null;
  /** The support-matrix cell, when all four selectors are known values. */
  cell: Cell | null;
  /** Issues found but not built (each check keeps its first MAX_ISSUES): counted in the totals. */
  omitted: { errors: number; warnings: number };
}

/** Where each dimension's selector lives in a spec. */
export const SELECTOR_PATHS: Record<(typeof DIMENSIONS)[number], string[]> = {
  platform: ['spec', 'platform', 'type'],
  scm: ['spec', 'scm', 'type'],
  models: ['spec', 'models', 'hosting'],
  network: ['spec', 'network', 'mode'],
};

let installValidator: SchemaValidator | undefined;

/** The install-spec validator: precompiled; the schema JSON is read only to explain errors. */
function installSpecValidator(): SchemaValidator {
  installValidator ??= new SchemaValidator(() => JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'install.schema.json'), 'utf8')) as JsonSchema, validateInstall);
  return installValidator;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const key of path) node = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** The cell a document selects, read defensively from possibly invalid data. */
export function coordinatesOf(data: unknown, matrix: SupportMatrixModel = supportMatrix()): Coordinates | null {
  const coordinates = {} as Coordinates;
  for (const dimension of DIMENSIONS) {
    const value = valueAt(data, SELECTOR_PATHS[dimension]);
    if (typeof value !== 'string' || !matrix.dimensions[dimension].includes(value)) return null;
    coordinates[dimension] = value;
  }
  return coordinates;
}

/** Whether a JSON Pointer is one of claimed or inside one; a set lookup per ancestor. */
function covers(claimed: ReadonlySet<string>, pointer: string): boolean {
  if (claimed.size === 0) return false;
  for (let end = pointer.length; end >= 0; end = pointer.lastIndexOf('/', end - 1)) {
    if (claimed.has(pointer.slice(0, end))) return true;
    if (end === 0) break;
  }
  return false;
}

export interface CheckOptions {
  /**
   * Today, for the Kubernetes support calendar: the CLI passes the real date; absent, the
   * calendar's asOf (so tests and conformance do not change with the wall clock).
   */
  now?: Date;
}

export function checkSpecDocument(data: unknown, matrix: SupportMatrixModel = supportMatrix(), options: CheckOptions = {}): SpecCheck {
  // Each raw check keeps its own first MAX_ISSUES (in document order) and counts the rest.
  const claimed = new Set<string>();
  const rawChecks = [findLiteralSecrets, findControlCharacters, findStrayWhitespace].map((check) => {
    const collector = new FindingCollector(MAX_ISSUES, claimed);
    check(data, collector);
    return collector;
  });
  const raw = rawChecks.flatMap((collector) => collector.findings);
  const schema = installSpecValidator().checkBounded(data, { limit: MAX_ISSUES, skip: (pointer) => covers(claimed, pointer) });
  const schemaFindings = schema.findings;

  // A document of another kind: its other keys are noise, report only what it is.
  const identity = schemaFindings.filter((finding) => finding.code === 'SPEC_KIND' || finding.code === 'SPEC_API_VERSION');
  const kind = valueAt(data, ['kind']);
  if (typeof kind === 'string' && kind !== 'Install') return { findings: identity, install: null, cell: null, omitted: { errors: 0, warnings: 0 } };

  const omitted = {
    errors: schema.omitted + rawChecks.reduce((sum, collector) => sum + collector.omitted.errors, 0),
    warnings: rawChecks.reduce((sum, collector) => sum + collector.omitted.warnings, 0),
  };
  const findings: Finding[] = [...raw, ...schemaFindings];
  const coordinates = coordinatesOf(data, matrix);
  const cell = coordinates ? matrix.cell(coordinates)! : null;
  if (cell && coordinates) findings.push(...checkCell(data, cell, coordinates, matrix));

  const shapeOk = schemaFindings.length === 0 && schema.omitted === 0 && rawChecks.every((collector) => collector.errors === 0);
  const install = shapeOk ? (data as Install) : null;
  if (install && cell && cell.status !== 'unsupported') {
    findings.push(
      ...checkRequirements({ spec: install, cell, matrix }),
      ...checkModels(install),
      ...checkGpuDemand(install),
      ...checkInfrastructure(install),
      ...checkIngressAndNetwork(install),
      ...checkAzureAttachments(install),
      ...checkGcpPlatform(install),
      ...checkRelease(install),
      ...checkKubernetesVersion(install, options.now ?? calendarAsOf()),
      ...findPlaceholders(install),
      ...checkRenamedFields(install),
    );
    if (cell.requires.some((requirement) => requirement.code === NO_PUBLIC_ENDPOINTS)) {
      // The requirement reads the endpoint fields; this reads everything else, once per value.
      const reported = new Set(findings.filter((finding) => finding.code === NO_PUBLIC_ENDPOINTS).map((finding) => formatPath(finding.path)));
      findings.push(...findPublicHostMentions(install, matrix.publicHosts()).filter((finding) => !reported.has(formatPath(finding.path))));
    }
  }
  return { findings, install, cell, omitted };
}

function checkCell(data: unknown, cell: Cell, coordinates: Coordinates, matrix: SupportMatrixModel): Finding[] {
  const acknowledgements = valueAt(data, ['spec', 'acknowledgements']);
  const ids = Array.isArray(acknowledgements) ? acknowledgements.map((ack: unknown) => (ack !== null && typeof ack === 'object' ? (ack as { id?: unknown }).id : undefined)) : [];
  const findings: Finding[] = [];
  if (cell.status === 'unsupported') {
    const alternatives = matrix.nearestSupported(coordinates).map((alternative) => alternative.cell.id);
    const blame = cell.reasons.length > 0 && cell.network === 'air-gapped' ? SELECTOR_PATHS.network : ['spec'];
    for (const reason of cell.reasons) {
      findings.push({
        severity: 'error',
        code: reason.code,
        path: blame,
        message: `${cell.id} is not supported: ${reason.message}`,
        hint: alternatives.length ? `nearest supported cells: ${alternatives.join(', ')} (installctl matrix explain ${cell.id})` : `see installctl matrix explain ${cell.id}`,
      });
    }
  }
  ids.forEach((id, index) => {
    if (typeof id === 'string' && id !== cell.acknowledgement) {
      findings.push({
        severity: 'warning',
        code: 'MATRIX_ACKNOWLEDGEMENT_UNUSED',
        path: ['spec', 'acknowledgements', index, 'id'],
        message: `acknowledgement ${showValue(id)} is not asked for by cell ${cell.id}`,
        hint: 'remove it',
      });
    }
  });
  if (cell.status === 'conditional' && cell.acknowledgement && !ids.includes(cell.acknowledgement)) {
    findings.push({
      severity: 'error',
      code: 'MATRIX_ACKNOWLEDGEMENT_REQUIRED',
      path: ['spec', 'acknowledgements'],
      message: `${cell.id} is conditional: ${cell.reasons.map((reason) => reason.message).join(' ')}`,
      hint: `accept it explicitly: acknowledgements: [{id: ${cell.acknowledgement}, acceptedBy: EMAIL}]`,
    });
  }
  return findings;
}
