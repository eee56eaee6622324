/**
 * registry-login over every supported cell: each RUNBOOK.md command that talks to a registry comes
 * after a login to that host in the same section. Today's main runbooks (oras pull and helm oci://
 * with no login) are the broken shape.
 */
import { describe, expect, it } from 'vitest';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { checkedStarterSpec } from '../../cli/emit/starter-spec-check.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { renderFiles } from '../../cli/emit/render-files.js';
import { checkRunbookRegistryLogins, registryUse, shellWords } from '../../cli/conformance/runbook-registry-login.js';

const cells = supportMatrix()
  .cells()
  .filter((cell) => cell.status !== 'unsupported');

function runbookOf(cell: (typeof cells)[number]): string {
  const { spec } = checkedStarterSpec(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: 'install.schema.json' }, 'spec.yaml');
  const loaded = checkSpecText('spec.yaml', spec);
  const files = renderFiles('spec.yaml', spec, loaded.install!, settingsFor(loaded.install!, loaded.cell!), loaded.cell!.status);
  return files.get('RUNBOOK.md')!.toString();
}

describe('registry-login', () => {
  it.each(cells.map((cell) => [cell.id, cell] as const))('%s: every registry command follows a login to its host', (_, cell) => {
    expect(checkRunbookRegistryLogins(runbookOf(cell))).toEqual([]);
  });

  it("flags today's main shape: oras pull and helm oci:// without a login", () => {
    const main = [
      '## 2. Infrastructure (Pulumi)',
      '```sh',
      'oras pull 123456789012.dkr.ecr.us-east-1.amazonaws.com/installctl/installctl/pulumi-plugins:2026.11.0 -o ../plugins   # the provider plugin archives',
      '```',
      '## 8. Install the charts (Helm)',
      '```sh',
      'aws ecr get-login-password --region us-east-1 | oras login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com',
      'helm upgrade --install agent-platform oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/installctl/charts/agent-platform --version 1.0.0 --wait',
      '```',
    ].join('\n');
    const violations = checkRunbookRegistryLogins(main);
    expect(violations.map((v) => [v.policy, v.resource])).toEqual([
      ['registry-login', 'RUNBOOK.md "2. Infrastructure (Pulumi)"'],
      ['registry-login', 'RUNBOOK.md "8. Install the charts (Helm)"'],
    ]);
    expect(violations[1]!.message).toContain('no helm registry login');
  });

  it('a login in another section does not count, nor one to another host', () => {
    const text = [
      '## 1. A',
      '```sh',
      'gcloud auth print-access-token | helm registry login -u oauth2accesstoken --password-stdin us-docker.pkg.dev',
      '```',
      '## 2. B',
      '```sh',
      'gcloud auth print-access-token | helm registry login -u oauth2accesstoken --password-stdin europe-docker.pkg.dev',
      'helm pull oci://us-docker.pkg.dev/p/r/charts/x --version 1',
      '```',
    ].join('\n');
    expect(checkRunbookRegistryLogins(text)).toHaveLength(1);
  });

  it.each([
    ["oras pull 'registry.acme.internal/installctl/x:1' -o d", { kind: 'use', store: 'docker', host: 'registry.acme.internal' }],
    ['skopeo copy docker://registry.acme.internal/a:1 dir:/tmp/a', { kind: 'use', store: 'docker', host: 'registry.acme.internal' }],
    ['crane pull registry.acme.internal:5000/a:1 a.tar', { kind: 'use', store: 'docker', host: 'registry.acme.internal:5000' }],
    ['docker pull registry.acme.internal/a:1', { kind: 'use', store: 'docker', host: 'registry.acme.internal' }],
    ['az acr login --name acmeagents', { kind: 'login', store: 'docker', host: 'acmeagents.azurecr.io' }],
    ['helm upgrade --install x aws-load-balancer-controller --repo https://aws.github.io/eks-charts', null],
  ] as const)('reads %s', (line, use) => {
    expect(registryUse(shellWords(line))).toEqual(use);
  });
});

describe('validate-layer policies in the validate stage', () => {
  it('fail on their warnings too, named by policy id; other warnings pass', async () => {
    const { validateStageFailures } = await import('../../cli/conformance/validate-policies.js');
    expect(
      validateStageFailures([
        { severity: 'warning', code: 'RULE_PLACEHOLDER', path: 'spec.scm.url' },
        { severity: 'warning', code: 'RULE_GPU_DEMAND_NEEDS_SCALE_UP', path: 'spec.models.gpuPool.minNodes' },
        { severity: 'warning', code: 'RULE_KUBERNETES_EXTENDED_SUPPORT', path: 'spec.platform.kubernetesVersion' },
        { severity: 'error', code: 'SCHEMA_ENUM', path: 'spec.platform.type' },
      ]),
    ).toEqual([
      'gpu-demand: RULE_GPU_DEMAND_NEEDS_SCALE_UP at spec.models.gpuPool.minNodes',
      'kubernetes-support: RULE_KUBERNETES_EXTENDED_SUPPORT at spec.platform.kubernetesVersion',
      'SCHEMA_ENUM at spec.platform.type',
    ]);
  });
});
