import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpuMillis, formatCpu, formatMemory, parseQuantity, resourceAmount, wholeUnits } from '../../cli/preflight/quantity.js';

describe('Kubernetes quantities', () => {
  it.each([
    ['3920m', 'cpu', 3920],
    ['4', 'cpu', 4000],
    ['0.5', 'cpu', 500],
    ['100u', 'cpu', 1],
    ['15Gi', 'memory', 15 * 1024 ** 3],
    ['16266544Ki', 'memory', 16266544 * 1024],
    ['128974848', 'memory', 128974848],
    ['129e6', 'memory', 129_000_000],
    ['1.5G', 'memory', 1_500_000_000],
    ['8', 'nvidia.com/gpu', 8],
  ])('%s of %s', (text, resource, expected) => {
    expect(resourceAmount({ [resource]: text }, resource)).toBe(expected);
  });

  it.each(['', 'abc', '1.2.3', '5 Gi', 'Gi', '1X', '--1'])('refuses %j', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });

  it('treats an absent or unreadable resource as none', () => {
    expect(resourceAmount({}, 'nvidia.com/gpu')).toBe(0);
    expect(resourceAmount(null, 'cpu')).toBe(0);
    expect(resourceAmount({ cpu: 'lots' }, 'cpu')).toBe(0);
  });

  it('reads any millicore count written as m or as decimal cores alike', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (millis) => {
        expect(cpuMillis(`${millis}m`)).toBe(millis);
        expect(cpuMillis((millis / 1000).toString())).toBe(millis);
      }),
    );
  });

  it('reads the same byte count in every binary suffix', () => {
    const suffixes = ['Ki', 'Mi', 'Gi', 'Ti'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4096 }), fc.constantFrom(...suffixes), (count, suffix) => {
        const power = suffixes.indexOf(suffix) + 1;
        expect(wholeUnits(`${count}${suffix}`)).toBe(count * 1024 ** power);
        expect(wholeUnits(`${count * 1024 ** power}`)).toBe(count * 1024 ** power);
      }),
    );
  });

  it('is monotonic: a larger decimal quantity never reads as smaller', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.constantFrom('', 'k', 'M', 'G', 'm'), (a, b, suffix) => {
        const left = parseQuantity(`${a}${suffix}`)!;
        const right = parseQuantity(`${b}${suffix}`)!;
        expect(Math.sign(left - right)).toBe(Math.sign(a - b));
      }),
    );
  });

  it('formats for messages', () => {
    expect(formatCpu(3920)).toBe('3.92 cores');
    expect(formatCpu(4000)).toBe('4 cores');
    expect(formatMemory(16 * 1024 ** 3)).toBe('16 GiB');
  });
});
