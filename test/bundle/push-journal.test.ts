/** The push journal: resumes only the same push, and records sessions and commits as they happen. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PushJournal } from '../../cli/bundle/push-journal.js';

const root = `sha256:${'1'.repeat(64)}`;
const blob = `sha256:${'2'.repeat(64)}`;

describe('PushJournal', () => {
  it('persists sessions and commits after each step; a new journal for the same push resumes them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-journal-')), 'b.push-journal.json');
    const first = new PushJournal(file, root, 'h/p');
    expect(first.resumed).toBe(false);
    first.setSession(blob, { repository: 'p/r', location: '/v2/p/r/blobs/uploads/u?_state=x', offset: 1024 });
    expect(JSON.parse(readFileSync(file, 'utf8')).uploads[blob].offset).toBe(1024);
    const again = new PushJournal(file, root, 'h/p');
    expect(again.resumed).toBe(true);
    expect(again.session(blob)?.offset).toBe(1024);
    again.commit('p/r', blob);
    expect(again.session(blob)).toBeNull();
    expect(new PushJournal(file, root, 'h/p').committedIn('p/r').has(blob)).toBe(true);
    again.remove();
    expect(existsSync(file)).toBe(false);
  });

  it('ignores the journal of another bundle, another target, or a damaged file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-journal-')), 'b.push-journal.json');
    new PushJournal(file, root, 'h/p').commit('p/r', blob);
    expect(new PushJournal(file, `sha256:${'3'.repeat(64)}`, 'h/p').resumed).toBe(false);
    expect(new PushJournal(file, root, 'other/p').resumed).toBe(false);
    writeFileSync(file, '{"kind": "PushJournal", ');
    expect(new PushJournal(file, root, 'h/p').allCommitted().size).toBe(0);
  });
});
