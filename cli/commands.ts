/**
 * Every command, for oclif's "explicit" command discovery: the build bundles this module (and the
 * oclif runtime) into dist/installctl.js, so start-up loads one file instead of hundreds.
 */
import BundleCreate from './commands/bundle/create.js';
import BundleKeygen from './commands/bundle/keygen.js';
import BundlePush from './commands/bundle/push.js';
import BundleVerify from './commands/bundle/verify.js';
import Completion from './commands/completion.js';
import Conformance from './commands/conformance/index.js';
import ConformanceMerge from './commands/conformance/merge.js';
import Help from './commands/help.js';
import Init from './commands/init.js';
import Matrix from './commands/matrix/index.js';
import MatrixExplain from './commands/matrix/explain.js';
import Preflight from './commands/preflight.js';
import Render from './commands/render.js';
import Status from './commands/status.js';
import SupportBundle from './commands/support-bundle/index.js';
import SupportBundleAnalyze from './commands/support-bundle/analyze.js';
import UpgradeApplySpec from './commands/upgrade/apply-spec.js';
import UpgradePlan from './commands/upgrade/plan.js';
import Validate from './commands/validate.js';
import Version from './commands/version.js';
import commandNotFound from './hooks/command-not-found.js';

export { execute } from '@oclif/core/execute';
export { commandNotFound };
export { withVersionCommand } from './lib/version-flag.js';

export const COMMANDS = {
  'bundle:create': BundleCreate,
  'bundle:keygen': BundleKeygen,
  'bundle:push': BundlePush,
  'bundle:verify': BundleVerify,
  completion: Completion,
  conformance: Conformance,
  'conformance:merge': ConformanceMerge,
  help: Help,
  init: Init,
  matrix: Matrix,
  'matrix:explain': MatrixExplain,
  preflight: Preflight,
  render: Render,
  status: Status,
  'support-bundle': SupportBundle,
  'support-bundle:analyze': SupportBundleAnalyze,
  'upgrade:apply-spec': UpgradeApplySpec,
  'upgrade:plan': UpgradePlan,
  validate: Validate,
  version: Version,
};
