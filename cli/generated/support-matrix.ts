// DO NOT EDIT. Generated from schemas/support-matrix.schema.json by scripts/generate.mjs (npm run generate).

/**
 * @minItems 1
 *
 * This interface was referenced by `SupportMatrix`'s JSON-Schema
 * via the `definition` "values".
 */
export type Values = [string, ...string[]];
/**
 * This interface was referenced by `SupportMatrix`'s JSON-Schema
 * via the `definition` "selectorValue".
 */
export type SelectorValue = string | [string, ...string[]];

/**
 * The support matrix data: dimensions, status rules, per-cell requirements and the public hosts an air-gapped spec may not name.
 */
export interface SupportMatrix {
  apiVersion: "installctl.dev/v1alpha1";
  kind: "SupportMatrix";
  dimensions: {
    platform: Values;
    scm: Values;
    models: Values;
    network: Values;
  };
  rules: StatusRule[];
  requirements: Requirement[];
  /**
   * Named groups of public hosts (each also covers its subdomains).
   */
  publicHosts: {
    /**
     * @minItems 1
     */
    [k: string]: [string, ...string[]] | undefined;
  };
}
/**
 * This interface was referenced by `SupportMatrix`'s JSON-Schema
 * via the `definition` "rule".
 */
export interface StatusRule {
  id: string;
  status: "unsupported" | "conditional";
  when: CellSelector;
  code: string;
  message: string;
  acknowledgement?: string;
}
/**
 * Matches cells whose dimension values equal the given value or are in the given list; absent dimensions match anything.
 *
 * This interface was referenced by `SupportMatrix`'s JSON-Schema
 * via the `definition` "selector".
 */
export interface CellSelector {
  platform?: SelectorValue;
  scm?: SelectorValue;
  models?: SelectorValue;
  network?: SelectorValue;
}
/**
 * This interface was referenced by `SupportMatrix`'s JSON-Schema
 * via the `definition` "requirement".
 */
export interface Requirement {
  id: string;
  when: CellSelector;
  message: string;
}
