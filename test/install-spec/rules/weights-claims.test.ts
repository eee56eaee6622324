/** validate's weights.create rules (cli/install-spec/rules/models.ts): a ReadWriteOnce claim serves one replica; the fill Job needs the mirror. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkedStarterSpec, SCHEMA_URL } from '../../../cli/emit/starter-spec-check.js';
import { supportMatrix } from '../../../cli/matrix/engine.js';
import { checkData, codes, loadExample, withValue } from '../../helpers/specs.js';

const EXAMPLE = 'aws-ghes-self-hosted-air-gapped.yaml';
const WEIGHTS = 'spec.models.catalog.0.weights';
const base = () => loadExample(EXAMPLE);

describe('weights.create', () => {
  it('accepts the example as it is (a pre-existing claim) and a created ReadWriteMany claim for two replicas', () => {
    expect(codes(checkData(base()))).toEqual([]);
    const data = withValue(base(), `${WEIGHTS}.create`, { size: '100Gi', accessMode: 'ReadWriteMany', storageClass: 'efs-sc' });
    expect(codes(checkData(data))).toEqual([]);
  });

  it('refuses a ReadWriteOnce claim for a model of two replicas (RULE_WEIGHTS_RWO_REPLICAS)', () => {
    const result = checkData(withValue(base(), `${WEIGHTS}.create`, { size: '100Gi', accessMode: 'ReadWriteOnce' }));
    expect(codes(result)).toEqual(['RULE_WEIGHTS_RWO_REPLICAS']);
    expect(result.issues[0]!.path).toBe('spec.models.catalog[0].weights.create.accessMode');
    const one = withValue(withValue(base(), `${WEIGHTS}.create`, { size: '100Gi', accessMode: 'ReadWriteOnce' }), 'spec.models.catalog.0.replicas', 1);
    expect(codes(checkData(one))).toEqual([]);
  });

  it('refuses a claim to fill without a registry mirror (RULE_WEIGHTS_CREATE_MIRROR): a connected starter without one', () => {
    const cell = supportMatrix().cell('onprem/github/self-hosted/connected')!;
    const starter = parse(checkedStarterSpec(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: SCHEMA_URL }, '<init>').spec);
    expect(starter.spec.registry?.mirror).toBeUndefined();
    const data = withValue(starter, WEIGHTS, { source: 'pvc', claimName: 'weights-coder', create: { size: '100Gi', accessMode: 'ReadWriteOnce' } });
    expect(codes(checkData(withValue(data, 'spec.models.catalog.0.replicas', 1)))).toEqual(['RULE_WEIGHTS_CREATE_MIRROR']);
  });

  it.each([{ size: '100GB', accessMode: 'ReadWriteOnce' }, { size: '100Gi', accessMode: 'ReadWriteOncePod' }, { size: '100Gi' }])('refuses the shape %j (schema)', (create) => {
    expect(codes(checkData(withValue(base(), `${WEIGHTS}.create`, create))).length).toBeGreaterThan(0);
  });
});
