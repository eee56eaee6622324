/** ed25519 keys and the detached signature over a bundle's root digest. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { asOutputError, writeFileAtomic } from '../lib/atomic-write.js';
import { UserError } from '../lib/errors.js';
import { sha256 } from '../oci/types.js';
import type { BundleSignature } from '../generated/bundle.js';

export type { BundleSignature } from '../generated/bundle.js';

export function keyId(publicKey: KeyObject): string {
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

export function generateKeys(prefix: string, force = false): { privateKey: string; publicKey: string; keyId: string } {
  const files = { privateKey: `${prefix}.key`, publicKey: `${prefix}.pub` };
  for (const file of Object.values(files)) {
    if (existsSync(file) && !force) throw new UserError(`${file} already exists`, { code: 'FILE_EXISTS', hint: 'pass --force to replace the key pair, or choose another --out prefix' });
  }
  // Missing parent directories (keys/ in `--out keys/release`) are created owner-only: they hold a
  // private key. Existing directories keep their mode.
  try {
    mkdirSync(dirname(files.privateKey), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw asOutputError(error, dirname(files.privateKey));
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicExisted = existsSync(files.publicKey);
  writeFileAtomic(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }) as string);
  try {
    // Created owner-only from the start: a private key is never world-readable, not even briefly.
    writeFileAtomic(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  } catch (error) {
    // No half pair: a lone new .pub would make the rerun fail with FILE_EXISTS.
    if (!publicExisted) rmSync(files.publicKey, { force: true });
    throw error;
  }
  return { ...files, keyId: keyId(publicKey) };
}

function loadKey(file: string, kind: 'private' | 'public'): KeyObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${kind} key ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`, { code: 'BUNDLE_KEY_INVALID', hint: 'installctl bundle keygen --out NAME writes NAME.key and NAME.pub' });
  }
  try {
    const key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new UserError(`${file} is not an ed25519 ${kind} key (${(error as Error).message})`, { code: 'BUNDLE_KEY_INVALID', hint: 'installctl bundle keygen --out NAME writes NAME.key and NAME.pub' });
  }
}

export function signRoot(rootDigest: string, privateKeyFile: string): BundleSignature {
  const privateKey = loadKey(privateKeyFile, 'private');
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'BundleSignature',
    algorithm: 'ed25519',
    keyId: keyId(createPublicKey(privateKey)),
    rootDigest,
    signature: sign(null, Buffer.from(rootDigest, 'utf8'), privateKey).toString('base64'),
  };
}

/** Why a signature does not vouch for rootDigest with this public key; null when it does. */
export function signatureProblem(signature: BundleSignature, rootDigest: string, publicKeyFile: string): string | null {
  const publicKey = loadKey(publicKeyFile, 'public');
  if (signature.algorithm !== 'ed25519') return `unsupported signature algorithm ${signature.algorithm}`;
  if (signature.rootDigest !== rootDigest) return `the signature is for root ${signature.rootDigest}, the bundle's root is ${rootDigest}`;
  if (signature.keyId !== keyId(publicKey)) return `signed by key ${signature.keyId.slice(0, 19)}..., not by ${publicKeyFile} (${keyId(publicKey).slice(0, 19)}...)`;
  const valid = verify(null, Buffer.from(rootDigest, 'utf8'), publicKey, Buffer.from(signature.signature, 'base64'));
  return valid ? null : 'the signature does not verify with this key';
}
