import crypto from 'node:crypto';

/** Which key opened a sealed secret: anything but 'current' means it should be sealed again. */
export type SealedWith = 'current' | 'previous' | 'plain';

/**
 * Seals secrets (OAuth secrets, access tokens, modules' secrets) for storage. With a key: AES-256-GCM,
 * stored as `v1:<iv>:<tag>:<ciphertext>` (base64). Without a key: `plain:<value>`, so a key can be
 * added later and old rows still read. A previous key (during a rotation) only opens, never seals.
 * Every column sealed with it is listed (the core's in seal-stored-secrets.ts, a module's in its
 * `sealedColumns`), and start-up re-seals them.
 */
export class SecretBox {
  constructor(
    private readonly key: Buffer | undefined,
    private readonly previousKey: Buffer | undefined = undefined,
  ) {
    if (key && key.length !== 32) throw new Error('SecretBox key must be 32 bytes');
    if (previousKey && previousKey.length !== 32) throw new Error('SecretBox previous key must be 32 bytes');
  }

  get encrypts(): boolean {
    return this.key !== undefined;
  }

  get hasPreviousKey(): boolean {
    return this.previousKey !== undefined;
  }

  seal(plaintext: string): string {
    if (!this.key) return `plain:${plaintext}`;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
  }

  open(sealed: string): string {
    return this.openWithKey(sealed).plaintext;
  }

  /** Opens a sealed secret and says which key did it; throws when no key it has can. */
  openWithKey(sealed: string): { plaintext: string; sealedWith: SealedWith } {
    if (sealed.startsWith('plain:')) return { plaintext: sealed.slice('plain:'.length), sealedWith: 'plain' };
    const [version, iv, tag, ciphertext, extra] = sealed.split(':');
    if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined || extra !== undefined) {
      throw new Error('unrecognised sealed secret');
    }
    if (!this.key) throw new Error('a stored secret is encrypted but ENCRYPTION_KEY is not set');
    const parts = { iv: Buffer.from(iv, 'base64'), tag: Buffer.from(tag, 'base64'), ciphertext: Buffer.from(ciphertext, 'base64') };
    const current = decrypt(this.key, parts);
    if (current !== undefined) return { plaintext: current, sealedWith: 'current' };
    const previous = this.previousKey ? decrypt(this.previousKey, parts) : undefined;
    if (previous !== undefined) return { plaintext: previous, sealedWith: 'previous' };
    throw new Error(
      this.previousKey
        ? 'a stored secret opens with neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS'
        : 'a stored secret does not open with ENCRYPTION_KEY (set ENCRYPTION_KEY_PREVIOUS to the key it was sealed with)',
    );
  }
}

/** undefined when the key is not the one the secret was sealed with (GCM's tag does not verify). */
function decrypt(key: Buffer, parts: { iv: Buffer; tag: Buffer; ciphertext: Buffer }): string | undefined {
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, parts.iv);
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
