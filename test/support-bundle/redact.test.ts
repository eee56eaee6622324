import { describe, expect, it } from 'vitest';
import { marker, redactLine, redactSpec, redactStrings, redactText, type RedactionCounts } from '../../cli/support-bundle/redact.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { readFileSync } from 'node:fs';
import { AIR_GAPPED_SPEC } from '../helpers/bundles.js';
import { parse } from 'yaml';

// Assembled at run time so that no secret-shaped literal sits in the repository.
const GITHUB_TOKEN = ['ghp', '_', 'Zx9Qw2Lm4Np6Rt8Vb1Cd3Fg5Hj7Kl0Mn2Pq4'].join('');
const AWS_SECRET = ['wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'q7Zk2Vx9Lm4NpRt'].join('');
const RANDOM_TOKEN = ['Qm7vX2pL9sK4', 'wR8tY3nB6cF1', 'hJ5dG0aZ'].join('');

describe('redacting text from the cluster', () => {
  it('replaces each detector match with a marker naming the rule and counts it', () => {
    const counts: RedactionCounts = {};
    const line = `2026-12-02T20:00:00Z level=info msg="cloning" url=https://x-access-token:${GITHUB_TOKEN}@ghes.acme.internal/acme/repo.git`;
    const out = redactLine(line, counts);
    expect(out).not.toContain(GITHUB_TOKEN);
    expect(out).toContain('[REDACTED:');
    expect(out).toContain('level=info msg="cloning"');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  });

  it('redacts a secret under a key no pattern matches: by its shape (a token detector, or a random-looking run)', () => {
    const counts: RedactionCounts = {};
    const out = redactText(`{"level":"debug","cfg":{"x9":"${GITHUB_TOKEN}","q7":"${RANDOM_TOKEN}"}}\nplain line\n`, counts);
    expect(out).not.toContain(GITHUB_TOKEN);
    expect(out).not.toContain(RANDOM_TOKEN);
    expect(counts['github-token']).toBe(1);
    expect(counts['random-token']).toBe(1);
    expect(out.split('\n')[1]).toBe('plain line');
  });

  it('redacts values assigned to credential-named keys whatever their shape, but not placeholders', () => {
    const counts: RedactionCounts = {};
    expect(redactLine('connecting with password=hunter2 user=app', counts)).toBe(`connecting with password=${marker('credential-assignment')} user=app`);
    expect(redactLine('Authorization: Bearer abc.def', counts)).not.toContain('abc.def');
    expect(redactLine('token: null and password=*** and secret=${DB_SECRET}', counts)).toBe('token: null and password=*** and secret=${DB_SECRET}');
    expect(counts['credential-assignment']).toBe(2);
  });

  it('redacts an AWS secret key after "aws" text, and leaves digests, UUIDs and pod names alone', () => {
    const counts: RedactionCounts = {};
    expect(redactLine(`aws secret ${AWS_SECRET}`, counts)).not.toContain(AWS_SECRET);
    const benign = [
      'pulled image registry.acme-federal.internal/installctl/api@sha256:3f5a9c2b7e1d4a6b8c0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6',
      'pod api-7d9f8b6c5-x2x4z uid 0d1e0a7c-5a9e-4c57-9a39-6d7d3b1d2f11 scheduled on ip-10-40-1-23.ec2.internal',
      '0/5 nodes are available: 5 Insufficient nvidia.com/gpu.',
    ];
    const quiet: RedactionCounts = {};
    for (const line of benign) expect(redactLine(line, quiet)).toBe(line);
    expect(quiet).toEqual({});
  });

  it('redacts every string of a JSON document, keeping its keys and shape', () => {
    const counts: RedactionCounts = {};
    const document = { status: { containerStatuses: [{ lastState: { terminated: { message: `panic: auth failed for token ${GITHUB_TOKEN}` } } }] }, count: 3 };
    const out = redactStrings(document, counts);
    expect(JSON.stringify(out)).not.toContain(GITHUB_TOKEN);
    expect(out.count).toBe(3);
    expect(Object.keys(out.status.containerStatuses[0]!.lastState.terminated)).toEqual(['message']);
  });
});

describe('redacting the install spec by its schema', () => {
  const spec = () => parse(readFileSync(AIR_GAPPED_SPEC, 'utf8')) as Record<string, Record<string, unknown>>;

  it('leaves a valid spec as it is: references name Secrets, they hold none, and it stays valid', () => {
    const counts: RedactionCounts = {};
    const out = redactSpec(spec(), counts);
    expect(out).toEqual(spec());
    expect(counts).toEqual({});
    expect(checkSpecText('spec.json', JSON.stringify(out)).exitCode).toBe(0);
  });

  it('drops the value of a key the schema does not define, whatever it looks like (no detector would find "hunter2")', () => {
    const document = spec();
    (document.spec!.registry as Record<string, unknown>).password = 'hunter2';
    (document.metadata as Record<string, unknown>).notes = { dbPassword: 'correct horse battery staple' };
    const counts: RedactionCounts = {};
    const out = JSON.stringify(redactSpec(document, counts));
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('correct horse');
    expect(counts['spec-unknown-key']).toBe(2);
  });

  it('replaces free text that may hold a credential, and counts it', () => {
    const document = spec();
    (document.metadata as Record<string, unknown>).customer = `Acme ${GITHUB_TOKEN}`;
    const counts: RedactionCounts = {};
    const out = redactSpec(document, counts) as typeof document;
    expect(out.metadata!.customer).toBe(marker('spec-free-text'));
    expect(counts).toEqual({ 'spec-free-text': 1 });
  });
});
