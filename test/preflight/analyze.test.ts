import { describe, expect, it } from 'vitest';
import { analyzeEvidence, ANALYZERS } from '../../cli/preflight/analyze.js';
import { CHECK_CATALOGUE } from '../../cli/preflight/check-catalogue.js';
import { checkApplies, collectionPlanFor, collectorsFor, preflightRequirements } from '../../cli/preflight/requirements.js';
import type { CheckResult } from '../../cli/preflight/types.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { evidenceProblems, healthyEvidence } from '../helpers/preflight-evidence.js';
import { EVIDENCE_VARIANTS } from '../helpers/preflight-variants.js';
import { preflightSpecs } from '../helpers/preflight-specs.js';

const now = calendarAsOf();
const specs = preflightSpecs().map((entry) => ({ ...entry, requirements: preflightRequirements(entry.install, entry.cell, { now }) }));

const notPassing = (results: CheckResult[]) =>
  results.filter((result) => result.outcome !== 'pass').map((result) => `${result.id} ${result.outcome} [${result.subject}]: ${result.message}`);

describe('preflight analyzers over every runnable cell and example', () => {
  it.each(specs.map((spec) => [spec.label, spec] as const))('%s: healthy evidence passes every check, --active included', (_label, { requirements }) => {
    const evidence = healthyEvidence(requirements, undefined, { active: true, now });
    expect(evidenceProblems(evidence)).toEqual([]);
    const results = analyzeEvidence(requirements, evidence, now);
    expect(notPassing(results)).toEqual([]);
    // Every check that applies reports something; nothing else does.
    const ids = [...new Set(results.map((result) => result.id))];
    const applicable = CHECK_CATALOGUE.filter((entry) => entry.layer !== 'bundle' && checkApplies(entry.id, requirements)).map((entry) => entry.id);
    expect(ids).toEqual(applicable);
  });

  const cases = specs.flatMap((spec) =>
    EVIDENCE_VARIANTS.map((variant) => ({ spec, variant, expected: variant.expect(spec.requirements, now) }))
      .filter((entry) => entry.expected !== null)
      .map((entry) => [`${spec.label}: ${entry.variant.name}`, entry] as const),
  );

  it.each(cases)('%s', (_name, { spec, variant, expected }) => {
    const evidence = healthyEvidence(spec.requirements, undefined, { now });
    variant.apply(evidence, spec.requirements, now);
    expect(evidenceProblems(evidence)).toEqual([]);
    const results = analyzeEvidence(spec.requirements, evidence, now);
    for (const [id, outcome] of Object.entries(expected!))
      expect(
        results.filter((result) => result.id === id).map((result) => result.outcome),
        id,
      ).toContain(outcome);
    const unexpected = results.filter((result) => result.outcome !== 'pass' && expected![result.id] !== result.outcome);
    expect(notPassing(unexpected)).toEqual([]);
    for (const result of results.filter((candidate) => candidate.outcome !== 'pass')) expect(result.remedy, result.id).not.toBe('');
  });

  it.each(specs.map((spec) => [spec.label, spec] as const))('%s: a forbidden collector errors only the checks that read it', (_label, { requirements }) => {
    const plan = collectionPlanFor(requirements, { active: true });
    for (const collector of plan.collectors) {
      const evidence = healthyEvidence(requirements, undefined, { active: true, now });
      evidence.collectors[collector] = { status: 'forbidden', httpStatus: 403, message: `${collector} is forbidden: User "alice" cannot list` };
      const results = analyzeEvidence(requirements, evidence, now);
      const errored = results.filter((result) => result.outcome === 'error');
      const readers = new Set(results.map((result) => result.id).filter((id) => collectorsFor(id, requirements).includes(collector)));
      expect(new Set(errored.map((result) => result.id)), collector).toEqual(readers);
      for (const result of errored) expect(result.message).toContain(collector);
      for (const result of errored) expect(result.remedy, collector).toMatch(/grant/);
      expect(notPassing(results.filter((result) => result.outcome !== 'error')), collector).toEqual([]);
    }
  });
});

describe('the catalogue and the analyzers', () => {
  it('has an analyzer for every preflight and active check and none for anything else', () => {
    const ids = CHECK_CATALOGUE.filter((entry) => entry.layer !== 'bundle').map((entry) => entry.id);
    expect(Object.keys(ANALYZERS).sort()).toEqual([...ids].sort());
  });

  it('produces every preflight and active check id for some spec', () => {
    const produced = new Set<string>();
    for (const { requirements } of specs)
      for (const result of analyzeEvidence(requirements, healthyEvidence(requirements, undefined, { active: true, now }), now)) produced.add(result.id);
    expect([...produced].sort()).toEqual(
      CHECK_CATALOGUE.filter((entry) => entry.layer !== 'bundle')
        .map((entry) => entry.id)
        .sort(),
    );
  });

  it('sorts results by catalogue order, then subject, and links each to its README anchor', () => {
    const { requirements } = specs.find((spec) => spec.requirements.gpu && spec.requirements.pullSecret)!;
    const results = analyzeEvidence(requirements, healthyEvidence(requirements, undefined, { now }), now);
    const order = CHECK_CATALOGUE.map((entry) => entry.id);
    const keys = results.map((result) => [order.indexOf(result.id), result.subject ?? ''] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
    for (const result of results) expect(result.doc).toBe(`README.md#preflight-${result.id}`);
  });

  it('reports no active check without --active', () => {
    const { requirements } = specs[0]!;
    const results = analyzeEvidence(requirements, healthyEvidence(requirements, undefined, { now }), now);
    expect(results.filter((result) => result.id.startsWith('active-'))).toEqual([]);
  });
});
