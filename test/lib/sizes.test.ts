import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatBytes, parseSize } from '../../cli/lib/sizes.js';

describe('sizes', () => {
  it.each([
    ['123', 123],
    ['64MiB', 64 * 1024 * 1024],
    ['64 MiB', 64 * 1024 * 1024],
    ['1.5GB', 1.5e9],
    ['512k', 512000],
    ['4GiB', 4 * 1024 ** 3],
  ])('parses %s', (text, bytes) => {
    expect(parseSize(text, '--chunk-size')).toBe(bytes);
  });

  it.each(['', 'lots', '0', '-1MiB', '12 parsecs'])('refuses %j as a usage error naming the flag', (text) => {
    expect(() => parseSize(text, '--chunk-size')).toThrow(/--chunk-size/);
  });

  it('formats bytes with binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64.0 MiB');
  });

  it('round-trips: a formatted size parses back to within its rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 2 ** 44 }), (bytes) => {
        const parsed = parseSize(formatBytes(bytes).replace(' ', ''), '--x');
        expect(Math.abs(parsed - bytes) / bytes).toBeLessThan(0.05);
      }),
    );
  });
});
