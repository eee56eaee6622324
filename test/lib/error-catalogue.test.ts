/**
 * The error catalogue is the one table of codes and exit codes: every code the code and data can
 * emit is in it, every entry is used, README's table is generated from it, and the exit codes people
 * script against stay what they were (the frozen table below changes only on purpose).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  ERROR_CATALOGUE,
  EXIT_OK,
  exitCodeOf,
  formatErrorTable,
  isErrorCode,
  SPEC_EXITS,
  type CatalogueEntry,
  type ErrorCode,
  type StoppingCode,
} from '../../cli/lib/error-catalogue.js';
import { asUserError, CodedError, UserError, withUserErrors } from '../../cli/lib/errors.js';
import { OciError } from '../../cli/oci/errors.js';
import { requirementCode, supportMatrix } from '../../cli/matrix/engine.js';
import { REPO } from '../helpers/cli.js';

const entries = Object.entries(ERROR_CATALOGUE) as Array<[ErrorCode, CatalogueEntry]>;
const stopping = entries.filter(([, entry]) => entry.exit !== null).map(([code]) => code as StoppingCode);

/** The exit code of every code that stops a command, as README promised before the catalogue existed. */
const FROZEN_EXITS: Record<number, StoppingCode[]> = {
  1: [
    'MATRIX_UNSUPPORTED',
    'CONFORMANCE_MERGE_INCOMPLETE',
    'KUBECONFIG_NOT_FOUND',
    'CLUSTER_UNREACHABLE',
    'CLUSTER_UNAUTHORIZED',
    // An upgrade plan's blockers (issue 15): the plan is printed, and exits 1.
    'UPGRADE_DOWNGRADE',
    'UPGRADE_KUBERNETES_WINDOW',
    'UPGRADE_STATEFUL_LOSS',
    'UPGRADE_SPEC_BLOCKED',
  ],
  3: ['BUNDLE_SIGNATURE_INVALID'],
  4: ['BUNDLE_INVALID', 'BUNDLE_TRUNCATED', 'BUNDLE_BLOB_MISSING', 'BUNDLE_BLOB_CORRUPT', 'BUNDLE_BLOB_EXTRA'],
  5: [
    'REGISTRY_UNREACHABLE',
    'REGISTRY_TLS_FAILED',
    'REGISTRY_AUTH_REQUIRED',
    'REGISTRY_AUTH_FAILED',
    'REGISTRY_REJECTED',
    'REGISTRY_LOCATION_REFUSED',
    'REGISTRY_REALM_REFUSED',
    'REGISTRY_TOKEN_INVALID',
    'REGISTRY_RESPONSE_TOO_LARGE',
    'PUSH_INTERRUPTED',
  ],
  6: ['PUSH_DIGEST_MISMATCH', 'PUSH_TAG_CONFLICT'],
  70: ['BUG'],
  130: ['INTERRUPTED'],
};
/** Every other stopping code is a usage error: exit 2. */
const USAGE_EXIT = 2;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Code-shaped strings in cli/ of the catalogue's families (FILE_*, RULE_*, ... and the one-word codes), outside the catalogue itself. */
function codesInSources(): Map<string, string[]> {
  const words: string[] = entries.map(([code]) => code).filter((code) => !code.includes('_'));
  const families = [...new Set(entries.map(([code]) => code.split('_')[0]!).filter((family) => !words.includes(family)))];
  const pattern = new RegExp(`'((?:${families.join('|')})(?:_[A-Z0-9]+)+|${words.join('|')})'`, 'g');
  const found = new Map<string, string[]>();
  for (const file of sources(join(REPO, 'cli'))) {
    if (file.endsWith(join('lib', 'error-catalogue.ts'))) continue;
    for (const [, code] of readFileSync(file, 'utf8').matchAll(pattern)) found.set(code!, [...(found.get(code!) ?? []), relative(REPO, file)]);
  }
  return found;
}

const fromData = () => [...supportMatrix().data.rules.map((rule) => rule.code), ...supportMatrix().data.requirements.map((requirement) => requirementCode(requirement.id))];

