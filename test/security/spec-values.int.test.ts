/**
 * Adversarial suite for the spec boundary: a table of hostile values (every secret shape in every
 * position, every class of control character in values, keys and free text, CIDR classes, mirror
 * forms) -> the code that refuses it. Each row is checked in-process, then all rows go through the
 * built CLI's validate (text and --json) and the secret rows through render: a secret appears in
 * no output, a control character is never printed raw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CONTROL_CHARACTER } from '../../cli/schema/control-characters.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { runCli, runCliAsync, type CliRun } from '../helpers/cli.js';
import { CONTROL_CLASSES } from '../helpers/control-characters.js';
import { credentialOf, SECRET_SAMPLES } from '../helpers/secrets.js';
import { loadExample, withValue } from '../helpers/specs.js';

const connected = loadExample('aws-github-saas-connected.yaml');
const air = loadExample('aws-ghes-self-hosted-air-gapped.yaml');
const noted = loadExample('azure-bitbucket-cloud-managed-air-gapped.yaml');

interface Row {
  name: string;
  spec: unknown;
  code: string;
  severity?: 'error' | 'warning';
  path?: string;
  /** Must appear in no output. */
  secret?: string;
  /** The spec holds a control character: no output may print one raw. */
  control?: boolean;
}

// --- secrets: every shape in every position -------------------------------------------------

type Place = [string, (text: string) => unknown, string];
const tokenPlaces: Place[] = [
  ['the whole value', (t) => withValue(connected, 'metadata.customer', t), 'metadata.customer'],
  ['a value prefix', (t) => withValue(connected, 'metadata.customer', `${t} rotated`), 'metadata.customer'],
  ['the middle of a value', (t) => withValue(connected, 'metadata.customer', `Acme ${t} Corp`), 'metadata.customer'],
  ['a value suffix', (t) => withValue(connected, 'metadata.customer', `Acme ${t}`), 'metadata.customer'],
  ['an assignment under an unknown key', (t) => withValue(connected, 'spec.ingress.extra', `pat=${t}`), 'spec.ingress.extra'],
  ['a URL path', (t) => withValue(connected, 'spec.scm.webhooks.url', `https://relay.northwind.corp/hooks/${t}/events`), 'spec.scm.webhooks.url'],
  ['a URL query', (t) => withValue(connected, 'spec.scm.webhooks.url', `https://relay.northwind.corp/hook?access_token=${t}`), 'spec.scm.webhooks.url'],
  ['a list item', (t) => withValue(connected, 'spec.scm.organizations', ['northwind', t]), 'spec.scm.organizations[1]'],
  ['a label key', (t) => withValue(connected, 'metadata.labels', { [t]: 'x' }), 'metadata.labels'],
  ['a nested key', (t) => withValue(connected, 'spec.ingress.extra', { [`Acme ${t}`]: 1 }), 'spec.ingress.extra'],
  ['an acknowledgement note', (t) => withValue(noted, 'spec.acknowledgements.0.note', `Approved; the key is ${t} for now`), 'spec.acknowledgements[0].note'],
];
const urlPlaces: Place[] = [
  ['the webhook URL', (u) => withValue(connected, 'spec.scm.webhooks.url', u), 'spec.scm.webhooks.url'],
  ['the middle of free text', (u) => withValue(connected, 'metadata.customer', `Acme (${u})`), 'metadata.customer'],
  ['an acknowledgement note', (u) => withValue(noted, 'spec.acknowledgements.0.note', `see ${u}`), 'spec.acknowledgements[0].note'],
  ['a key', (u) => withValue(connected, 'spec.ingress.extra', { [u]: 1 }), 'spec.ingress.extra'],
  ['a list item', (u) => withValue(connected, 'spec.scm.organizations', ['northwind', u]), 'spec.scm.organizations[1]'],
];

const secretRows: Row[] = SECRET_SAMPLES.flatMap((sample) =>
  (sample.url ? urlPlaces : tokenPlaces).map(([where, place, path]) => ({
    name: `${sample.detector} in ${where}`,
    // An AWS secret key is one only in an AWS context: the text says so.
    spec: place(sample.context ? `aws ${sample.secret}` : sample.secret),
    code: 'SECRET_LITERAL',
    path,
    secret: credentialOf(sample),
  })),
);

