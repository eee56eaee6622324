/**
 * RULE_PLACEHOLDER knows exactly what init invents: every value that differs between two customers'
 * starter specs, or that init makes up whatever the customer, is flagged; names that merely
 * contain "example" are not.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { init } from '../../../cli/services/init.js';
import { findPlaceholders } from '../../../cli/install-spec/rules/placeholders.js';
import { inventedStrings } from '../../../cli/install-spec/init-placeholders.js';

type Leaf = { path: string; value: unknown };

function leaves(value: unknown, path: string[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, String(index)]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
  return [{ path: path.join('.'), value }];
}

const cells = supportMatrix()
  .cells()
  .filter((cell) => cell.status !== 'unsupported');
const CUSTOMERS = ['Initech Inc', 'Globex Corporation'];

describe('init output against RULE_PLACEHOLDER', () => {
  it.each(cells.map((cell) => [cell.id, cell] as const))('%s: every invented value is flagged', (_, cell) => {
    const specs = CUSTOMERS.map((customer) =>
      parse(init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer }).spec),
    );
    const [first, second] = specs.map((spec) => leaves(spec));
    expect(first!.map((leaf) => leaf.path)).toEqual(second!.map((leaf) => leaf.path));
    specs.forEach((spec, which) => {
      const flagged = new Set(findPlaceholders(spec).map((finding) => finding.path.join('.')));
      const own = which === 0 ? first! : second!;
      const other = which === 0 ? second! : first!;
      const invented = inventedStrings(CUSTOMERS[which]);
      own.forEach((leaf, index) => {
        // The customer's own name is input, not invented.
        if (leaf.path === 'metadata.customer') return;
        const differs = leaf.value !== other[index]!.value;
        const known = typeof leaf.value === 'string' && invented.has(leaf.value);
        if (differs || known) expect(flagged.has(leaf.path), `${leaf.path}: ${String(leaf.value)}`).toBe(true);
      });
    });
  });
});

const spec = (scm: object, extra: object = {}) => ({ metadata: { name: 'x', customer: 'Northwind Inc' }, spec: { scm, ...extra } });

describe('findPlaceholders', () => {
  it.each([
    ['a host under .example', spec({ url: 'https://gitlab.northwind.example' })],
    ['a no-proxy domain under .example', spec({}, { network: { egressProxy: { noProxy: ['.northwind.example'] } } })],
    ['an address at .example', spec({}, { acknowledgedBy: 'security-review@northwind.example' })],
    ['the placeholder account id', spec({}, { platform: { accountId: '123456789012' } })],
    ['the GCP placeholder project', spec({}, { platform: { projectId: 'example-project' } })],
    ['the organization init writes', spec({ organizations: ['example-org'] })],
    ['the invented bucket', spec({}, { models: { weights: { bucket: 'northwind-model-weights' } } })],
    ['the invented storage account', spec({}, { models: { weights: { account: 'northwindweights' } } })],
    ['the invented Azure mirror', spec({}, { registry: { mirror: 'northwindagents.azurecr.io/installctl' } })],
    ['the default customer', { metadata: { customer: 'Example Corp' } }],
  ])('flags %s', (_, data) => {
    expect(findPlaceholders(data).map((finding) => finding.code)).toEqual(['RULE_PLACEHOLDER']);
  });

  it.each([
    ['an organization named example-apps', spec({ organizations: ['example-apps'] })],
    // A real organization is often named like the customer (the gcp example: Tailspin Toys, tailspin-toys).
    ['an organization named after the customer', spec({ organizations: ['northwind'] })],
    ['an organization named acme', spec({ organizations: ['acme'] })],
    ['a host with example in a label', spec({ url: 'https://git.example-corp.com/' })],
    ['a host under example.com', spec({ url: 'https://git.example.com/' })],
    ['a path with example', spec({}, { registry: { mirror: 'registry.northwind.corp/example/installctl' } })],
    ['the customer label outside scm', spec({}, { workloads: { platformNamespace: 'northwind' } })],
    ['a customer name', { metadata: { customer: 'Acme' } }],
  ])('keeps %s', (_, data) => {
    expect(findPlaceholders(data)).toEqual([]);
  });
});
