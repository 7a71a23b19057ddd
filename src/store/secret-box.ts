import crypto from 'node:crypto';

/**
 * Seals secrets (OAuth secrets, access tokens, room tokens) for storage. With a key: AES-256-GCM,
 * stored as `v1:<iv>:<tag>:<ciphertext>` (base64). Without a key: `plain:<value>`, so a key can be
 * added later and old rows still read.
 */
export class SecretBox {
  constructor(private readonly key: Buffer | undefined) {
    if (key && key.length !== 32) throw new Error('SecretBox key must be 32 bytes');
  }

  get encrypts(): boolean {
    return this.key !== undefined;
  }

  seal(plaintext: string): string {
    if (!this.key) return `plain:${plaintext}`;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
  }

  open(sealed: string): string {
    if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
    const [version, iv, tag, ciphertext] = sealed.split(':');
    if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error('unrecognised sealed secret');
    }
    if (!this.key) throw new Error('a stored secret is encrypted but ENCRYPTION_KEY is not set');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}
