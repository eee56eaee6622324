/**
 * IPv4 CIDR arithmetic for rules and policies that ask whether one network lies in another: routes,
 * allow-lists, a VPC's block. Host bits are ignored, as routes ignore them.
 */

export interface CidrRange {
  first: number;
  last: number;
}

/** The addresses of an IPv4 CIDR (host bits ignored, as routes ignore them), or null when it is not one. */
export function cidrRange(cidr: string): CidrRange | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return null;
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const first = address - (address % size);
  return { first, last: first + size - 1 };
}

/** Whether every address of inner lies in outer. */
export function cidrContains(outer: string, inner: string): boolean {
  const a = cidrRange(outer);
  const b = cidrRange(inner);
  return a !== null && b !== null && a.first <= b.first && b.last <= a.last;
}

/**
 * The site networks a workload in the VPC must reach but no route takes it to: each target not
 * inside the VPC and not covered by one of the routes. A target that only partly lies in the VPC
 * still needs a route for the rest.
 */
export function unroutedCidrs(vpcCidr: string, targets: readonly string[], routes: readonly string[]): string[] {
  return targets.filter((target) => !cidrContains(vpcCidr, target) && !routes.some((route) => cidrContains(route, target)));
}
