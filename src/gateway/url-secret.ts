import crypto from 'node:crypto';

/** 24 random bytes = 192 bits, comfortably over the 128 a URL that is its own credential needs. */
const SECRET_BYTES = 24;

/** A new unguessable secret for a URL path (hook id, command URL), base64url. */
export function newUrlSecret(): string {
  return crypto.randomBytes(SECRET_BYTES).toString('base64url');
}

/** What is stored instead of a URL secret (or a room token): its SHA-256, hex. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A URL secret has exactly this shape; anything else is unknown without touching the database. */
export function isUrlSecretShaped(value: string): boolean {
  return /^[A-Za-z0-9_-]{22,64}$/.test(value);
}

/** Constant-time equality of two secrets of any length (both are hashed first, so lengths never leak). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given, 'utf8').digest();
  const b = crypto.createHash('sha256').update(expected, 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}
