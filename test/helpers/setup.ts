/** vitest setupFiles: runs in every test process before its test file (see test-environment.ts). */
import { isolateEnvironment } from './test-environment.js';

isolateEnvironment();
