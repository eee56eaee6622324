#!/usr/bin/env node
// The CLI is bundled into dist/installctl.js by `npm run build` (run by npm ci through prepare).
import { execute, withVersionCommand } from '../../dist/installctl.js';

await execute({ dir: import.meta.url, args: withVersionCommand(process.argv.slice(2)) });
