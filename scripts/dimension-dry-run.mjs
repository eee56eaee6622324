#!/usr/bin/env node
// Dry run of ARCHITECTURE.md's checklist "Adding a dimension value": copies the repository
// (git ls-files, untracked files included) to a temp dir, adds a fake fifth value the way the
// checklist says, regenerates, typechecks and runs the value-driven tests there, then counts the
// files that had to change (git diff in the copy): hand-edited non-test files, test files and
// generated files separately (README.md counts as generated: only its `npm run readme` regions
// change, which test/readme.test.ts checks in the copy). Nothing in this checkout changes.
//
//   node scripts/dimension-dry-run.mjs [--platform] [--keep] [--json]
//
// Default: a fifth SCM (azure-devops), held to the goal of <= 8 hand-edited files
// (tsc -p tsconfig.json, test/dimensions, test/readme.test.ts).
// --platform: a fifth platform (oci), measured only. It makes the least real content that compiles
// (tsconfig.json and tsconfig.test.json) and passes the unit tests of test/dimensions, readme,
// architecture, install-spec, schema, lib, conformance and stacks: the schema branch, the matrix
// value, the descriptor, the stacks' settings, every exhaustive Record and switch the compiler
// flags, the charts' global.platform enums, a mock cloud module and a stack component. It leaves
// out, and says so in the code: real Pulumi components (OciInstall creates nothing; the mock cloud
// module fails any synthesis, so conformance of an oci cell is red), the @pulumi/oci provider
// package, GPU presets and a cloud model service (so the descriptor says managedKubernetes: false
// and the matrix treats its cloud-managed cells like onprem's), the charts' oci branches (identity
// annotations, ingress), and the cell tests that list values on purpose (test/emit/runbook-sections,
// test/matrix/engine, the stack goldens), which are not run.
//
// The edits themselves are pure functions of a file's text (SCM_EDITS in dimension-dry-run/scm.mjs,
// PLATFORM_EDITS in dimension-dry-run/platform.mjs, re-exported here), so
// test/scripts/dimension-dry-run.test.ts runs them on the real files without copying anything.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_PLATFORM, PLATFORM_EDITS } from './dimension-dry-run/platform.mjs';
import { FAKE_SCM, SCM_EDITS } from './dimension-dry-run/scm.mjs';

export { FAKE_PLATFORM, FAKE_SCM, PLATFORM_EDITS, SCM_EDITS };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Files a new value's generator output lands in (counted apart from the hand-edited ones). */
export const GENERATED = [/^cli\/generated\//, /^charts\/[^/]+\/README\.md$/, /^oclif\.manifest\.json$/, /^README\.md$/];

/** Applies edits to the tree at `dir` (read and written through the callbacks, so a test can keep it in memory). */
export function applyEdits(edits, read, write) {
  for (const { path, edit } of edits) write(path, edit(read(path)));
}

function run(command, args, cwd, options = {}) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...options });
}

/** Copies the checkout (tracked and untracked, not ignored) to a fresh git repository in a temp dir. */
function copyCheckout() {
  const dir = mkdtempSync(join(tmpdir(), 'dimension-dry-run-'));
  const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root)
    .split('\0')
    .filter((file) => file && file !== 'node_modules');
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(root, file), join(dir, file));
    } catch (error) {
      // A file deleted but not yet staged: the copy mirrors the working tree.
      if (error.code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const git = (...args) => run('git', ['-c', 'user.name=dry-run', '-c', 'user.email=dry-run@example.invalid', ...args], dir);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'baseline');
  return dir;
}

export function classify(paths) {
  const generated = paths.filter((path) => GENERATED.some((pattern) => pattern.test(path)));
  const handEdited = paths.filter((path) => !generated.includes(path));
  return { handEdited: handEdited.filter((path) => !path.startsWith('test/')), tests: handEdited.filter((path) => path.startsWith('test/')), generated };
}

/**
 * The two scenarios: the edits, the vitest files run in the copy, whether tsconfig.test.json is
 * typechecked too (a minute more), and the goal the hand-edited count is held to (null: none, only measured).
 */
export const SCENARIOS = {
  scm: { value: `scm ${FAKE_SCM.id}`, title: `fifth SCM (${FAKE_SCM.id})`, edits: SCM_EDITS, tests: ['test/dimensions', 'test/readme.test.ts'], testTsconfig: false, goal: 8 },
  platform: {
    value: `platform ${FAKE_PLATFORM.id}`,
    title: `fifth platform (${FAKE_PLATFORM.id})`,
    edits: PLATFORM_EDITS,
    tests: ['test/dimensions', 'test/readme.test.ts', 'test/architecture.test.ts', 'test/install-spec', 'test/schema', 'test/lib', 'test/conformance', 'test/stacks'],
    testTsconfig: true,
    goal: null,
  },
};

function main() {
  const keep = process.argv.includes('--keep');
  const json = process.argv.includes('--json');
  const scenario = SCENARIOS[process.argv.includes('--platform') ? 'platform' : 'scm'];
  const dir = copyCheckout();
  const log = (line) => json || console.error(line);
  const tsc = (project) => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--noEmit'], dir);
  try {
    log(`copy: ${dir}`);
    applyEdits(
      scenario.edits,
      (path) => {
        try {
          return readFileSync(join(dir, path), 'utf8');
        } catch {
          return null;
        }
      },
      (path, text) => {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      },
    );
    log('npm run generate');
    run(process.execPath, ['scripts/generate.mjs'], dir);
    log('node scripts/chart-readme.mjs');
    run(process.execPath, ['scripts/chart-readme.mjs'], dir);
    log('npm run readme');
    run(process.execPath, ['scripts/build.mjs'], dir);
    run(process.execPath, ['scripts/update-readme.mjs'], dir);
    log('tsc -p tsconfig.json --noEmit');
    tsc('tsconfig.json');
    if (scenario.testTsconfig) {
      log('tsc -p tsconfig.test.json --noEmit');
      tsc('tsconfig.test.json');
    }
    log(`vitest run --project unit ${scenario.tests.join(' ')}`);
    run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'unit', ...scenario.tests], dir, { env: { ...process.env, CI: '1' } });
    run('git', ['add', '-A', '-N'], dir);
    const changed = run('git', ['diff', '--name-only'], dir).split('\n').filter(Boolean).sort();
    const counts = classify(changed);
    if (json) console.log(JSON.stringify({ value: scenario.value, ...counts }, null, 2));
    else {
      console.log(`${scenario.title}: ${counts.handEdited.length} hand-edited non-test files, ${counts.tests.length} test files, ${counts.generated.length} generated`);
      for (const path of counts.handEdited) console.log(`  edit       ${path}`);
      for (const path of counts.tests) console.log(`  test       ${path}`);
      for (const path of counts.generated) console.log(`  generated  ${path}`);
    }
    return scenario.goal === null || counts.handEdited.length <= scenario.goal ? 0 : 1;
  } catch (error) {
    console.error(`dry run failed in ${dir}: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    return 2;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