const awsId = SECRET_SAMPLES.find((sample) => sample.detector === 'aws-access-key-id')!.secret;
const awsSecret = SECRET_SAMPLES.find((sample) => sample.detector === 'aws-secret-access-key')!.secret;
secretRows.push(
  {
    name: 'AWS secret key beside its access key id',
    spec: withValue(connected, 'spec.ingress.extra', { id: 'x', value: awsSecret, other: `${awsId}` }),
    code: 'SECRET_LITERAL',
    path: 'spec.ingress.extra.value',
    secret: awsSecret,
  },
  {
    name: 'AWS secret key under an AWS-named key',
    spec: withValue(connected, 'spec.ingress.awsKeyMaterial', awsSecret),
    code: 'SECRET_LITERAL',
    path: 'spec.ingress.awsKeyMaterial',
    secret: awsSecret,
  },
  {
    name: 'user:password@host in registry.mirror (air-gapped)',
    spec: withValue(air, 'spec.registry.mirror', 'bob:Pa55w0rd9@registry.acme.internal/installctl'),
    code: 'SECRET_LITERAL',
    path: 'spec.registry.mirror',
    secret: 'Pa55w0rd9',
  },
  {
    name: 'user:password@host in registry.mirror (connected)',
    spec: withValue(connected, 'spec.registry', { mirror: 'bob:Pa55w0rd9@registry.acme.internal' }),
    code: 'SECRET_LITERAL',
    path: 'spec.registry.mirror',
    secret: 'Pa55w0rd9',
  },
  {
    name: 'a token query parameter in registry.mirror',
    spec: withValue(air, 'spec.registry.mirror', 'registry.acme.internal/x?token=Zq8Xw3Lk9Pm2'),
    code: 'SECRET_LITERAL',
    path: 'spec.registry.mirror',
    secret: 'Zq8Xw3Lk9Pm2',
  },
  {
    name: 'a password under a secret-named key',
    spec: withValue(connected, 'spec.ingress.password', 'hunter2hunter2'),
    code: 'SECRET_LITERAL',
    path: 'spec.ingress.password',
    secret: 'hunter2hunter2',
  },
  {
    name: 'a literal in a secret reference field',
    spec: withValue(connected, 'spec.models.apiKey', 'Zq8Xw3Lk9Pm2Vb7Nc4'),
    code: 'SECRET_LITERAL',
    path: 'spec.models.apiKey',
    secret: 'Zq8Xw3Lk9Pm2Vb7Nc4',
  },
);

// --- control characters: every class in values, keys and free text ---------------------------

const controlPlaces: Place[] = [
  ['a value', (c) => withValue(connected, 'spec.ingress.hostname', `agents${c}.northwind.corp`), 'spec.ingress.hostname'],
  ['the customer', (c) => withValue(connected, 'metadata.customer', `Northwind${c}Traders`), 'metadata.customer'],
  ['an acknowledgement note', (c) => withValue(noted, 'spec.acknowledgements.0.note', `Approved${c}in review`), 'spec.acknowledgements[0].note'],
  ['a label key', (c) => withValue(connected, 'metadata.labels', { [`team${c}`]: 'a' }), ''],
  ['an unknown key', (c) => withValue(connected, 'spec.ingress', { ...connected.spec.ingress, [`x${c}y`]: 1 }), ''],
];
const controlRows: Row[] = CONTROL_CLASSES.flatMap(([name, char]) =>
  controlPlaces.map(([where, place, path]) => ({ name: `${name} in ${where}`, spec: place(char), code: 'VALUE_CONTROL_CHARACTER', ...(path ? { path } : {}), control: true })),
);

// --- egress CIDRs and mirrors -------------------------------------------------------------

