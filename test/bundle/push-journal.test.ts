/** The push journal: resumes only the same push, records sessions and commits as they happen, and trusts nothing it reads back. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, truncateSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PushJournal } from '../../cli/bundle/push-journal.js';
import { SIZE_CAPS } from '../../cli/lib/read-capped.js';

const root = `sha256:${'1'.repeat(64)}`;
const blob = `sha256:${'2'.repeat(64)}`;
const origin = 'https://h';
const journalFile = () => join(mkdtempSync(join(tmpdir(), 'installctl-journal-')), 'b.push-journal.json');

/** A journal file as an earlier run of this push would have left it, with `edit` applied. */
function written(edit: (data: Record<string, any>) => unknown = (data) => data): string {
  const file = journalFile();
  const journal = new PushJournal(file, root, 'h/p', origin);
  journal.commit('p/r', `sha256:${'4'.repeat(64)}`);
  journal.setSession(blob, { repository: 'p/r', location: 'https://h/v2/p/r/blobs/uploads/u?_state=x', offset: 1024 });
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  const edited = edit(data);
  writeFileSync(file, typeof edited === 'string' ? edited : JSON.stringify(edited));
  return file;
}

describe('PushJournal', () => {
  it('persists sessions and commits after each step; a new journal for the same push resumes them', () => {
    const file = journalFile();
    const first = new PushJournal(file, root, 'h/p', origin);
    expect(first.resumed).toBe(false);
    first.setSession(blob, { repository: 'p/r', location: '/v2/p/r/blobs/uploads/u?_state=x', offset: 1024 });
    expect(JSON.parse(readFileSync(file, 'utf8')).uploads[blob].offset).toBe(1024);
    const again = new PushJournal(file, root, 'h/p', origin);
    expect(again.resumed).toBe(true);
    expect(again.session(blob)).toEqual({ repository: 'p/r', location: 'https://h/v2/p/r/blobs/uploads/u?_state=x', offset: 1024 });
    again.commit('p/r', blob);
    expect(again.session(blob)).toBeNull();
    expect(new PushJournal(file, root, 'h/p', origin).committedIn('p/r').has(blob)).toBe(true);
    again.remove();
    expect(existsSync(file)).toBe(false);
  });

  it('ignores the journal of another bundle, another target, or a damaged file', () => {
    const file = journalFile();
    new PushJournal(file, root, 'h/p', origin).commit('p/r', blob);
    expect(new PushJournal(file, `sha256:${'3'.repeat(64)}`, 'h/p', origin).resumed).toBe(false);
    expect(new PushJournal(file, root, 'other/p', origin).resumed).toBe(false);
    writeFileSync(file, '{"kind": "PushJournal", ');
    expect(new PushJournal(file, root, 'h/p', origin).allCommitted().size).toBe(0);
  });

  // An edited or damaged journal is ignored as a whole (the push starts over), never a crash (exit 70).
  const malformed: Array<[string, (data: Record<string, any>) => unknown]> = [
    ['not an object', () => '[1, 2]'],
    ['null', () => 'null'],
    ['uploads: null', (data) => ({ ...data, uploads: null })],
    ['uploads a list', (data) => ({ ...data, uploads: [] })],
    ['committed: a string', (data) => ({ ...data, committed: 'x' })],
    ['committed digests not a list', (data) => ({ ...data, committed: { 'p/r': 'sha256:x' } })],
    ['committed digest malformed', (data) => ({ ...data, committed: { 'p/r': ['sha256:../../etc'] } })],
    ['manifests missing', ({ manifests: _, ...data }) => data],
    ['manifests of numbers', (data) => ({ ...data, manifests: [1] })],
    ['session: a string', (data) => ({ ...data, uploads: { [blob]: 'x' } })],
    ['session without location', (data) => ({ ...data, uploads: { [blob]: { repository: 'p/r', offset: 0 } } })],
    ['location a number', (data) => ({ ...data, uploads: { [blob]: { repository: 'p/r', location: 5, offset: 0 } } })],
    ['negative offset', (data) => ({ ...data, uploads: { [blob]: { ...data.uploads[blob], offset: -1 } } })],
    ['fractional offset', (data) => ({ ...data, uploads: { [blob]: { ...data.uploads[blob], offset: 1.5 } } })],
    ['offset a string', (data) => ({ ...data, uploads: { [blob]: { ...data.uploads[blob], offset: '1024' } } })],
    ['huge offset', (data) => ({ ...data, uploads: { [blob]: { ...data.uploads[blob], offset: 1e300 } } })],
    ['session key not a digest', (data) => ({ ...data, uploads: { __proto__x: data.uploads[blob] } })],
    [
      '__proto__ session key',
      (data) =>
        `{"apiVersion":"installctl.dev/v1alpha1","kind":"PushJournal","rootDigest":"${data.rootDigest}","registry":"h/p","committed":{},"manifests":[],"uploads":{"__proto__":{"repository":"p/r","location":"https://h/x","offset":0}}}`,
    ],
    ['a 100 KiB location', (data) => ({ ...data, uploads: { [blob]: { ...data.uploads[blob], location: `https://h/${'a'.repeat(100_000)}` } } })],
    ['wrong kind', (data) => ({ ...data, kind: 'Other' })],
  ];
  it.each(malformed)('ignores a journal with %s: nothing resumed, no crash, and it is rewritten cleanly', (_name, edit) => {
    const file = written(edit);
    const journal = new PushJournal(file, root, 'h/p', origin);
    expect(journal.resumed).toBe(false);
    expect(journal.session(blob)).toBeNull();
    expect(journal.allCommitted().size).toBe(0);
    journal.setSession(blob, { repository: 'p/r', location: 'https://h/v2/p/r/blobs/uploads/v', offset: 0 });
    expect(new PushJournal(file, root, 'h/p', origin).session(blob)?.location).toBe('https://h/v2/p/r/blobs/uploads/v');
  });

  it(`ignores a journal over the cap (${SIZE_CAPS.pushJournal} bytes) without reading it whole`, () => {
    const file = written();
    truncateSync(file, SIZE_CAPS.pushJournal + 1);
    expect(new PushJournal(file, root, 'h/p', origin).resumed).toBe(false);
  });

  it('ignores a journal path that is not a regular file (a link to /dev/zero)', () => {
    const file = journalFile();
    symlinkSync('/dev/zero', file);
    const started = Date.now();
    expect(new PushJournal(file, root, 'h/p', origin).resumed).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  // Upload URLs are where credentials would go: only the registry's own origin is kept.
  const locations: Array<[string, string, boolean]> = [
    ['same origin, absolute', 'https://h/v2/p/r/blobs/uploads/u', true],
    ['same origin, relative', '/v2/p/r/blobs/uploads/u', true],
    ['same origin, explicit default port', 'https://h:443/v2/p/r/blobs/uploads/u', true],
    ['another host', 'https://evil.example/v2/p/r/blobs/uploads/u', false],
    ['another port', 'https://h:8443/v2/p/r/blobs/uploads/u', false],
    ['plain http on the same host', 'http://h/v2/p/r/blobs/uploads/u', false],
    ['protocol-relative to another host', '//evil.example/v2/u', false],
    ['userinfo on the same host', 'https://user:pw@h/v2/p/r/blobs/uploads/u', false],
    ['userinfo trick', 'https://h@evil.example/v2/u', false],
    ['another scheme', 'file:///etc/passwd', false],
    ['javascript:', 'javascript:alert(1)', false],
  ];
  it.each(locations)('an upload session at %s (%s) is kept: %s', (_name, location, kept) => {
    const file = written((data) => ({ ...data, uploads: { [blob]: { repository: 'p/r', location, offset: 1024 } } }));
    const journal = new PushJournal(file, root, 'h/p', origin);
    expect(journal.resumed).toBe(true);
    // The rest of the journal stays: only the session starts over.
    expect(journal.allCommitted().size).toBe(1);
    if (kept) expect(new URL(journal.session(blob)!.location).origin).toBe(origin);
    else {
      expect(journal.session(blob)).toBeNull();
      expect(journal.discarded).toEqual([blob]);
    }
  });
});
