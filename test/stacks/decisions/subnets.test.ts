import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCidr, networkBlockProblems, overlaps, parseCidr, planSubnets, POD_CIDR, SERVICE_CIDR, CONTROL_PLANE_CIDR, subBlock } from '../../../stacks/decisions/subnets.js';

describe('planSubnets', () => {
  it('cuts a /16 into /18 private subnets and /20 public subnets', () => {
    expect(planSubnets('10.40.0.0/16', 3, true)).toEqual({
      private: ['10.40.0.0/18', '10.40.64.0/18', '10.40.128.0/18'],
      public: ['10.40.192.0/20', '10.40.208.0/20', '10.40.224.0/20'],
      reserved: '10.40.240.0/20',
      services: '10.40.128.0/18',
    });
  });

  it('has no public subnets on an air-gapped network', () => {
    expect(planSubnets('10.20.0.0/20', 2, false).public).toEqual([]);
    expect(planSubnets('10.20.0.0/20', 2, false).private).toEqual(['10.20.0.0/22', '10.20.4.0/22']);
  });

  it.each([
    ['10.0.0.0/15', 3, /\/16 to \/22/],
    ['10.0.0.0/23', 3, /\/16 to \/22/],
    ['10.0.1.0/16', 3, /host bits/],
    ['10.0.0.0/16', 4, /zones must be 2 or 3/],
    ['banana', 3, /not an IPv4 CIDR/],
  ])('refuses %s with %i zones', (cidr, zones, problem) => {
    expect(networkBlockProblems(cidr, zones).join('; ')).toMatch(problem);
    expect(() => planSubnets(cidr, zones, true)).toThrow(problem);
  });

  it('property: subnets lie inside the block, never overlap each other, and avoid the pod/service/control-plane ranges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 22 }), fc.integer({ min: 0, max: 2 ** 16 - 1 }), fc.integer({ min: 2, max: 3 }), fc.boolean(), (prefix, seed, zones, withPublic) => {
        const size = 2 ** (32 - prefix);
        const base = (167772160 /* 10.0.0.0 */ + ((seed * size) % 2 ** 24)) >>> 0;
        const cidr = formatCidr({ base: base - (base % size), prefix });
        const plan = planSubnets(cidr, zones, withPublic);
        const block = parseCidr(cidr);
        const subnets = [...plan.private, ...plan.public, plan.reserved].map(parseCidr);
        expect(plan.private).toHaveLength(zones);
        expect(plan.public).toHaveLength(withPublic ? zones : 0);
        for (const subnet of subnets) {
          expect(subnet.base).toBeGreaterThanOrEqual(block.base);
          expect(subnet.base + 2 ** (32 - subnet.prefix)).toBeLessThanOrEqual(block.base + size);
          for (const fixed of [POD_CIDR, SERVICE_CIDR, CONTROL_PLANE_CIDR]) expect(overlaps(subnet, parseCidr(fixed))).toBe(false);
        }
        for (let i = 0; i < subnets.length; i++) for (let j = i + 1; j < subnets.length; j++) expect(overlaps(subnets[i]!, subnets[j]!)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('sub-blocks refuse impossible cuts', () => {
    expect(() => subBlock(parseCidr('10.0.0.0/24'), 20, 0)).toThrow();
    expect(() => subBlock(parseCidr('10.0.0.0/24'), 26, 4)).toThrow();
    expect(formatCidr(subBlock(parseCidr('10.0.0.0/24'), 26, 3))).toBe('10.0.0.192/26');
  });
});
