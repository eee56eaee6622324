// The hand edits of ARCHITECTURE.md's checklist for a fifth SCM (azure-devops), as pure functions of
// a file's text: run by scripts/dimension-dry-run.mjs in a temp copy, and by its test on the real files.
import { insertAfterLast } from './text.mjs';

export const FAKE_SCM = { id: 'azure-devops', def: 'azureDevopsScm', title: 'AzureDevopsScm', exportName: 'azureDevops', label: 'Azure DevOps Server', saasHost: 'dev.azure.com' };

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
 * null text: a new file). ARCHITECTURE.md lists the same paths.
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