describe('the error catalogue', () => {
  it('knows every code cli/ and the matrix data emit', () => {
    const used = [...codesInSources().keys(), ...fromData()];
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((code) => !isErrorCode(code))).toEqual([]);
  });

  it('holds no code that nothing emits', () => {
    const used = new Set([...codesInSources().keys(), ...fromData()]);
    expect(entries.map(([code]) => code).filter((code) => !used.has(code))).toEqual([]);
  });

  it('gives each code one line of meaning, and every code a way to reach the user', () => {
    for (const [code, entry] of entries) {
      expect(entry.meaning, code).toMatch(/^\S.*\S$/);
      expect(entry.meaning, code).not.toMatch(/[\n|]/);
      // A reason code of the matrix is shown by `matrix` only; every other code stops a command or is an issue.
      if (code !== 'MATRIX_AIRGAP_CLOUD_MODELS_PRIVATE_ENDPOINT') expect(entry.exit !== null || entry.issue !== undefined, code).toBe(true);
    }
  });

  it.each(stopping)('%s exits as it always did', (code) => {
    const frozen = Object.entries(FROZEN_EXITS).find(([, codes]) => codes.includes(code));
    expect(exitCodeOf(code)).toBe(frozen ? Number(frozen[0]) : USAGE_EXIT);
  });

  it('lists no frozen code twice and none that is not in the catalogue', () => {
    const frozen = Object.values(FROZEN_EXITS).flat();
    expect(new Set(frozen).size).toBe(frozen.length);
    expect(frozen.filter((code) => !stopping.includes(code))).toEqual([]);
  });

  it('keeps the exit codes of a spec check: 0 valid, 1 invalid, 2 unreadable', () => {
    expect([EXIT_OK, SPEC_EXITS.valid, SPEC_EXITS.invalid, SPEC_EXITS.unreadable]).toEqual([0, 0, 1, 2]);
    // The unreadable-file codes stop other commands with the same exit code a spec check gives them.
    for (const code of ['FILE_NOT_FOUND', 'FILE_IS_DIRECTORY', 'FILE_UNREADABLE'] as const) expect(exitCodeOf(code)).toBe(SPEC_EXITS.unreadable);
  });

  it('is README\'s "Error codes" table (run npm run readme)', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const begin = '<!-- error-codes:begin (generated by npm run readme from cli/lib/error-catalogue.ts) -->\n';
    const start = readme.indexOf(begin);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + begin.length, readme.indexOf('<!-- error-codes:end -->'))).toBe(formatErrorTable());
  });
});

describe('errors and the catalogue', () => {
  it.each(stopping)('a UserError with %s exits as the catalogue says', (code) => {
    expect(new UserError('x', { code }).exitCode).toBe(ERROR_CATALOGUE[code].exit);
  });

  it('an OciError carries no exit code; the boundary turns it into the UserError of its code', async () => {
    const oci = new OciError('REGISTRY_TOKEN_INVALID', 'the token service answered HTML', { hint: 'check the realm', details: { status: 200 } });
    expect(oci).toBeInstanceOf(CodedError);
    expect(oci).not.toBeInstanceOf(UserError);
    expect('exitCode' in oci).toBe(false);
    const user = asUserError(oci) as UserError;
    expect(user).toBeInstanceOf(UserError);
    expect({ code: user.code, message: user.message, hint: user.hint, details: user.details, exitCode: user.exitCode }).toEqual({
      code: 'REGISTRY_TOKEN_INVALID',
      message: 'the token service answered HTML',
      hint: 'check the realm',
      details: { status: 200 },
      exitCode: 5,
    });
    await expect(withUserErrors(async () => Promise.reject(oci))).rejects.toBeInstanceOf(UserError);
  });

  it('leaves UserErrors and anything else (a bug) unchanged', async () => {
    const user = new UserError('x', { code: 'USAGE' });
    const bug = new TypeError('undefined is not a function');
    expect(asUserError(user)).toBe(user);
    expect(asUserError(bug)).toBe(bug);
    await expect(withUserErrors(async () => Promise.reject(bug))).rejects.toBe(bug);
    await expect(withUserErrors(async () => 42)).resolves.toBe(42);
  });
});
