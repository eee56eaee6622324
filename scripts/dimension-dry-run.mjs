#!/usr/bin/env node
// Dry run of docs-fragment-dimensions.md's checklist "Adding a dimension value": copies the repository
// (git ls-files, untracked files included) to a temp dir, adds a fake fifth SCM (azure-devops) the
// way the checklist says, regenerates, typechecks (tsc -p tsconfig.json) and runs the descriptor
// test there, then counts the files that had to change (git diff in the copy): hand-edited and
// generated separately (README.md counts as generated: only its `npm run readme` regions change,
// which test/readme.test.ts checks in the copy). Nothing in this checkout changes.
//
//   node scripts/dimension-dry-run.mjs [--keep] [--json]
//
// The edits themselves are pure functions of a file's text (SCM_EDITS below), so
// test/scripts/dimension-dry-run.test.ts runs them on the real files without copying anything.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const FAKE_SCM = { id: 'azure-devops', def: 'azureDevopsScm', title: 'AzureDevopsScm', exportName: 'azureDevops', label: 'Azure DevOps Server', saasHost: 'dev.azure.com' };

/** Files a new value's generator output lands in (counted apart from the hand-edited ones). */
export const GENERATED = [/^cli\/generated\//, /^charts\/[^/]+\/README\.md$/, /^oclif\.manifest\.json$/, /^README\.md$/];

function insertAfterLast(text, pattern, insertion) {
  const matches = [...text.matchAll(pattern)];
  const last = matches.at(-1);
  if (!last) throw new Error(`no match for ${pattern}`);
  const at = last.index + last[0].length;
  return text.slice(0, at) + insertion + text.slice(at);
}

/** The SCM's schema branch: a copy of GitLab's (url, scope list, auth, CA bundle) under its own const. */
function addScmToSchema(text) {
  const schema = JSON.parse(text);
  const defs = schema.$defs;
  defs.scm.oneOf.push({ $ref: `#/$defs/${FAKE_SCM.def}` });
  const branch = structuredClone(defs.gitlabSelfManagedScm);
  branch.title = FAKE_SCM.title;
  branch.description = `${FAKE_SCM.label}.`;
  branch.properties.type = { const: FAKE_SCM.id };
  branch.properties.auth.title = 'AzureDevopsAuth';
  const entries = Object.entries(defs);
  const at = entries.findIndex(([key]) => key === 'bitbucketDataCenterScm') + 1;
  entries.splice(at, 0, [FAKE_SCM.def, branch]);
  schema.$defs = Object.fromEntries(entries);
  return JSON.stringify(schema, null, 2) + '\n';
}

/** The matrix's value list (its cells follow from the rules), and the SaaS twin air-gapped specs may not name. */
function addScmToMatrix(text) {
  const withValue = text.replace(/^( {2}scm: \[[^\]\n]*)\]/m, `$1, ${FAKE_SCM.id}]`);
  const withHost = withValue.replace(/^( {2}scm: \[github\.com[^\]\n]*)\]/m, `$1, ${FAKE_SCM.saasHost}]`);
  if (withValue === text || withHost === withValue) throw new Error('matrix/support-matrix.yaml: scm lists not found');
  return withHost;
}

function descriptorModule() {
  return `import type { ScmDescriptor } from '../types.js';

export const ${FAKE_SCM.exportName}: ScmDescriptor<'${FAKE_SCM.id}'> = {
  id: '${FAKE_SCM.id}',
  label: '${FAKE_SCM.label}',
  emit: {
    scopes: (scm) => scm.groups,
    scopesLabel: '${FAKE_SCM.label} projects',
    serverUrl: (scm) => scm.url,
    caBundle: (scm) => scm.caBundle,
    selfManaged: { saasHost: '${FAKE_SCM.saasHost}', saasHint: "installctl supports ${FAKE_SCM.id} at the customer's own URL" },
    starterLines: ({ domain, secret, webhookSecret, caBundle }) => [
      'type: ${FAKE_SCM.id}',
      \`url: https://devops.\${domain}\`,
      'groups: [platform]',
      'auth:',
      '  method: access-token',
      \`  token: \${secret('scm-credentials', 'token')}\`,
      \`  \${webhookSecret}\`,
      ...caBundle,
    ],
  },
};
`;
}

