// Types of scripts/chart-readme.mjs for the TypeScript tests.
export const BEGIN: string;
export const END: string;
/** Rows [key, type, default, description] for every documented value. */
export function valueRows(schema: object, values: unknown): Array<[string, string, string, string]>;
export function valuesTable(chartDir: string): string;
export function withTable(readme: string, table: string): string;
export const CHART_DIRS: string[];
/** Each chart's README.md with its values table regenerated: { path: content }. */
export function chartReadmeFiles(read?: (path: string) => string): Promise<Record<string, string>>;
