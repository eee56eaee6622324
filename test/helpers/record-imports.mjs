// Loaded with --import: records every module URL the process resolves into $RECORD_IMPORTS_FILE.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.RECORD_IMPORTS_FILE)}, result.url + '\\n');
  return result;
}`),
);
