/**
 * version-pin-major and network-reachable: each AWS stack shape (models x network, from the support
 * matrix) is synthesized once; the policies pass on it and fire on the shape today's main produced
 * (RDS engineVersion 16.6, an air-gapped VPC without attachment routes or Session Manager endpoints).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { synthesizeProject } from '../../../cli/conformance/pulumi/synthesize.js';
import { checkPolicies } from '../../../cli/conformance/pulumi/policies.js';
import type { Synthesis, SynthesizedResource } from '../../../cli/conformance/pulumi/types.js';
import { isMajorOnly, isMajorOnlyToken, pinsNoFinerThan, versionParts } from '../../../cli/conformance/pulumi/version-pins.js';
import { AWS_OPERATOR_INTERFACE_SERVICES } from '../../../stacks/decisions/attachments.js';
import { renderCell, renderableCells } from '../../helpers/cells.js';

// One cell per stack shape: the SCM does not change the AWS stack.
const shapes = [...new Map(renderableCells().filter((cell) => cell.platform === 'aws').map((cell) => [`${cell.models}/${cell.network}`, cell])).values()];
const syntheses = new Map<string, Synthesis>();

beforeAll(async () => {
  for (const cell of shapes) syntheses.set(cell.id, await synthesizeProject(join(renderCell(cell).dir, 'pulumi')));
}, 300_000);

type Mutation = (resources: SynthesizedResource[]) => SynthesizedResource[];
const edit =
  (type: string, change: (inputs: Record<string, any>) => void): Mutation =>
  (resources) =>
    resources.map((resource) => {
      if (resource.type !== type) return resource;
      const inputs = structuredClone(resource.inputs);
      change(inputs);
      return { ...resource, inputs };
    });
const policiesAfter = (id: string, ...mutations: Mutation[]) => {
  const synthesis = syntheses.get(id)!;
  const resources = mutations.reduce((current, mutate) => mutate(current), structuredClone(synthesis.resources));
  return checkPolicies({ ...synthesis, resources }).map((violation) => violation.policy);
};

/** What main synthesized for an air-gapped VPC: no attachment, private route tables without routes, no Session Manager endpoints. */
const mainIsland: Mutation[] = [
  (resources) => resources.filter((resource) => resource.type !== 'aws:ec2transitgateway/vpcAttachment:VpcAttachment'),
  edit('aws:ec2/routeTable:RouteTable', (inputs) => (inputs.routes = [])),
  (resources) => resources.filter((resource) => !(AWS_OPERATOR_INTERFACE_SERVICES as readonly string[]).some((service) => String(resource.inputs.serviceName).endsWith(`.${service}`))),
];

describe('AWS version pins and site reachability', () => {
  it.each(shapes.map((cell) => [cell.id]))('%s: passes as synthesized', (id) => {
    expect(checkPolicies(syntheses.get(id)!)).toEqual([]);
  });

  it.each(shapes.map((cell) => [cell.id]))("%s: main's RDS pin 16.6 with automatic minor upgrades fails version-pin-major", (id) => {
    expect(policiesAfter(id, edit('aws:rds/instance:Instance', (inputs) => (inputs.engineVersion = '16.6')))).toEqual(['version-pin-major']);
    // Without automatic minor upgrades, a minor pin is what the operator manages by hand.
    expect(policiesAfter(id, edit('aws:rds/instance:Instance', (inputs) => Object.assign(inputs, { engineVersion: '16.6', autoMinorVersionUpgrade: false })))).toEqual([]);
    expect(policiesAfter(id, edit('aws:elasticache/replicationGroup:ReplicationGroup', (inputs) => (inputs.engineVersion = '7.1.0')))).toEqual(['version-pin-major']);
  });

  const airGapped = shapes.filter((cell) => cell.network === 'air-gapped');
  it.each(airGapped.map((cell) => [cell.id]))("%s: main's island VPC fails network-reachable", (id) => {
    const policies = policiesAfter(id, ...mainIsland);
    expect(new Set(policies)).toEqual(new Set(['network-reachable']));
    // One per private route table and one per missing Session Manager endpoint.
    expect(policies.length).toBeGreaterThan(AWS_OPERATOR_INTERFACE_SERVICES.length);
  });

  it.each(airGapped.map((cell) => [cell.id]))('%s: a route to a Transit Gateway that is not attached does not count', (id) => {
    const elsewhere = edit('aws:ec2/routeTable:RouteTable', (inputs) => (inputs.routes = inputs.routes.map((route: any) => ({ ...route, transitGatewayId: 'tgw-0fffffffffffffff0' }))));
    expect(new Set(policiesAfter(id, elsewhere))).toEqual(new Set(['network-reachable']));
  });
});

describe('version pins', () => {
  it.each<[unknown, number | null, boolean, boolean]>([
    ['16', 1, true, true],
    ['16.6', 2, false, true],
    ['7.1.0', 3, false, false],
    [16, 1, true, true],
    ['6.x', 1, true, true],
    ['7.1.x', 2, false, true],
    ['latest', null, false, false],
    [undefined, null, false, false],
  ])('%s: %s parts, major only %s, no finer than major.minor %s', (version, parts, major, minor) => {
    expect(versionParts(version)).toBe(parts);
    expect(isMajorOnly(version)).toBe(major);
    expect(pinsNoFinerThan(version, 2)).toBe(minor);
  });

  it('reads Cloud SQL version tokens', () => {
    expect(isMajorOnlyToken('POSTGRES_16')).toBe(true);
    expect(isMajorOnlyToken('POSTGRES_16_4')).toBe(false);
  });
});