const cidrs = (spec: unknown, list: string[]) => withValue(spec, 'spec.network.allowedEgressCidrs', list);
const policyRows: Row[] = [
  { name: 'air-gapped egress to 0.0.0.0/0', spec: cidrs(air, ['0.0.0.0/0']), code: 'RULE_EGRESS_ANYWHERE', path: 'spec.network.allowedEgressCidrs[0]' },
  { name: 'air-gapped egress to 0.0.0.0/1', spec: cidrs(air, ['0.0.0.0/1']), code: 'RULE_EGRESS_ANYWHERE' },
  { name: 'air-gapped egress to a /7', spec: cidrs(air, ['10.0.0.0/7']), code: 'RULE_EGRESS_ANYWHERE' },
  { name: 'connected egress to 0.0.0.0/0 (warning)', spec: cidrs(connected, ['0.0.0.0/0']), code: 'RULE_EGRESS_ANYWHERE', severity: 'warning' },
  { name: 'egress to the metadata address', spec: cidrs(air, ['169.254.169.254/32']), code: 'RULE_EGRESS_METADATA' },
  { name: 'egress to all of link-local', spec: cidrs(connected, ['169.254.0.0/16']), code: 'RULE_EGRESS_METADATA' },
  { name: 'egress inside link-local (ECS task metadata)', spec: cidrs(connected, ['169.254.170.2/32']), code: 'RULE_EGRESS_METADATA' },
  { name: 'egress to Alibaba metadata', spec: cidrs(air, ['100.100.100.200/32']), code: 'RULE_EGRESS_METADATA' },
  { name: 'a malformed CIDR', spec: cidrs(air, ['10.0.0.0/33']), code: 'SCHEMA_CIDR' },
  { name: 'a one-word mirror (air-gapped)', spec: withValue(air, 'spec.registry.mirror', 'x'), code: 'RULE_MIRROR_NO_HOST', path: 'spec.registry.mirror' },
  { name: 'a mirror whose first part is no host (air-gapped)', spec: withValue(air, 'spec.registry.mirror', 'mirror/installctl'), code: 'RULE_MIRROR_NO_HOST' },
  { name: 'a one-word mirror (connected, warning)', spec: withValue(connected, 'spec.registry', { mirror: 'x' }), code: 'RULE_MIRROR_NO_HOST', severity: 'warning' },
  { name: 'a public mirror (air-gapped)', spec: withValue(air, 'spec.registry.mirror', 'docker.io/acme'), code: 'REQUIRE_NO_PUBLIC_ENDPOINTS' },
  { name: 'a mirror with a scheme', spec: withValue(air, 'spec.registry.mirror', 'https://registry.acme.internal'), code: 'SCHEMA_PATTERN' },
  { name: 'a customer of only spaces', spec: withValue(connected, 'metadata.customer', '   '), code: 'VALUE_WHITESPACE' },
];

const rows: Row[] = [...secretRows, ...controlRows, ...policyRows];

/** The secret, or a 16-character piece of it (a cut or partly escaped echo), is in output. */
function leaks(output: string, secret: string): boolean {
  return output.includes(secret) || (secret.length >= 24 && output.includes(secret.slice(4, 20)));
}

describe('spec values: hostile table (in-process)', () => {
  it.each(rows.map((row) => [row.name, row] as const))('%s', (_, row) => {
    const result = checkSpecText('hostile.yaml', stringify(row.spec));
    const match = result.issues.find((issue) => issue.code === row.code && issue.severity === (row.severity ?? 'error'));
    expect(match, JSON.stringify(result.issues.map((issue) => [issue.code, issue.path]))).toBeDefined();
    if (row.path !== undefined) expect(match!.path).toBe(row.path);
    expect(match!.line).not.toBeNull();
    const json = JSON.stringify(result.issues);
    if (row.secret) expect(leaks(json, row.secret)).toBe(false);
    expect(CONTROL_CHARACTER.test(json)).toBe(false);
  });

  it(`holds ${rows.length} rows`, () => {
    expect(rows.length).toBeGreaterThan(400);
  });
});

