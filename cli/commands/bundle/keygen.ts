import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import type * as Output from '../../generated/cli-output.js';

/** The human text: where the two keys are and the key id. */
export function formatKeygenResult(result: Output.BundleKeygen): string {
  return [
    `private key: ${result.privateKey} (keep it secret; it signs bundles)`,
    `public key:  ${result.publicKey} (give it to the sites that verify)`,
    `key id:      ${result.keyId}`,
  ].join('\n');
}

export default class BundleKeygen extends BaseCommand<Output.BundleKeygen> {
  static override summary = 'Create an ed25519 key pair for signing bundles.';

  static override description = `Writes PREFIX.key (private, PKCS#8 PEM, mode 0600) and PREFIX.pub (public, SPKI PEM). bundle create signs with the .key; operators verify with the .pub, offline.
Missing parent directories of PREFIX are created owner-only (0700: they hold a private key); a directory you cannot write is refused (OUTPUT_NOT_WRITABLE). Existing files are refused unless --force. --json prints {privateKey, publicKey, keyId} (keyId: sha256 of the public key's DER).`;

  static override examples = [{ description: 'A release signing key', command: '<%= config.bin %> bundle keygen --out keys/release-2026' }];

  static override flags = {
    out: Flags.string({ char: 'o', required: true, description: 'path prefix: writes PREFIX.key and PREFIX.pub' }),
    force: Flags.boolean({ default: false, description: 'replace an existing key pair' }),
  };

  async run(): Promise<Output.BundleKeygen> {
    const { flags } = await this.parse(BundleKeygen);
    const { bundleKeygen } = await import('../../services/bundle-keygen.js');
    return this.done(bundleKeygen({ out: flags.out, force: flags.force }), formatKeygenResult);
  }
}