function addScmToIndex(text) {
  const imported = insertAfterLast(text, /^import \{ \w+ \} from '\.\/[\w-]+\.js';$/gm, `\nimport { ${FAKE_SCM.exportName} } from './${FAKE_SCM.id}.js';`);
  return insertAfterLast(imported, /^ {2}'bitbucket-data-center': bitbucketDataCenter,$/gm, `\n  '${FAKE_SCM.id}': ${FAKE_SCM.exportName},`);
}

function addScmToChartSchema(text) {
  const schema = JSON.parse(text);
  schema.properties.scm.properties.type.enum.push(FAKE_SCM.id);
  return JSON.stringify(schema, null, 2) + '\n';
}

function addScmToChartValidation(text) {
  const next = text.replace(
    '"bitbucket-data-center" (list "access-token" "oauth-app")',
    `"bitbucket-data-center" (list "access-token" "oauth-app") "${FAKE_SCM.id}" (list "access-token" "oauth-app")`,
  );
  if (next === text) throw new Error('_validate.tpl: auth methods not found');
  return next;
}

function addScmToChartConfig(text) {
  const next = text
    .replace(
      '"bitbucket-data-center" (printf "%s/rest/api/1.0" $scmUrl))',
      `"bitbucket-data-center" (printf "%s/rest/api/1.0" $scmUrl) "${FAKE_SCM.id}" (printf "%s/_apis" $scmUrl))`,
    )
    .replace('"bitbucket-data-center" "projects")', `"bitbucket-data-center" "projects" "${FAKE_SCM.id}" "groups")`);
  if (next === text) throw new Error('configmaps.yaml: SCM tables not found');
  return next;
}

function addScmToChartValues(text) {
  const next = text.replace(
    '# github | github-enterprise-server | gitlab-self-managed | bitbucket-data-center',
    `# github | github-enterprise-server | gitlab-self-managed | bitbucket-data-center | ${FAKE_SCM.id}`,
  );
  if (next === text) throw new Error('values.yaml: the scm.type comment not found');
  return next;
}

/**
 * The checklist's hand edits for a fifth SCM, in order: path, why, and the edit (text -> text;
 * null text: a new file). docs-fragment-dimensions.md lists the same paths.
 */
export const SCM_EDITS = [
  { path: 'schemas/install.schema.json', why: 'the value and its spec block (source of the value list)', edit: addScmToSchema },
  { path: 'matrix/support-matrix.yaml', why: 'the matrix value list and its SaaS host', edit: addScmToMatrix },
  { path: `cli/dimensions/scms/${FAKE_SCM.id}.ts`, why: 'the descriptor (emit and check knowledge)', edit: () => descriptorModule() },
  { path: 'cli/dimensions/scms/index.ts', why: 'the exhaustive map', edit: addScmToIndex },
  { path: 'charts/agent-platform/values.schema.json', why: "the chart's scm.type enum", edit: addScmToChartSchema },
  { path: 'charts/agent-platform/templates/_validate.tpl', why: 'auth methods the product supports', edit: addScmToChartValidation },
  { path: 'charts/agent-platform/templates/configmaps.yaml', why: "the product's API URL and scope key", edit: addScmToChartConfig },
  { path: 'charts/agent-platform/values.yaml', why: 'the scm.type comment', edit: addScmToChartValues },
];

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

function main() {
  const keep = process.argv.includes('--keep');
  const json = process.argv.includes('--json');
  const dir = copyCheckout();
  const log = (line) => json || console.error(line);
  try {
    log(`copy: ${dir}`);
    applyEdits(
      SCM_EDITS,
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
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], dir);
    log('vitest run test/dimensions test/readme.test.ts');
    run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/dimensions', 'test/readme.test.ts'], dir, { env: { ...process.env, CI: '1' } });
    run('git', ['add', '-A', '-N'], dir);
    const changed = run('git', ['diff', '--name-only'], dir).split('\n').filter(Boolean).sort();
    const counts = classify(changed);
    if (json) console.log(JSON.stringify({ value: `scm ${FAKE_SCM.id}`, ...counts }, null, 2));
    else {
      console.log(`fifth SCM (${FAKE_SCM.id}): ${counts.handEdited.length} hand-edited non-test files, ${counts.generated.length} generated`);
      for (const path of counts.handEdited) console.log(`  edit       ${path}`);
      for (const path of counts.generated) console.log(`  generated  ${path}`);
    }
    return counts.handEdited.length <= 8 ? 0 : 1;
  } catch (error) {
    console.error(`dry run failed in ${dir}: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    return 2;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