describe('spec values through the built CLI', () => {
  let dir: string;
  const files: string[] = [];
  let text: CliRun;
  let json: CliRun;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'installctl-hostile-'));
    rows.forEach((row, index) => {
      const file = join(dir, `row-${index}.yaml`);
      writeFileSync(file, stringify(row.spec));
      files.push(file);
    });
    json = runCli(['validate', '--json', ...files]);
    text = runCli(['validate', ...files]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validate refuses every row with its code (--json), exit 1', () => {
    expect(json.status, json.stderr).toBe(1);
    const report = json.json();
    const missing = rows.filter(
      (row, index) => !report.files[index].issues.some((issue: { code: string; severity: string }) => issue.code === row.code && issue.severity === (row.severity ?? 'error')),
    );
    expect(missing.map((row) => `${row.name}: ${JSON.stringify(report.files[rows.indexOf(row)].issues.map((i: { code: string }) => i.code))}`)).toEqual([]);
  });

  it('no secret appears in validate output, text or --json, stdout or stderr', () => {
    const outputs = [json.stdout, json.stderr, text.stdout, text.stderr];
    const leaked = rows.filter((row) => row.secret && outputs.some((output) => leaks(output, row.secret!)));
    expect(leaked.map((row) => `${row.name}: ${[json.stdout, text.stdout].map((o) => o.split('\n').find((l) => leaks(l, row.secret!))).join(' / ')}`)).toEqual([]);
  });

  it('no control character is printed raw (line breaks of the output itself aside)', () => {
    for (const output of [json.stdout, json.stderr, text.stdout, text.stderr]) expect(CONTROL_CHARACTER.test(output.replace(/\n/g, ''))).toBe(false);
  });

  // One row per detector (and the mirror credentials) through render, two processes at a time.
  const renderRows = rows.filter(
    (row) => row.secret && (row.name.endsWith('in the whole value') || row.name.endsWith('in the webhook URL') || row.name.includes('registry.mirror')),
  );
  it(`render refuses ${renderRows.length} secret specs without writing or echoing them`, async () => {
    const failures: string[] = [];
    const queue = [...renderRows];
    const worker = async (): Promise<void> => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const index = rows.indexOf(row);
        const out = join(dir, `out-${index}`);
        const run = await runCliAsync(['render', files[index]!, '--out', out, '--json']);
        const textRun = await runCliAsync(['render', files[index]!, '--out', out]);
        const output = [run.stdout, run.stderr, textRun.stdout, textRun.stderr];
        if (run.status !== 1 || textRun.status !== 1) failures.push(`${row.name}: exit ${run.status}/${textRun.status}`);
        if (output.some((text) => leaks(text, row.secret!))) failures.push(`${row.name}: echoed`);
        if (!run.json().issues.some((issue: { code: string }) => issue.code === 'SECRET_LITERAL')) failures.push(`${row.name}: no SECRET_LITERAL`);
        if (existsSync(out)) failures.push(`${row.name}: wrote ${out}`);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('property: an embedded token is always caught and never echoed', () => {
  const shapes: fc.Arbitrary<string>[] = [
    fc.stringMatching(/^gh[pousr]_[A-Za-z0-9]{36}$/),
    fc.stringMatching(/^github_pat_[A-Za-z0-9_]{82}$/),
    fc.stringMatching(/^glpat-[A-Za-z0-9_-]{20}$/),
    fc.stringMatching(/^(AKIA|ASIA)[A-Z2-7]{16}$/),
    fc.stringMatching(/^AIza[A-Za-z0-9_-]{35}$/),
    fc.stringMatching(/^xoxb-[0-9]{12}-[0-9]{12}-[A-Za-z0-9]{24}$/),
    fc.stringMatching(/^npm_[A-Za-z0-9]{36}$/),
    fc.stringMatching(/^dckr_pat_[A-Za-z0-9_-]{27}$/),
    fc.stringMatching(/^sk_live_[A-Za-z0-9]{24}$/),
    fc.stringMatching(/^sk-ant-api03-[A-Za-z0-9_-]{93}AA$/),
    fc.stringMatching(/^hvs\.[A-Za-z0-9_-]{95}$/),
  ];
  const printable = fc.string({ unit: fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))), maxLength: 40 });
  const before = fc.constantFrom(' ', '=', ':', '/', '(', '"', "'", '_', '-', ',', ';', '?token=', '@');
  const after = fc.constantFrom(' ', '"', "'", ',', ';', ')', '/', '&', '#', '.');
  const places: Array<(text: string) => unknown> = [
    (t) => withValue(connected, 'metadata.customer', t),
    (t) => withValue(connected, 'metadata.labels', { [t]: 'x' }),
    (t) => withValue(connected, 'spec.ingress.extra', t),
    (t) => withValue(noted, 'spec.acknowledgements.0.note', t),
    (t) => withValue(connected, 'spec.scm.webhooks.url', `https://relay.northwind.corp/${t}`),
  ];

  it('in any printable text, before or after any separator, in a value, a key, a note or a URL', () => {
    fc.assert(
      fc.property(fc.oneof(...shapes), printable, before, after, printable, fc.nat(places.length - 1), (token, prefix, open, close, suffix, place) => {
        const result = checkSpecText('p.yaml', stringify(places[place]!(`${prefix}${open}${token}${close}${suffix}`)));
        expect(result.issues.map((issue) => issue.code)).toContain('SECRET_LITERAL');
        const json = JSON.stringify(result.issues);
        expect(json).not.toContain(token);
        expect(json).not.toContain(token.slice(-16));
      }),
      { numRuns: 300 },
    );
  });
});
