import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIND_RESOURCES, releaseAccessChecks, releaseKinds } from '../../cli/preflight/release-kinds.js';
import { preflightRequirements } from '../../cli/preflight/requirements.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { REPO } from '../helpers/cli.js';
import { preflightSpecs } from '../helpers/preflight-specs.js';

/** Every top-level `kind:` (with its apiVersion) a chart template writes: a document's kind sits at column 0. */
function templateKinds(chart: string): Map<string, string> {
  const dir = join(REPO, 'charts', chart, 'templates');
  const kinds = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      const kind = /^kind:\s*([A-Za-z]+)\s*$/.exec(line)?.[1];
      const apiVersion = /^apiVersion:\s*(\S+)\s*$/.exec(lines[index - 1] ?? '')?.[1];
      if (kind) kinds.set(kind, apiVersion ?? '');
    });
  }
  return kinds;
}

describe('what the releases create', () => {
  it.each(['agent-platform', 'model-server'])('maps every kind the %s templates render to its API resource and apiVersion', (chart) => {
    const kinds = templateKinds(chart);
    expect(kinds.size).toBeGreaterThan(5);
    for (const [kind, apiVersion] of kinds) {
      expect(KIND_RESOURCES[kind], `${chart} renders ${kind}: add it to KIND_RESOURCES`).toBeDefined();
      expect(KIND_RESOURCES[kind]!.apiVersion, kind).toBe(apiVersion);
    }
  });

  it('lists for each spec only kinds the templates render (plus the release record Secret)', () => {
    const rendered = new Set([...templateKinds('agent-platform').keys(), ...templateKinds('model-server').keys(), 'Secret']);
    for (const { install, cell } of preflightSpecs()) {
      const requirements = preflightRequirements(install, cell, { now: calendarAsOf() });
      const resources = new Set(requirements.access.map((check) => check.resource));
      for (const kind of Object.keys(KIND_RESOURCES).filter((candidate) => resources.has(KIND_RESOURCES[candidate]!.resource))) expect(rendered.has(kind), kind).toBe(true);
    }
  });

  it('follows the values: Route on OpenShift, the device plugin only when the chart runs it, ExternalSecrets only with externalRef secrets', () => {
    expect(releaseKinds('agent-platform', { global: { platform: 'openshift' }, ingress: { enabled: true } })).toContain('Route');
    expect(releaseKinds('agent-platform', { global: { platform: 'aws' }, ingress: { enabled: true } })).toContain('Ingress');
    expect(releaseKinds('agent-platform', { global: { platform: 'aws' }, ingress: { enabled: true }, externalSecrets: [{ name: 'x' }] })).toContain('ExternalSecret');
    expect(releaseKinds('model-server', { devicePlugin: { enabled: false } })).not.toContain('DaemonSet');
    expect(releaseKinds('model-server', { devicePlugin: { enabled: true } })).toContain('DaemonSet');
    expect(releaseKinds('model-server', { models: [{ weights: { source: 'pvc', create: { size: '100Gi' } } }] })).toEqual(expect.arrayContaining(['PersistentVolumeClaim', 'Job']));
  });

  it('asks every Helm verb per resource, update on the release Secret, pod reads for --wait and routes/custom-host for Routes', () => {
    const checks = releaseAccessChecks('ns', ['Route', 'Secret', 'Deployment']);
    const has = (verb: string, resource: string) => checks.some((check) => check.verb === verb && check.resource === resource && check.namespace === 'ns');
    for (const verb of ['get', 'list', 'watch', 'create', 'patch', 'delete']) expect(has(verb, 'deployments')).toBe(true);
    expect(has('update', 'secrets')).toBe(true);
    expect(has('create', 'routes/custom-host')).toBe(true);
    expect(has('watch', 'pods')).toBe(true);
    expect(() => releaseAccessChecks('ns', ['Gadget'])).toThrow(/Gadget/);
  });
});
