/**
 * Adversarial suite, the conformance result cache (--cache-dir). Its entries come from earlier runs,
 * an actions/cache restore or anyone who can write the directory: each is read capped, must name
 * its own key and pass its kind's shape check, and anything else is a miss (never a crash, a hang
 * or a value of the wrong shape handed to a stage).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmCache } from '../../cli/conformance/helm-cache.js';
import { isLintSection, isPassed, isRenderOutputs, isSynthesisOutputs, isTemplateOutput } from '../../cli/conformance/result-cache.js';

const KEY = HelmCache.key(['render', 'test']);
const entry = (value: unknown, key = KEY) => JSON.stringify({ key, value });
const RENDER = {
  charts: ['agent-platform'],
  values: { 'agent-platform': 'global: {}\n' },
  namespaces: { 'agent-platform': 'platform', 'model-server': 'models' },
  context: {
    network: 'connected',
    imageRegistry: null,
    platform: 'eks',
    publicHosts: ['github.com'],
    postgresTls: { sslMode: 'verify-full', serverCa: 'rds-global-bundle', caConfigMap: 'acme-postgres-ca' },
  },
  pulumi: 'a'.repeat(64),
  release: '2026.11.0',
};

/** How each entry kind is checked, and a good value of it. */
const KINDS = [
  ['render outputs', isRenderOutputs, RENDER],
  ['synthesis outputs', isSynthesisOutputs, { 'agent-platform': { ingress: {} } }],
  ['passed marker', isPassed, true],
  ['lint section', isLintSection, ['[INFO] Chart.yaml: icon is recommended']],
  ['template output', isTemplateOutput, { ok: true, stdout: 'kind: Service', stderr: '' }],
] as const;

/** Hostile files at the entry's path. */
const HOSTILE: Array<[string, (path: string) => void]> = [
  ['not JSON', (path) => writeFileSync(path, '{"key": ')],
  ['empty', (path) => writeFileSync(path, '')],
  ['JSON null', (path) => writeFileSync(path, 'null')],
  ['an array', (path) => writeFileSync(path, '[1,2]')],
  ["another key's entry (a renamed file)", (path) => writeFileSync(path, entry(true, HelmCache.key(['other'])))],
  ['no value', (path) => writeFileSync(path, JSON.stringify({ key: KEY }))],
  [
    'over the size cap (17 MiB)',
    (path) => {
      writeFileSync(path, entry(true));
      truncateSync(path, 17 * 1024 * 1024);
    },
  ],
  ['a directory', (path) => mkdirSync(path)],
  ['a FIFO (opening it would block)', (path) => spawnSync('mkfifo', [path])],
  ['a symlink to /dev/zero (endless)', (path) => symlinkSync('/dev/zero', path)],
  ['a dangling symlink', (path) => symlinkSync('/nonexistent/entry.json', path)],
];

/** Values of the right JSON but the wrong shape, per kind. */
const WRONG_SHAPE: Array<[string, (value: unknown) => boolean, unknown]> = [
  ['render: a chart that does not exist', isRenderOutputs, { ...RENDER, charts: ['evil-chart'] }],
  ['render: a chart twice', isRenderOutputs, { ...RENDER, charts: ['agent-platform', 'agent-platform'] }],
  ['render: no charts', isRenderOutputs, { ...RENDER, charts: [] }],
  ['render: values not text', isRenderOutputs, { ...RENDER, values: { 'agent-platform': { global: {} } } }],
  ['render: a namespace missing', isRenderOutputs, { ...RENDER, namespaces: { 'agent-platform': 'platform' } }],
  ['render: pulumi hash not hex', isRenderOutputs, { ...RENDER, pulumi: '../../etc/passwd' }],
  ['render: context network unknown', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, network: 'open' } }],
  ['render: context network a list', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, network: ['connected'] } }],
  ['render: context network an inherited key', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, network: 'toString' } }],
  ['render: context public hosts not text', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, publicHosts: [1] } }],
  ['render: context GPU selector a string', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, gpuSelector: 'nvidia' } }],
  ['render: context model without tensor-parallel size', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, models: [{ name: 'm' }] } }],
  ['render: context endpoints not a list', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, endpoints: { name: 'redis' } } }],
  [
    'render: context endpoint port as text',
    isRenderOutputs,
    { ...RENDER, context: { ...RENDER.context, endpoints: [{ name: 'redis', host: 'r', port: '6379', destination: { kind: 'host' }, clients: { by: 'env' } }] } },
  ],
  ['render: context postgres TLS a string', isRenderOutputs, { ...RENDER, context: { ...RENDER.context, postgresTls: 'verify-full' } }],
  [
    'render: context postgres sslmode unknown',
    isRenderOutputs,
    { ...RENDER, context: { ...RENDER.context, postgresTls: { sslMode: 'require', serverCa: null, caConfigMap: null } } },
  ],
  [
    'render: context postgres CA ConfigMap not text',
    isRenderOutputs,
    { ...RENDER, context: { ...RENDER.context, postgresTls: { sslMode: 'verify-full', serverCa: 'rds-global-bundle', caConfigMap: 1 } } },
  ],
  ['render: an array', isRenderOutputs, [RENDER]],
  ['synthesis: an unknown chart', isSynthesisOutputs, { 'evil-chart': {} }],
  ['synthesis: infra not a map', isSynthesisOutputs, { 'agent-platform': 'x' }],
  ['passed: not true', isPassed, 'true'],
  ['lint: not a list of lines', isLintSection, [1, 2]],
  ['template: ok not boolean', isTemplateOutput, { ok: 'yes', stdout: '', stderr: '' }],
  ['template: stdout missing', isTemplateOutput, { ok: true, stderr: '' }],
];

describe('result cache entries are untrusted', () => {
  it.each(KINDS)('a good %s entry round-trips', (_, check, value) => {
    const cache = new HelmCache(mkdtempSync(join(tmpdir(), 'installctl-cache-sec-')));
    cache.set(KEY, value);
    expect(cache.get(KEY, check as (value: unknown) => value is unknown)).toEqual(value);
  });

  for (const [kind, check] of KINDS) {
    it.each(HOSTILE)(`${kind}: %s is a miss`, (_, plant) => {
      const dir = mkdtempSync(join(tmpdir(), 'installctl-cache-sec-'));
      plant(join(dir, `${KEY}.json`));
      expect(new HelmCache(dir).get(KEY, check as (value: unknown) => value is unknown)).toBeNull();
    });
  }

  it.each(WRONG_SHAPE)('%s is a miss', (_, check, value) => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-cache-sec-'));
    writeFileSync(join(dir, `${KEY}.json`), entry(value));
    expect(new HelmCache(dir).get(KEY, check as (value: unknown) => value is unknown)).toBeNull();
  });

  it('a write that cannot happen (the entry path is a directory) loses the entry, not the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-cache-sec-'));
    mkdirSync(join(dir, `${KEY}.json`));
    expect(() => new HelmCache(dir).set(KEY, true)).not.toThrow();
  });
});
