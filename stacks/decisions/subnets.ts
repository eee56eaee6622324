/**
 * Address planning for new networks. The VPC/VNet block is cut into four quarters: quarters 0-2
 * hold one private subnet per zone, quarter 3 is cut into four again for public subnets (only on
 * connected networks, for NAT) and a reserved slot. Pure and deterministic.
 */

export interface Ipv4Block {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseCidr(cidr: string): Ipv4Block {
  const match = CIDR.exec(cidr);
  if (!match) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const base = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  if (base % 2 ** (32 - prefix) !== 0) throw new Error(`${cidr} has host bits set`);
  return { base, prefix };
}

export function formatCidr(block: Ipv4Block): string {
  return `${formatAddress(block.base)}/${block.prefix}`;
}

export function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The index-th sub-block of the given prefix inside block. */
export function subBlock(block: Ipv4Block, prefix: number, index: number): Ipv4Block {
  if (prefix < block.prefix || prefix > 32) throw new Error(`cannot cut /${block.prefix} into /${prefix}`);
  const count = 2 ** (prefix - block.prefix);
  if (index < 0 || index >= count) throw new Error(`/${block.prefix} has ${count} /${prefix} blocks, not ${index + 1}`);
  return { base: block.base + index * 2 ** (32 - prefix), prefix };
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/** Problems with a network block for a new VPC/VNet (empty when usable). */
export function networkBlockProblems(cidr: string, zones: number): string[] {
  let block: Ipv4Block;
  try {
    block = parseCidr(cidr);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  if (block.prefix < 16 || block.prefix > 22) problems.push(`network ${cidr} must be a /16 to /22`);
  if (zones < 2 || zones > 3) problems.push(`zones must be 2 or 3, not ${zones}`);
  return problems;
}

export interface SubnetPlan {
  /** One private subnet per zone. */
  private: string[];
  /** One public subnet per zone (connected networks only; empty when air-gapped). */
  public: string[];
  /** A block no subnet uses: for Private Service Connect addresses and similar. */
  reserved: string;
  /** For managed services peered into the network (GCP private services access). */
  services: string;
}

export function planSubnets(cidr: string, zones: number, withPublic: boolean): SubnetPlan {
  const problems = networkBlockProblems(cidr, zones);
  if (problems.length) throw new Error(problems.join('; '));
  const block = parseCidr(cidr);
  const quarter = (index: number) => subBlock(block, block.prefix + 2, index);
  const tail = quarter(3);
  return {
    private: Array.from({ length: zones }, (_, zone) => formatCidr(quarter(zone))),
    public: withPublic ? Array.from({ length: zones }, (_, zone) => formatCidr(subBlock(tail, tail.prefix + 2, zone))) : [],
    reserved: formatCidr(subBlock(tail, tail.prefix + 2, 3)),
    services: formatCidr(quarter(2)),
  };
}

/** Pod and service ranges outside the VPC block (CGNAT space), for GKE and AKS overlay networking. */
export const POD_CIDR = '100.64.0.0/14';
export const SERVICE_CIDR = '100.68.0.0/20';
/** The private GKE control plane's /28. */
export const CONTROL_PLANE_CIDR = '172.16.0.0/28';
