import { describe, expect, it } from 'vitest';
import { cidrContains, cidrRange, unroutedCidrs } from '../../cli/lib/cidr.js';

describe('cidr', () => {
  it('reads a block, ignoring host bits as routes do', () => {
    expect(cidrRange('10.0.0.0/8')).toEqual({ first: 10 * 2 ** 24, last: 11 * 2 ** 24 - 1 });
    expect(cidrRange('10.1.2.3/8')).toEqual(cidrRange('10.0.0.0/8'));
    expect(cidrRange('10.0.0.300/8')).toBeNull();
    expect(cidrRange('example.internal')).toBeNull();
  });

  it.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.40.0.0/16', true],
    ['10.40.0.0/16', '10.0.0.0/8', false],
    ['10.40.0.0/16', '10.40.0.0/16', true],
    ['0.0.0.0/0', '192.168.1.0/24', true],
    ['10.0.0.0/8', '11.0.0.0/24', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(cidrContains(outer, inner)).toBe(expected);
  });

  it('lists the targets neither inside the VPC nor covered by a route', () => {
    expect(unroutedCidrs('10.40.0.0/16', ['10.40.8.0/24', '10.10.0.0/16', '172.16.0.0/12'], ['10.0.0.0/8'])).toEqual(['172.16.0.0/12']);
    // A target only partly inside the VPC still needs a route for the rest.
    expect(unroutedCidrs('10.40.0.0/16', ['10.0.0.0/8'], [])).toEqual(['10.0.0.0/8']);
  });
});
