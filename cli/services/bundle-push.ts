/**
 * `installctl bundle push`: the engine lives in cli/bundle/push.ts (plan, upload, manifests,
 * read-back, receipt); this is the command's entry to it (commands talk to services) and the
 * service boundary where the typed errors of the layers below become user errors.
 */
import { withUserErrors } from '../lib/errors.js';
import { pushBundle as runPush, type BundlePushOptions, type PushResult } from '../bundle/push.js';

export type { BundlePushOptions, PushEvent, PushPlanSummary, PushResult } from '../bundle/push.js';

/** The service boundary: an OciError of the layers below leaves as the UserError the catalogue makes of it. */
export function pushBundle(options: BundlePushOptions): Promise<PushResult> {
  return withUserErrors(() => runPush(options));
}
