/**
 * The starter spec for a cell as init writes it, checked the way validate checks a file: a starter
 * spec that does not validate is a bug in the template (starter-spec.ts), except where the spec
 * refuses the --customer text, the one free-text value init puts in. Init (services/init.ts) and
 * conformance's init stage both call this.
 */
import type { Cell } from '../matrix/engine.js';
import type { Issue } from '../schema/issue.js';
import { checkSpecText } from '../install-spec/load-spec.js';
import { renderTemplate, type TemplateOptions } from './starter-spec.js';

/** Where a starter spec points its yaml-language-server $schema comment unless it is written beside the package. */
export const SCHEMA_URL = 'https://installctl.dev/schemas/install.schema.json';

/** The spec refused the --customer text at metadata.customer: the flag's fault, for the caller to word. */
export class StarterCustomerRefused extends Error {
  constructor(readonly issue: Issue) {
    super(`the starter spec refuses the customer name: ${issue.message} (${issue.code})`);
    this.name = 'StarterCustomerRefused';
  }
}

export interface CheckedStarterSpec {
  spec: string;
  /** What validate says of the spec as written (placeholder warnings only). */
  warnings: Issue[];
}

/** Renders and checks the starter spec; file names it in the check's messages. */
export function checkedStarterSpec(cell: Cell, options: TemplateOptions, file: string): CheckedStarterSpec {
  const spec = renderTemplate(cell, options);
  const check = checkSpecText(file, spec, { now: options.now });
  if (check.exitCode !== 0) {
    // --customer is the one free-text value: whatever the spec refuses there is the flag's fault.
    const customer = check.issues.find((issue) => issue.severity === 'error' && issue.path === 'metadata.customer');
    if (customer) throw new StarterCustomerRefused(customer);
    const first = check.issues.find((issue) => issue.severity === 'error');
    throw new Error(`the starter spec for ${cell.id} does not validate: ${first?.code} at ${first?.path}: ${first?.message}`);
  }
  return { spec, warnings: check.issues };
}
