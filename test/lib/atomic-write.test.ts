/** File-system failures the operator can fix become OUTPUT_NOT_WRITABLE (exit 2), never "this is a bug". */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputError, writeFileAtomic } from '../../cli/lib/atomic-write.js';
import { UserError } from '../../cli/lib/errors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code, path: '/x/y' });

describe('outputError', () => {
  it.each(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EEXIST', 'EISDIR', 'ENAMETOOLONG', 'ELOOP'])('%s -> OUTPUT_NOT_WRITABLE naming the directory', (code) => {
    const error = outputError(errno(code), '/x');
    expect(error?.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain('/x');
    expect(error?.message).toContain(code);
  });

  it.each([
    ['EIO', errno('EIO')],
    ['no errno', new Error('x')],
    ['not an error', 'x'],
  ])('%s -> null (a bug stays a bug)', (_name, error) => {
    expect(outputError(error, '/x')).toBeNull();
  });

  it('passes a user error through', () => {
    const error = new UserError('x', { code: 'RENDER_OUT_BUSY' });
    expect(outputError(error, '/x')).toBe(error);
  });
});

describe('writeFileAtomic', () => {
  it('reports a path it cannot write as OUTPUT_NOT_WRITABLE and leaves no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-atomic-'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => writeFileAtomic(join(dir, 'file', 'out.yaml'), 'y')).toThrow(expect.objectContaining({ code: 'OUTPUT_NOT_WRITABLE' }));
    expect(() => writeFileAtomic(dir, 'y')).toThrow(expect.objectContaining({ code: 'OUTPUT_NOT_WRITABLE' }));
    expect(readdirSync(dir)).toEqual(['file']);
  });
});
