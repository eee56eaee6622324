/** `installctl init`: a complete, commented starter spec for one support-matrix cell. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { UserError } from '../lib/errors.js';
import { packageRoot } from '../lib/package-root.js';
import type { Issue } from '../schema/issue.js';
import { showValue } from '../schema/show-value.js';
import { supportMatrix, type Cell, type Coordinates } from '../matrix/engine.js';
import { cellJson, explainCell, listCells, type CellJson } from './matrix.js';
import { checkedStarterSpec, SCHEMA_URL, StarterCustomerRefused } from '../emit/starter-spec-check.js';
import type { TemplateOptions } from '../emit/starter-spec.js';

export interface InitOptions extends Coordinates {
  name: string;
  customer: string;
  /** Write here instead of returning the text only. */
  out?: string;
  force?: boolean;
}

export interface InitResult {
  cell: CellJson;
  /** The file written, or null when the spec goes to stdout. */
  file: string | null;
  spec: string;
  /** What validate says of the starter spec as written (placeholder warnings only). */
  warnings: Issue[];
}

const NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

export function init(options: InitOptions): InitResult {
  listCells({ platform: [options.platform], scm: [options.scm], models: [options.models], network: [options.network] });
  if (!NAME.test(options.name)) {
    throw new UserError(`invalid --name ${showValue(options.name)}`, {
      code: 'INIT_INVALID_NAME',
      hint: 'a DNS-1123 label of at most 40 characters: lowercase letters, digits and -, starting with a letter',
    });
  }
  const cell = supportMatrix().cell(options)!;
  if (cell.status === 'unsupported') {
    const { alternatives } = explainCell(cell.id);
    throw new UserError(`${cell.id} is not supported: ${cell.reasons.map((reason) => `${reason.message} (${reason.code})`).join(' ')}`, {
      code: 'MATRIX_UNSUPPORTED',
      hint: `nearest supported cells: ${alternatives.map((alternative) => alternative.id).join(', ')}; see installctl matrix explain ${cell.id}`,
      details: { cell: cellJson(cell), alternatives },
    });
  }

  let file: string | null = null;
  let schemaLocation = SCHEMA_URL;
  if (options.out) {
    file = resolve(options.out);
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new UserError(`${options.out} is a directory`, { code: 'FILE_IS_DIRECTORY', hint: 'give a file path, e.g. --out specs/acme-prod.yaml' });
    }
    if (existsSync(file) && !options.force) {
      throw new UserError(`${options.out} already exists`, { code: 'FILE_EXISTS', hint: 'pass --force to overwrite it, or choose another path' });
    }
    if (!existsSync(dirname(file))) {
      throw new UserError(`the directory of ${options.out} does not exist`, { code: 'FILE_NOT_FOUND', hint: 'create the directory first' });
    }
    schemaLocation = relative(dirname(file), join(packageRoot(), 'schemas', 'install.schema.json'))
      .split(sep)
      .join('/');
  }

  const { spec, warnings } = starterSpec(cell, { name: options.name, customer: options.customer, schemaLocation, now: new Date() }, file ?? '<init>');
  if (file) writeFileAtomic(file, spec);
  return { cell: cellJson(cell), file, spec, warnings };
}

/** The checked starter spec; a --customer the spec refuses is the flag's fault (INIT_INVALID_CUSTOMER). */
function starterSpec(cell: Cell, options: TemplateOptions, file: string): { spec: string; warnings: Issue[] } {
  try {
    return checkedStarterSpec(cell, options, file);
  } catch (error) {
    throw error instanceof StarterCustomerRefused ? invalidCustomer(error.issue) : error;
  }
}

/** Hints for --customer by the code the spec check gave metadata.customer (its own hints speak of spec files). */
const CUSTOMER_HINTS: Record<string, string> = {
  SCHEMA_RANGE: 'give the display name, 1 to 100 characters, e.g. --customer "Acme Corp"',
  VALUE_WHITESPACE: 'remove the leading and trailing spaces',
  VALUE_CONTROL_CHARACTER: 'use printable characters only: no tabs, line breaks, escape sequences or invisible characters',
  SECRET_LITERAL: 'the customer name is tagged onto every cloud resource; never put a credential in it (and rotate one that was typed here)',
};

function invalidCustomer(issue: Issue): UserError {
  return new UserError(`invalid --customer: ${issue.message} (${issue.code})`, {
    code: 'INIT_INVALID_CUSTOMER',
    hint: CUSTOMER_HINTS[issue.code] ?? issue.hint ?? 'give the customer display name, e.g. --customer "Acme Corp"',
  });
}
