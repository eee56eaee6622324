/**
 * The support-matrix engine: evaluates the rules in matrix/support-matrix.yaml over every
 * combination of the four dimensions. Rules and requirements are data; this file only knows how
 * to match a selector and rank statuses, so changing what is supported never needs code.
 */
import { parse } from 'yaml';
import type { CellSelector, SupportMatrix } from '../generated/support-matrix.js';
import validateSupportMatrix from '../generated/support-matrix.validator.js';
import shippedMatrixData from '../../matrix/support-matrix.yaml';

export const DIMENSIONS = ['platform', 'scm', 'models', 'network'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Coordinates = Record<Dimension, string>;
export type CellStatus = 'supported' | 'conditional' | 'unsupported';
export const STATUSES: readonly CellStatus[] = ['supported', 'conditional', 'unsupported'];

export interface Reason {
  code: string;
  message: string;
}

export interface CellRequirement {
  id: string;
  /** The issue code validate reports when a spec in this cell does not meet the requirement. */
  code: string;
  message: string;
}

export interface Cell extends Coordinates {
  /** platform/scm/models/network, e.g. aws/github/saas-api/air-gapped */
  id: string;
  status: CellStatus;
  reasons: Reason[];
  requires: CellRequirement[];
  /** The acknowledgement id a spec must carry (conditional cells), else null. */
  acknowledgement: string | null;
}

export interface Alternative {
  cell: Cell;
  /** The dimensions that differ from the rejected cell. */
  changed: Dimension[];
}

export function cellId(coordinates: Coordinates): string {
  return DIMENSIONS.map((dimension) => coordinates[dimension]).join('/');
}

export function requirementCode(id: string): string {
  return `REQUIRE_${id.toUpperCase().replace(/-/g, '_')}`;
}

function matches(selector: CellSelector, coordinates: Coordinates): boolean {
  return DIMENSIONS.every((dimension) => {
    const wanted = selector[dimension];
    if (wanted === undefined) return true;
    return Array.isArray(wanted) ? wanted.includes(coordinates[dimension]) : wanted === coordinates[dimension];
  });
}

export class SupportMatrixModel {
  private readonly cellList: Cell[];
  private readonly byId: Map<string, Cell>;

  constructor(readonly data: SupportMatrix) {
    checkConsistency(data);
    this.cellList = enumerate(data).map((coordinates) => evaluate(data, coordinates));
    this.byId = new Map(this.cellList.map((cell) => [cell.id, cell]));
  }

  get dimensions(): Record<Dimension, string[]> {
    return this.data.dimensions;
  }

  cells(): readonly Cell[] {
    return this.cellList;
  }

  cell(idOrCoordinates: string | Coordinates): Cell | undefined {
    return this.byId.get(typeof idOrCoordinates === 'string' ? idOrCoordinates : cellId(idOrCoordinates));
  }

  /** Supported cells reachable by changing the fewest dimensions (all ties, in matrix order). */
  nearestSupported(from: Coordinates): Alternative[] {
    let best = Infinity;
    let found: Alternative[] = [];
    for (const cell of this.cellList) {
      if (cell.status !== 'supported') continue;
      const changed = DIMENSIONS.filter((dimension) => cell[dimension] !== from[dimension]);
      if (changed.length === 0) continue;
      if (changed.length < best) [best, found] = [changed.length, []];
      if (changed.length === best) found.push({ cell, changed });
    }
    return found;
  }

  /** Every public host an air-gapped spec may not name (subdomains included). */
  publicHosts(): string[] {
    return Object.values(this.data.publicHosts).flatMap((hosts) => hosts ?? []);
  }
}

function enumerate(data: SupportMatrix): Coordinates[] {
  const out: Coordinates[] = [];
  const { platform, scm, models, network } = data.dimensions;
  for (const p of platform) for (const s of scm) for (const m of models) for (const n of network) out.push({ platform: p, scm: s, models: m, network: n });
  return out;
}

function evaluate(data: SupportMatrix, coordinates: Coordinates): Cell {
  const matching = data.rules.filter((rule) => matches(rule.when, coordinates));
  const unsupported = matching.filter((rule) => rule.status === 'unsupported');
  const conditional = matching.filter((rule) => rule.status === 'conditional');
  const decisive = unsupported.length > 0 ? unsupported : conditional;
  const status: CellStatus = unsupported.length > 0 ? 'unsupported' : conditional.length > 0 ? 'conditional' : 'supported';
  return {
    id: cellId(coordinates),
    ...coordinates,
    status,
    reasons: decisive.map((rule) => ({ code: rule.code, message: rule.message.trim() })),
    requires:
      status === 'unsupported'
        ? []
        : data.requirements
            .filter((requirement) => matches(requirement.when, coordinates))
            .map((requirement) => ({ id: requirement.id, code: requirementCode(requirement.id), message: requirement.message })),
    acknowledgement: status === 'conditional' ? (conditional.find((rule) => rule.acknowledgement)?.acknowledgement ?? null) : null,
  };
}

/** Data errors the schema cannot express: selector values outside the dimensions, duplicate ids. */
export function checkConsistency(data: SupportMatrix): void {
  const problems: string[] = [];
  const ids = new Set<string>();
  const selectors = [...data.rules.map((rule) => ({ id: rule.id, when: rule.when })), ...data.requirements.map((requirement) => ({ id: requirement.id, when: requirement.when }))];
  for (const { id, when } of selectors) {
    if (ids.has(id)) problems.push(`duplicate id ${id}`);
    ids.add(id);
    for (const dimension of DIMENSIONS) {
      const wanted = when[dimension];
      for (const value of wanted === undefined ? [] : Array.isArray(wanted) ? wanted : [wanted]) {
        if (!data.dimensions[dimension].includes(value)) problems.push(`${id}: ${dimension} value '${value}' is not a dimension value`);
      }
    }
  }
  for (const rule of data.rules) {
    if (rule.status === 'conditional' && !rule.acknowledgement) problems.push(`${rule.id}: a conditional rule needs an acknowledgement id`);
  }
  if (problems.length) throw new Error(`support matrix data is inconsistent: ${problems.join('; ')}`);
}

/** Parses and schema-checks support-matrix YAML; throws with every schema error on bad data. */
export function parseSupportMatrix(text: string): SupportMatrixModel {
  return loadSupportMatrixData(parse(text) as unknown);
}

export function loadSupportMatrixData(data: unknown): SupportMatrixModel {
  if (!validateSupportMatrix(data)) {
    const errors = (validateSupportMatrix.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
    throw new Error(`support matrix data does not match schemas/support-matrix.schema.json: ${errors.join('; ')}`);
  }
  return new SupportMatrixModel(data as SupportMatrix);
}

let shipped: SupportMatrixModel | undefined;

/** The support matrix shipped in matrix/support-matrix.yaml (loaded once per process). */
export function supportMatrix(): SupportMatrixModel {
  shipped ??= loadSupportMatrixData(shippedMatrixData);
  return shipped;
}
