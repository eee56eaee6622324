/** init --customer: the starter spec's example hosts are named after the customer, still placeholders. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { init } from '../../cli/services/init.js';
import { customerLabel, exampleDomain, FALLBACK_LABEL } from '../../cli/install-spec/init-domain.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const NAMES: Array<[string, string]> = [
  ['Initech Inc', 'initech'],
  ['Initech, Inc.', 'initech'],
  ['Contoso Ltd', 'contoso'],
  ['Example Corp', FALLBACK_LABEL],
  ['Acme Federal Systems', 'acme-federal-systems'],
  ['Société Générale S.A.', 'societe-generale'],
  ['Müller & Söhne GmbH', 'muller-sohne'],
  ["O'Reilly Media", 'oreilly-media'],
  ['Acme Holdings Group Inc.', 'acme'],
  ['Company of Heroes Ltd', 'company-of-heroes'],
  ['3M', '3m'],
  ['  -- Wingtip_Toys --  ', 'wingtip-toys'],
  ['ＦＵＬＬＷＩＤＴＨ Corp', 'fullwidth'],
  ['株式会社', FALLBACK_LABEL],
  ['Ελληνική Εταιρεία', FALLBACK_LABEL],
  ['🚀🚀🚀', FALLBACK_LABEL],
  ['!@#$%^&*()', FALLBACK_LABEL],
  ['Inc', FALLBACK_LABEL],
  ['The Very Long Name Of A Company That Goes On And On Holdings', 'very-long-name-of-a-company'],
  ['Supercalifragilisticexpialidocious-and-then-some Corp', 'supercalifragilisticexpialidoc'],
];

describe('customerLabel', () => {
  it.each(NAMES)('%j -> %s', (customer, label) => {
    expect(customerLabel(customer)).toBe(label);
    expect(customerLabel(customer)).toMatch(DNS_LABEL);
    expect(customerLabel(customer).length).toBeLessThanOrEqual(30);
    expect(exampleDomain(customer)).toBe(`${label}.example`);
  });
});

// The spec check refuses padded names; init's --customer is checked as the spec checks it.
const ACCEPTED = NAMES.filter(([customer]) => customer === customer.trim());

describe('init --customer', () => {
  const cells = [
    { platform: 'onprem', scm: 'gitlab-self-managed', models: 'self-hosted', network: 'air-gapped' },
    { platform: 'aws', scm: 'github', models: 'saas-api', network: 'connected' },
    { platform: 'azure', scm: 'bitbucket-data-center', models: 'cloud-managed', network: 'air-gapped' },
  ];
  it.each(ACCEPTED)('%j: every example host is under LABEL.example and still a placeholder', (customer, label) => {
    for (const cell of cells) {
      const result = init({ ...cell, name: 'acme-prod', customer });
      const spec = parse(result.spec) as { spec: { ingress: { hostname: string }; scm: { url?: string; webhooks?: { url: string } }; registry?: { mirror: string } } };
      expect(spec.spec.ingress.hostname).toBe(`agents.${label}.example`);
      if (spec.spec.scm.url) expect(new URL(spec.spec.scm.url).hostname).toBe(`${cell.scm === 'gitlab-self-managed' ? 'gitlab' : 'bitbucket'}.${label}.example`);
      if (cell.platform === 'onprem') expect(spec.spec.registry!.mirror).toBe(`registry.${label}.example/installctl`);
      // No host of another customer's domain is left behind (acme.example only as the fallback).
      if (label !== FALLBACK_LABEL) expect(result.spec).not.toContain('acme.example');
      const check = checkSpecText('starter.yaml', result.spec);
      expect(check.exitCode).toBe(0);
      const placeholders = new Set(check.issues.filter((issue) => issue.code === 'RULE_PLACEHOLDER').map((issue) => issue.path));
      expect(placeholders).toContain('spec.ingress.hostname');
    }
  });
});
