/** The tags bundle push sets: checked by the grammar, derived from the source or the release, read with HEAD first. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { checkedTag, describeTags, imageTag, planTags } from '../../cli/bundle/push-tags.js';
import type { PushItem } from '../../cli/bundle/push-plan.js';
import { RegistryClient } from '../../cli/oci/registry.js';
import { UserError } from '../../cli/lib/errors.js';
import { startFakeRegistry, type FakeRegistry } from '../helpers/fake-registry.js';
import { refusal } from '../helpers/user-error.js';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('checkedTag', () => {
  it.each(['2026.11.0', 'latest', 'v1.2.3-rc.1', '_x', 'A_b.C-d', 'acme-gov-2026.11.0', 'x'.repeat(128)])('accepts %j', (tag) => {
    expect(checkedTag(tag, 'x')).toBe(tag);
  });

  it.each([
    ['empty', ''],
    ['a path', '../x'],
    ['a slash', 'a/b'],
    ['a leading dot', '.x'],
    ['a leading dash', '-x'],
    ['a colon', 'a:b'],
    ['an @', 'a@sha256'],
    ['a query', '1?digest=x'],
    ['a space', 'a b'],
    ['a newline', 'a\nb'],
    ['a plus (semver build metadata)', '1.0.0+build'],
    ['non-ASCII', 'v1é'],
    ['129 characters', 'x'.repeat(129)],
  ])('refuses %s as BUNDLE_INVALID (exit 4), shown inert', (_, tag) => {
    const error = refusal(() => checkedTag(tag, 'image x'));
    expect(error.code).toBe('BUNDLE_INVALID');
    expect(error.exitCode).toBe(4);
    expect(error.message).not.toMatch(/\n/);
  });
});

describe('imageTag', () => {
  it('is the source tag when images.txt names one, else the release version', () => {
    expect(imageTag({ source: 'r.example/a:1.2@sha256:x', tag: '1.2' }, '2026.11.0')).toBe('1.2');
    expect(imageTag({ source: 'r.example/a@sha256:x', tag: null }, '2026.11.0')).toBe('2026.11.0');
  });

  it('refuses a release that is no tag', () => {
    expect(refusal(() => imageTag({ source: 'r.example/a@sha256:x', tag: null }, '../../v2')).code).toBe('BUNDLE_INVALID');
  });
});

describe('planTags against a registry', () => {
  let fake: FakeRegistry;
  let client: RegistryClient;
  const bytes = (text: string) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: text } }));
  const ours = bytes('ours');
  const theirs = bytes('theirs');
  const item = (repository: string, tag: string): PushItem => ({
    kind: 'image',
    source: repository,
    repository,
    blobs: [],
    manifests: [{ digest: sha(ours), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: ours.length, tag }],
    digest: sha(ours),
  });
  const items = [item('same', '2026.11.0'), item('other', '2026.11.0'), item('absent', '2026.11.0')];
  const target = { host: '', prefix: 'site' };

  beforeAll(async () => {
    fake = await startFakeRegistry();
    target.host = fake.host;
    client = new RegistryClient(fake.host, { plainHttp: true });
    await client.putManifest('site/same', '2026.11.0', ours, 'application/vnd.oci.image.manifest.v1+json');
    await client.putManifest('site/other', '2026.11.0', theirs, 'application/vnd.oci.image.manifest.v1+json');
  });
  afterAll(async () => {
    client?.close();
    await fake?.close();
  });

  it('finds the tag in place, the new one and the one that moves, with HEADs only', async () => {
    const before = fake.requests.length;
    const { plan, unchanged } = await planTags(client, target, items, 4, false);
    expect(plan).toEqual({ total: 3, present: 1, toSet: 2, moved: [{ repository: 'site/other', tag: '2026.11.0', from: sha(theirs), to: sha(ours) }] });
    expect([...unchanged]).toEqual(['site/same:2026.11.0']);
    expect(fake.requests.slice(before).map((request) => request.method)).toEqual(['HEAD', 'HEAD', 'HEAD']);
    expect(describeTags(plan)).toEqual([
      'tags: 3 (1 in place, 2 to set, 1 to move)',
      `moving tag site/other:2026.11.0 from ${sha(theirs)} to ${sha(ours)} (the old digest keeps no tag of this push; retention rules may delete it)`,
    ]);
  });

  it('refuses a move with keep (PUSH_TAG_CONFLICT, exit 6), naming both digests', async () => {
    const error = await planTags(client, target, items, 4, true).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('PUSH_TAG_CONFLICT');
    expect((error as UserError).exitCode).toBe(6);
    expect((error as UserError).message).toContain(sha(theirs));
  });

  it('keep passes when no tag would move', async () => {
    const { plan } = await planTags(client, target, [items[0]!, items[2]!], 4, true);
    expect(plan.moved).toEqual([]);
  });
});
