/** Where a push goes, and what registry failures become for the person pushing. */
import { describe, expect, it } from 'vitest';
import { parseTarget, registryFailure, targetReference } from '../../cli/bundle/push-target.js';
import { HttpError, TransientError } from '../../cli/oci/http.js';
import { UserError } from '../../cli/lib/errors.js';

describe('parseTarget', () => {
  it.each([
    ['registry.acme.internal/installctl', { host: 'registry.acme.internal', prefix: 'installctl' }],
    ['registry.acme.internal:5000/a/b', { host: 'registry.acme.internal:5000', prefix: 'a/b' }],
    ['127.0.0.1:5000', { host: '127.0.0.1:5000', prefix: '' }],
    ['https://mirror.example/x/', { host: 'mirror.example', prefix: 'x' }],
    ['localhost:5000/site__one/x-y.z', { host: 'localhost:5000', prefix: 'site__one/x-y.z' }],
    ['REGISTRY.Acme.Internal:5000/x', { host: 'registry.acme.internal:5000', prefix: 'x' }],
    ['[::1]:5000/x', { host: '[::1]:5000', prefix: 'x' }],
  ])('%s', (text, expected) => {
    expect(parseTarget(text)).toEqual(expected);
  });

  it.each([
    '',
    'registry.acme.internal/Upper',
    'host:port/x',
    'registry.acme.internal//x',
    'reg istry/x',
    'host/-x',
    'reg.acme.internal:99999',
    'reg.acme.internal:0/x',
    'myregistry',
    'myregistry/x',
    'reg.acme.internal\n/x',
  ])('refuses %j with REGISTRY_TARGET_INVALID (exit 2), never a crash later on', (text) => {
    expect(() => parseTarget(text)).toThrow(expect.objectContaining({ code: 'REGISTRY_TARGET_INVALID', exitCode: 2 }));
  });

  it.each(['https://bob:hunter2@reg.acme.internal/x', 'bob:hunter2@reg.acme.internal:5000'])('refuses credentials in %j without echoing them', (text) => {
    let message = '';
    try {
      parseTarget(text);
    } catch (error) {
      message = `${(error as UserError).code} ${(error as UserError).message} ${(error as UserError).hint}`;
    }
    expect(message).toMatch(/^REGISTRY_TARGET_INVALID /);
    expect(message).not.toContain('hunter2');
  });

  it('builds references under the prefix', () => {
    expect(targetReference({ host: 'h:5000', prefix: 'p' }, 'agent-platform/api', `sha256:${'a'.repeat(64)}`)).toBe(`h:5000/p/agent-platform/api@sha256:${'a'.repeat(64)}`);
    expect(targetReference({ host: 'h', prefix: '' }, 'r', `sha256:${'b'.repeat(64)}`)).toBe(`h/r@sha256:${'b'.repeat(64)}`);
  });
});

describe('registryFailure', () => {
  const context = { host: 'h:5000', stage: 'push' as const, journal: 'x.bundle.push-journal.json' };
  const code = (error: unknown) => (registryFailure(error, context) as UserError).code;

  it.each([
    [new HttpError(401, 'unauthorized', ''), 'REGISTRY_AUTH_FAILED'],
    [new HttpError(403, 'denied', ''), 'REGISTRY_AUTH_FAILED'],
    [new HttpError(400, 'bad', 'Client sent an HTTP request to an HTTPS server.'), 'REGISTRY_TLS_FAILED'],
    [new HttpError(400, 'manifest invalid', '{"errors":[]}'), 'REGISTRY_REJECTED'],
    [Object.assign(new Error('self signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), 'REGISTRY_TLS_FAILED'],
    [Object.assign(new Error('wrong version number'), { code: 'EPROTO' }), 'REGISTRY_TLS_FAILED'],
    [new TransientError('gave up', 'HTTP 503'), 'PUSH_INTERRUPTED'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'PUSH_INTERRUPTED'],
  ])('%s -> %s', (error, expected) => {
    expect(code(error)).toBe(expected);
  });

  it('says how to resume mid-push, and calls a probe failure unreachable', () => {
    expect((registryFailure(new TransientError('gave up', 'ECONNRESET'), context) as UserError).hint).toContain(context.journal);
    expect((registryFailure(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), { host: 'h', stage: 'probe' }) as UserError).code).toBe('REGISTRY_UNREACHABLE');
  });

  it('leaves user errors alone and passes unknown errors through as bugs', () => {
    const user = new UserError('corrupt', { code: 'BUNDLE_BLOB_CORRUPT' });
    expect(registryFailure(user, context)).toBe(user);
    const bug = new TypeError('undefined is not a function');
    expect(registryFailure(bug, context)).toBe(bug);
  });
});
