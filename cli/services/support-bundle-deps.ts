/**
 * What support-bundle needs from the preflight and cluster rooms, as one object: the real functions
 * by default, fakes in tests (no cluster on a test machine; the orchestration, redaction and
 * archive are still exercised end to end).
 */
import { preflightRequirements, collectionPlanFor } from '../preflight/requirements.js';
import { connect } from '../cluster/connect.js';
import { collectEvidence } from '../cluster/collect.js';
import { collectBundleObjects } from '../cluster/bundle-collect.js';

export interface SupportBundleDeps {
  now: () => Date;
  env: NodeJS.ProcessEnv;
  requirements: typeof preflightRequirements;
  plan: typeof collectionPlanFor;
  connect: typeof connect;
  collectEvidence: typeof collectEvidence;
  collectObjects: typeof collectBundleObjects;
}

export function defaultSupportBundleDeps(): SupportBundleDeps {
  return {
    now: () => new Date(),
    env: process.env,
    requirements: preflightRequirements,
    plan: collectionPlanFor,
    connect,
    collectEvidence,
    collectObjects: collectBundleObjects,
  };
}
