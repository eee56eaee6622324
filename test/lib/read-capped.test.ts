import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { formatCap, readFileCapped, SIZE_CAPS } from '../../cli/lib/read-capped.js';
import { UserError } from '../../cli/lib/errors.js';
import { userErrorCode } from '../helpers/user-error.js';
const codeOf = (run: () => unknown) => userErrorCode(run);

const dir = mkdtempSync(join(tmpdir(), 'installctl-read-capped-'));
const options = { what: 'test file', maxBytes: 1024 };

describe('readFileCapped', () => {
  it('reads a file up to the cap exactly', () => {
    const file = join(dir, 'exact');
    writeFileSync(file, Buffer.alloc(1024, 7));
    expect(readFileCapped(file, options).length).toBe(1024);
  });

  it.each([
    [
      'a regular file one byte over the cap',
      () => {
        const f = join(dir, 'over');
        writeFileSync(f, Buffer.alloc(1025));
        return f;
      },
      'FILE_TOO_LARGE',
    ],
    ['an endless character device', () => '/dev/zero', 'FILE_TOO_LARGE'],
    [
      'a directory',
      () => {
        const d = join(dir, 'sub');
        mkdirSync(d, { recursive: true });
        return d;
      },
      'FILE_IS_DIRECTORY',
    ],
    ['a missing file', () => join(dir, 'missing'), 'FILE_NOT_FOUND'],
    [
      'a dangling symlink',
      () => {
        const l = join(dir, 'dangling');
        symlinkSync(join(dir, 'nowhere'), l);
        return l;
      },
      'FILE_NOT_FOUND',
    ],
  ])('refuses %s with a code', (_, make, code) => {
    expect(codeOf(() => readFileCapped(make(), options))).toBe(code);
  });

  it('refuses a FIFO that streams past the cap without buffering it', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A writer that never stops: the reader must stop at the cap.
    execFileSync('sh', ['-c', `(head -c 100000 /dev/zero > ${fifo} 2>/dev/null &) >/dev/null 2>&1`]);
    expect(codeOf(() => readFileCapped(fifo, options))).toBe('FILE_TOO_LARGE');
  });

  it('uses the given code and names the cap', () => {
    try {
      readFileCapped('/dev/zero', { ...options, tooLargeCode: 'RELOCATION_MAP_TOO_LARGE' });
      throw new Error('unreachable');
    } catch (error) {
      expect((error as UserError).code).toBe('RELOCATION_MAP_TOO_LARGE');
      expect((error as UserError).message).toContain('1 KiB');
    }
  });

  it('keeps every cap in whole KiB or MiB', () => {
    for (const [kind, cap] of Object.entries(SIZE_CAPS)) expect(formatCap(cap), kind).toMatch(/^\d+ (KiB|MiB)$/);
  });
});
