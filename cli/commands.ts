/**
 * Every command, for oclif's "explicit" command discovery: the build bundles this module (and the
 * oclif runtime) into dist/installctl.js, so start-up loads one file instead of hundreds.
 */
import Init from './commands/init.js';
import Matrix from './commands/matrix/index.js';
import MatrixExplain from './commands/matrix/explain.js';
import Validate from './commands/validate.js';

export { execute } from '@oclif/core/execute';

export const COMMANDS = {
  init: Init,
  matrix: Matrix,
  'matrix:explain': MatrixExplain,
  validate: Validate,
};
