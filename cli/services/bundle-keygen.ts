/** `installctl bundle keygen`: an ed25519 key pair for bundle signatures. */
import { generateKeys } from '../bundle/keys.js';

export interface KeygenResult {
  privateKey: string;
  publicKey: string;
  keyId: string;
}

export function bundleKeygen(options: { out: string; force?: boolean }): KeygenResult {
  return generateKeys(options.out, options.force ?? false);
}
