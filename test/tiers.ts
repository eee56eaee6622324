/**
 * The two test tiers. `npm test` runs every file; `npm run test:unit` (vitest project "unit") runs
 * every file but these: the files that start Helm, a registry (docker-registry, skopeo), a browser
 * (chromium) or a node process of their own (the installctl binary end to end, its workers, scripts),
 * and the few in-process files that are slow by design. The unit tier's setup file
 * (test/helpers/unit-tier-guard.ts) refuses to start any of those tools, and its per-test timeout is
 * 15 s, so a new test that needs one, or is slow, fails in the unit tier until it is listed here.
 * A file that calls the usual helpers for them (runCli, the real registry, playwright, Helm) is
 * integration without being listed (integrationTests below).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const INTEGRATION_TESTS = [
  // Helm (helm template / lint through .tools/)
  'test/charts/cells.test.ts',
  'test/charts/device-plugin.test.ts',
  'test/charts/metadata-egress.test.ts',
  'test/charts/negative.test.ts',
  'test/charts/render.test.ts',
  'test/security/helm-values.test.ts',
  'test/security/values-files.test.ts',
  'test/services/render-relocate.test.ts',
  'test/stacks/database-user.test.ts',
  // registries (docker-registry, skopeo, htpasswd)
  'test/cli/bundle.test.ts',
  'test/security/registry-responses.test.ts',
  'test/services/bundle-create.test.ts',
  'test/services/bundle-push.test.ts',
  'test/services/bundle-push-faults.test.ts',
  // a browser (chromium)
  'test/conformance/heatmap.test.ts',
  'test/security/reports.test.ts',
  // node processes: the installctl binary end to end, conformance workers, scripts, tsc
  'test/charts/readme.test.ts',
  'test/cli/completion.test.ts',
  'test/cli/e2e.test.ts',
  'test/cli/help.test.ts',
  'test/cli/init-customer.test.ts',
  'test/cli/json-output.int.test.ts',
  'test/cli/output-permissions.test.ts',
  'test/cli/render-relocate.test.ts',
  'test/cli/render.test.ts',
  'test/cli/startup.test.ts',
  'test/cli/version.test.ts',
  'test/conformance/result-cache.test.ts',
  'test/conformance/run.test.ts',
  'test/conformance/workflow.test.ts',
  'test/security/bundle-tar.test.ts',
  'test/security/render-output.test.ts',
  'test/security/spec-values.test.ts',
  'test/security/terminal.test.ts',
  'test/services/conformance-merge.test.ts',
  'test/stacks/typecheck.test.ts',
  // slow by design, in-process: property-based runs, timing on 256 KiB-8 MiB inputs, Pulumi synthesis of every cell
  'test/install-spec/property.test.ts',
  'test/schema/secret-shapes-linear.test.ts',
  'test/stacks/cells.test.ts',
];

/** The unit tier's per-test timeout: a test slower than this belongs in INTEGRATION_TESTS. */
export const UNIT_TEST_TIMEOUT_MS = 15_000;

/** Calls that start the installctl binary, a real registry, a browser or Helm. */
export const INTEGRATION_CALLS: Array<[string, RegExp]> = [
  ['runCli (the installctl binary)', /\brunCli(Async)?\(/],
  ['a real registry (test/helpers/registry)', /helpers\/registry(\.js)?['"]/],
  ['a browser (playwright)', /from ['"]playwright/],
  ['Helm', /\b(helmBinaries|helmTemplate|helmLint|runHelm)\(/],
];

function testFiles(repo: string, dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(repo, path);
    return name.endsWith('.test.ts') ? [relative(repo, path)] : [];
  });
}

/** The integration files: the list above and every test file that makes one of INTEGRATION_CALLS. */
export function integrationTests(repo: string): string[] {
  const called = testFiles(repo, join(repo, 'test')).filter((file) => INTEGRATION_CALLS.some(([, pattern]) => pattern.test(readFileSync(join(repo, file), 'utf8'))));
  return [...new Set([...INTEGRATION_TESTS, ...called])].sort();
}
