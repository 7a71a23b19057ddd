import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

const keys = new Map<string, KeyObject>();

function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * HipChat's JWTs have no documented lifetime. The emulator gives them 300 s by default: long enough
 * for a page or a webhook, short enough that an add-on caching them would notice.
 */
export const DEFAULT_JWT_LIFETIME_SECONDS = 300;

export interface HipChatJwtInput {
  /** iss: the installation's oauthId (or a build-your-own integration's id). */
  issuer: string;
  secret: string;
  /** sub; absent for events no person caused (a notification, a room an add-on changed). */
  userId?: number | string;
  roomId?: number;
  /** Unix seconds; defaults to now. */
  issuedAt?: number;
  expiresInSeconds?: number;
  userTz?: string;
  extraClaims?: Record<string, unknown>;
}

/** Signs a JWT the way HipChat did: HS256 with the oauthSecret, claims iss/sub/iat/exp/jti/context. */
export function signHipChatJwt(input: HipChatJwtInput): string {
  const iat = input.issuedAt ?? Math.floor(Date.now() / 1000);
  const context: Record<string, unknown> = { user_tz: input.userTz ?? 'UTC' };
  if (input.roomId !== undefined) context.room_id = input.roomId;
  const claims = {
    iss: input.issuer,
    ...(input.userId !== undefined ? { sub: String(input.userId) } : {}),
    iat,
    exp: iat + (input.expiresInSeconds ?? DEFAULT_JWT_LIFETIME_SECONDS),
    jti: randomUUID(),
    context,
    ...input.extraClaims,
  };
  return jwt.sign(claims, keyFor(input.secret), { algorithm: 'HS256' });
}
