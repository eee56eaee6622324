/**
 * One source of truth for the PostgreSQL user of IAM database authentication: per cloud, the user
 * the agent-platform chart connects as (rendered with the customer values and the synthesized
 * infrastructure values layer) is exactly the principal the stack grants database access to.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import type { Synthesis } from '../../cli/conformance/pulumi/types.js';
import { helmBinaries } from '../../cli/conformance/helm/binaries.js';
import { helmTemplate, parseManifests } from '../../cli/conformance/helm/helm.js';
import { chartDir } from '../../cli/emit/charts.js';
import { podTemplates } from '../../cli/conformance/helm/pods.js';
import { AWS_DATABASE_APP_USER } from '../../stacks/decisions/datastores.js';
import { cloudSqlIamUser } from '../../stacks/gcp/identity.js';
import { azureIdentityName } from '../../stacks/azure/identity.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { renderCell } from '../helpers/cells.js';

const ofType = (synthesis: Synthesis, type: string) => synthesis.resources.filter((resource) => resource.type === type);

/** The database principals the cloud grants the platform identity. */
const granted: Record<'aws' | 'gcp' | 'azure', (synthesis: Synthesis) => string[]> = {
  aws: (synthesis) =>
    ofType(synthesis, 'aws:iam/rolePolicy:RolePolicy').flatMap((policy) =>
      (JSON.parse(policy.inputs.policy).Statement as Array<{ Action: string[]; Resource: string[] }>)
        .filter((statement) => statement.Action.includes('rds-db:connect'))
        .flatMap((statement) => statement.Resource.map((arn) => arn.split('/').pop()!)),
    ),
  gcp: (synthesis) => {
    const platformEmail = (synthesis.outputs.outputs as { serviceAccountEmails: Record<string, string> }).serviceAccountEmails[synthesis.settings.workloads.serviceAccounts.platform]!;
    const users = ofType(synthesis, 'gcp:sql/user:User').filter((user) => user.inputs.type === 'CLOUD_IAM_SERVICE_ACCOUNT');
    expect(users.map((user) => user.inputs.name)).toEqual([cloudSqlIamUser(platformEmail)]);
    return users.map((user) => user.inputs.name);
  },
  azure: (synthesis) => {
    const admins = ofType(synthesis, 'azure-native:dbforpostgresql:Administrator');
    expect(admins.map((admin) => admin.inputs.principalName)).toEqual([azureIdentityName(synthesis.settings.name, synthesis.settings.workloads.serviceAccounts.platform)]);
    return admins.map((admin) => admin.inputs.principalName);
  },
};

describe('the database user the chart connects as is the principal the cloud grants', () => {
  it.each(['aws', 'gcp', 'azure'] as const)('%s', async (cloud) => {
    const rendered = renderCell(supportMatrix().cell(`${cloud}/github/saas-api/connected`)!);
    const synthesis = await synthesizeProject(join(rendered.dir, 'pulumi'));
    expect(synthesis.errors).toEqual([]);
    expect(synthesis.settings.datastores.postgres).toBe('managed');
    const principals = granted[cloud](synthesis);
    expect(principals).toHaveLength(1);
    if (cloud === 'aws') expect(principals).toEqual([AWS_DATABASE_APP_USER]);

    const infra = synthesis.outputs.agentPlatformValues as { postgres?: { user?: string } };
    expect(infra.postgres?.user).toBe(principals[0]);
    const infraFile = join(rendered.dir, 'helm', 'agent-platform.infra.values.json');
    writeFileSync(infraFile, JSON.stringify(infra));
    expect(readFileSync(join(rendered.dir, 'helm', 'agent-platform.values.yaml'), 'utf8')).not.toMatch(/^\s+user:/m);

    const [helm] = await helmBinaries(['4']);
    const result = await helmTemplate({ helm: helm!.path, chartDir: chartDir('agent-platform'), valuesFiles: [join(rendered.dir, 'helm', 'agent-platform.values.yaml'), infraFile], releaseName: 'agent-platform', namespace: synthesis.settings.workloads.platformNamespace });
    expect(result.ok, result.stderr).toBe(true);
    const users = podTemplates(parseManifests(result.stdout)).flatMap((template) =>
      [...(template.spec.initContainers ?? []), ...(template.spec.containers ?? [])].flatMap((container) => (container.env ?? []).filter((env) => env.name === 'DATABASE_USER').map((env) => ({ owner: template.owner, value: env.value }))),
    );
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) expect(user, user.owner).toEqual({ owner: user.owner, value: principals[0] });
  }, 120_000);
});
