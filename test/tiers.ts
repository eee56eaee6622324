/**
 * The two test tiers, chosen by file name (vitest projects in vitest.config.ts). A file named
 * `*.int.test.ts` is integration: it starts Helm, a registry (docker-registry, skopeo), a browser
 * (chromium) or a node process of its own (the installctl binary end to end, its workers, scripts,
 * tsc), or is slow by design (property-based runs, timing on 256 KiB-8 MiB inputs, Pulumi synthesis
 * of every cell). Every other `*.test.ts` is unit: in-process, under a setup file
 * (test/helpers/unit-tier-guard.ts) that refuses those tools, with a 15 s per-test timeout. `npm test`
 * runs both; `npm run test:unit` the unit project alone. test/tiers.test.ts fails when a unit file
 * calls the usual helpers for the tools (INTEGRATION_CALLS below). The name alone decides: there is
 * no list of integration files to keep in step.
 */

export const TEST_FILES = 'test/**/*.test.ts';
export const INTEGRATION_SUFFIX = '.int.test.ts';
export const INTEGRATION_FILES = `test/**/*${INTEGRATION_SUFFIX}`;

/** The unit tier's per-test timeout: a test slower than this belongs in a `*.int.test.ts` file. */
export const UNIT_TEST_TIMEOUT_MS = 15_000;

/** Calls that start the installctl binary, a real registry, a browser or Helm: only in integration files. */
export const INTEGRATION_CALLS: Array<[string, RegExp]> = [
  ['runCli (the installctl binary)', /\brunCli(Async)?\(/],
  ['a real registry (test/helpers/registry)', /helpers\/registry(\.js)?['"]/],
  ['a browser (playwright)', /from ['"]playwright/],
  ['Helm', /\b(helmBinaries|helmTemplate|helmLint|runHelm)\(/],
];

/** Whether a test file (path relative to the repository) runs in the integration project. */
export function isIntegrationTest(file: string): boolean {
  return file.endsWith(INTEGRATION_SUFFIX);
}
