/**
 * `installctl bundle push`: the engine lives in cli/bundle/push.ts (plan, upload, manifests,
 * read-back, receipt); this is the command's entry to it (commands talk to services).
 */
export { pushBundle, type BundlePushOptions, type PushEvent, type PushPlanSummary, type PushResult } from '../bundle/push.js';
