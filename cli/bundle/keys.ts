/** ed25519 keys and the detached signature over a bundle's root digest. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { asOutputError, writeFilesAtomic } from '../lib/atomic-write.js';
import { UserError } from '../lib/errors.js';
import { readFileCapped, SIZE_CAPS } from '../lib/read-capped.js';
import { sha256 } from '../oci/types.js';
import type { BundleSignature } from '../generated/bundle.js';
import { bundleError } from './errors.js';
import { bundleDocumentProblem } from './manifest.js';

export type { BundleSignature } from '../generated/bundle.js';

export function keyId(publicKey: KeyObject): string {
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

export function generateKeys(prefix: string, force = false): { privateKey: string; publicKey: string; keyId: string } {
  const files = { privateKey: `${prefix}.key`, publicKey: `${prefix}.pub` };
  for (const file of Object.values(files)) {
    if (existsSync(file) && !force)
      throw new UserError(`${file} already exists`, { code: 'FILE_EXISTS', hint: 'pass --force to replace the key pair, or choose another --out prefix' });
  }
  // Missing parent directories (keys/ in `--out keys/release`) are created owner-only: they hold a
  // private key. Existing directories keep their mode.
  try {
    mkdirSync(dirname(files.privateKey), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw asOutputError(error, dirname(files.privateKey));
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // Both complete before either gets its name: a failure never leaves a new .pub beside an old .key.
  // The private key is created owner-only from the start: never world-readable, not even briefly.
  writeFilesAtomic([
    { path: files.privateKey, content: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, mode: 0o600 },
    { path: files.publicKey, content: publicKey.export({ type: 'spki', format: 'pem' }) as string },
  ]);
  return { ...files, keyId: keyId(publicKey) };
}

const KEY_HINT = 'installctl bundle keygen --out NAME writes NAME.key and NAME.pub';

/** An ed25519 key from a PEM file of at most SIZE_CAPS.key (a key path at /dev/zero or a log file costs nothing). */
export function loadKey(file: string, kind: 'private' | 'public'): KeyObject {
  let text: string;
  try {
    text = readFileCapped(file, { what: `${kind} key`, maxBytes: SIZE_CAPS.key }).toString('utf8');
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw bundleError('BUNDLE_KEY_INVALID', `cannot use ${kind} key ${file}: ${error.message}`, { hint: KEY_HINT });
  }
  try {
    const key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw bundleError('BUNDLE_KEY_INVALID', `${file} is not an ed25519 ${kind} key (${(error as Error).message})`, { hint: KEY_HINT });
  }
}

/**
 * A detached signature file, read with SIZE_CAPS.signature and checked against its schema; a
 * problem (missing, unreadable, oversized, not a signature) instead of a signature otherwise.
 */
export function readSignature(file: string): { signature: BundleSignature; problem: null } | { signature: null; problem: string } {
  if (!existsSync(file)) return { signature: null, problem: `no signature file ${file}` };
  let value: unknown;
  try {
    value = JSON.parse(readFileCapped(file, { what: 'signature file', maxBytes: SIZE_CAPS.signature }).toString('utf8'));
  } catch (error) {
    return { signature: null, problem: error instanceof UserError ? error.message : `${file} is not a signature file` };
  }
  const problem = bundleDocumentProblem(value, 'BundleSignature');
  return problem ? { signature: null, problem: `${file} is not a signature file (${problem})` } : { signature: value as BundleSignature, problem: null };
}

export function signRoot(rootDigest: string, privateKey: KeyObject): BundleSignature {
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'BundleSignature',
    algorithm: 'ed25519',
    keyId: keyId(createPublicKey(privateKey)),
    rootDigest,
    signature: sign(null, Buffer.from(rootDigest, 'utf8'), privateKey).toString('base64'),
  };
}

/** Why a signature does not vouch for rootDigest with this public key (read from publicKeyFile); null when it does. */
export function signatureProblem(signature: BundleSignature, rootDigest: string, publicKey: KeyObject, publicKeyFile: string): string | null {
  if (signature.algorithm !== 'ed25519') return `unsupported signature algorithm ${signature.algorithm}`;
  if (signature.rootDigest !== rootDigest) return `the signature is for root ${signature.rootDigest}, the bundle's root is ${rootDigest}`;
  if (signature.keyId !== keyId(publicKey)) return `signed by key ${signature.keyId.slice(0, 19)}..., not by ${publicKeyFile} (${keyId(publicKey).slice(0, 19)}...)`;
  const valid = verify(null, Buffer.from(rootDigest, 'utf8'), publicKey, Buffer.from(signature.signature, 'base64'));
  return valid ? null : 'the signature does not verify with this key';
}
