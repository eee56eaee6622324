/**
 * The values `installctl init` invents and the RULE_PLACEHOLDER rule flags: one source for both,
 * so what init writes and what validate recognises cannot drift apart. Names are derived from the
 * customer's label (init-domain.ts), as init derives its example hosts; the rule recomputes them
 * from the spec's metadata.customer, and from the fallback label for a spec whose customer changed.
 */
import { customerLabel, FALLBACK_LABEL } from './init-domain.js';
import { PLATFORMS, platformDescriptor, type PlatformId, type PlatformPlaceholders } from '../dimensions/index.js';

export const PLACEHOLDER_ACCOUNT_ID = '123456789012';
export const PLACEHOLDER_UUID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_CUSTOMER = 'Example Corp';
export const PLACEHOLDER_GCP_PROJECT = 'example-project';
export const PLACEHOLDER_TRANSIT_GATEWAY = 'tgw-00000000000000000';

/** The reserved top-level domain (RFC 2606) every example host of init lives under. */
export const EXAMPLE_TLD = 'example';

/** A host or domain under .example anywhere in a value: `agents.initech.example`, `https://git.x.example:8443/`, `a@x.example`, `.x.example`. */
export const EXAMPLE_HOST = /(?:^|[^A-Za-z0-9-])(?:[A-Za-z0-9-]+\.)+example(?=$|[/:?#\s,\]}])/i;

/** A label without dashes, for names that allow only lowercase letters and digits (Azure). */
const compact = (label: string) => label.replace(/-/g, '');

/**
 * The SCM organization init writes: not the customer's label, which is what a real organization is
 * most often called (a spec for Tailspin Toys with org tailspin-toys must not be a placeholder).
 */
export const PLACEHOLDER_SCM_ORGANIZATION = 'example-org';

/** Names init makes up for one customer label: object stores and the Azure registry (cloud-wide names, so the label keeps them apart). */
export function inventedNames(label: string) {
  return {
    bucket: `${label}-model-weights`,
    // Azure storage accounts: 3-24 lowercase letters and digits.
    storageAccount: `${compact(label).slice(0, 17)}weights`,
    // Azure container registries: 5-50 letters and digits.
    azureRegistry: `${compact(label).slice(0, 40)}agents`,
  };
}

/** Every value init invents for one customer label, as the platform descriptors' starter fragments take them. */
export function starterPlaceholders(label: string): PlatformPlaceholders {
  return {
    accountId: PLACEHOLDER_ACCOUNT_ID,
    uuid: PLACEHOLDER_UUID,
    gcpProject: PLACEHOLDER_GCP_PROJECT,
    customerLabel: label,
    exampleTld: EXAMPLE_TLD,
    names: inventedNames(label),
    transitGatewayId: PLACEHOLDER_TRANSIT_GATEWAY,
  };
}

/** The registry mirror init writes per platform (domain: LABEL.example); the platform descriptor knows its registry's shape. */
export function inventedMirror(platform: PlatformId, label: string): string {
  return platformDescriptor(platform).emit.starterMirror(starterPlaceholders(label));
}

/** Every exact string init may write for a customer: from its label and from the fallback label. */
export function inventedStrings(customer: unknown): Set<string> {
  const labels = new Set([FALLBACK_LABEL]);
  if (typeof customer === 'string') labels.add(customerLabel(customer));
  const strings = new Set([PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_UUID, DEFAULT_CUSTOMER, PLACEHOLDER_GCP_PROJECT, PLACEHOLDER_SCM_ORGANIZATION, PLACEHOLDER_TRANSIT_GATEWAY]);
  for (const label of labels) {
    for (const name of Object.values(inventedNames(label))) strings.add(name);
    for (const platform of Object.values(PLATFORMS)) strings.add(platform.emit.starterMirror(starterPlaceholders(label)));
  }
  return strings;
}
