import { describe, expect, it } from 'vitest';
import { checkRunbookCreatesReferences, runbookCreates } from '../../cli/conformance/runbook-creates-references.js';
import { preflightRequirements } from '../../cli/preflight/requirements.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { renderableCells } from '../helpers/cells.js';
import { checkedStarterSpec, SCHEMA_URL } from '../../cli/emit/starter-spec-check.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { settingsFor } from '../../cli/emit/settings.js';
import { renderFiles } from '../../cli/emit/render-files.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/cli.js';

/** Every runnable cell's starter spec and every example, rendered in memory. */
function specs(): Array<{ name: string; text: string }> {
  const starters = renderableCells().map((cell) => ({
    name: cell.id,
    text: checkedStarterSpec(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: SCHEMA_URL }, '<init>').spec,
  }));
  const examples = readdirSync(join(REPO, 'examples')).map((file) => ({ name: `examples/${file}`, text: readFileSync(join(REPO, 'examples', file), 'utf8') }));
  return [...starters, ...examples];
}

const fence = (...lines: string[]) => ['## Secrets', '```sh', ...lines, '```'].join('\n');
const ref = (name: string, keys: string[], namespace = 'acme-prod-platform') => ({ namespace, name, keys, usedBy: ['agent-platform: redis.credentials'] });

describe('runbook-creates-references', () => {
  it('reads what kubectl create secret/configmap makes, with keys, per namespace', () => {
    const created = runbookCreates(
      fence(
        "kubectl -n acme-prod-platform create secret generic 'acme-prod-redis' --from-file=password=secrets/redis-password --dry-run=client -o yaml | kubectl apply -f -",
        'kubectl -n acme-prod-models create secret docker-registry registry-pull --from-file=.dockerconfigjson=x.json',
        'kubectl -n acme-prod-platform create configmap acme-root-ca --from-file=ca.crt=trust/ca.crt',
      ),
    );
    expect(created.map((object) => [object.kind, object.namespace, object.name, [...object.keys]])).toEqual([
      ['secret', 'acme-prod-platform', 'acme-prod-redis', ['password']],
      ['secret', 'acme-prod-models', 'registry-pull', ['.dockerconfigjson']],
      ['configmap', 'acme-prod-platform', 'acme-root-ca', ['ca.crt']],
    ]);
  });

  it('fails a reference no step creates (the Azure Managed Redis shape before the fix), a missing key, and another namespace', () => {
    const runbook = fence('kubectl -n acme-prod-platform create secret generic acme-prod-rabbitmq --from-literal=username=agents');
    const violations = checkRunbookCreatesReferences(runbook, {
      secrets: [ref('acme-prod-redis', ['password']), ref('acme-prod-rabbitmq', ['username', 'password']), ref('acme-prod-rabbitmq', ['username'], 'acme-prod-models')],
      configMaps: [],
    });
    expect(violations.map((violation) => [violation.policy, violation.resource])).toEqual([
      ['runbook-creates-references', 'Secret acme-prod-platform/acme-prod-redis'],
      ['runbook-creates-references', 'Secret acme-prod-platform/acme-prod-rabbitmq'],
      ['runbook-creates-references', 'Secret acme-prod-models/acme-prod-rabbitmq'],
    ]);
    expect(violations[1]!.message).toContain('without key password');
    expect(violations[0]!.message).toContain('CreateContainerConfigError');
  });

  it('ignores commands outside shell blocks', () => {
    expect(runbookCreates('kubectl -n a create secret generic b --from-literal=c=d')).toEqual([]);
  });

  it.each(specs())('every reference of $name is created by its RUNBOOK', ({ name, text }) => {
    const loaded = checkSpecText(name, text, { now: calendarAsOf() });
    const settings = settingsFor(loaded.install!, loaded.cell!);
    const runbook = renderFiles(name, text, loaded.install!, settings, loaded.cell!.status).get('RUNBOOK.md')!;
    const references = preflightRequirements(loaded.install!, loaded.cell!, { now: calendarAsOf() });
    expect(references.secrets.length + references.configMaps.length).toBeGreaterThan(0);
    expect(checkRunbookCreatesReferences(runbook, references)).toEqual([]);
  });
});
