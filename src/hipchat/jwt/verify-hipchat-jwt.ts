import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Installation } from '../installations/installation';
import type { UnverifiedJwt } from './decode-unverified-jwt';
import type { HipChatContext } from './hipchat-context';
import { isStoredId } from '../../shared/validate';
import { JwtError } from './jwt-error';

export interface VerifyClock {
  /** Current time in Unix seconds (may be fractional). */
  nowSeconds: number;
  /** Leeway for exp, iat and nbf, since HipChat's clock and ours drift. */
  skewSeconds: number;
}

/**
 * Decides whether a decoded token is a valid HipChat JWT for `installation`, whose oauthId is the
 * token's unverified `iss`. Pure apart from the HMAC: time comes in through `clock`.
 */
export function verifyHipChatJwt(
  token: string,
  decoded: UnverifiedJwt,
  installation: Installation,
  key: KeyObject,
  clock: VerifyClock,
): HipChatContext {
  const iss = installation.oauthId;
  // Only HS256: `none`, RS256 (a public-key confusion) or HS512 never reach the signature check.
  if (decoded.header.alg !== 'HS256') {
    throw new JwtError('unsupported_algorithm', 'Only HS256 JWTs are accepted', iss);
  }
  checkSignature(token, key, iss);
  const claims = decoded.payload;
  checkTimes(claims, clock, iss);

  const context = readContext(claims.context, iss);
  if (installation.roomId !== null && context.roomId !== null && context.roomId !== installation.roomId) {
    throw new JwtError('wrong_room', 'This room installation cannot act in another room', iss);
  }
  return {
    installation,
    oauthId: installation.oauthId,
    groupId: installation.groupId,
    roomId: context.roomId ?? installation.roomId,
    userId: readUserId(claims.sub) ?? readUserId(claims.prn),
    userTz: context.userTz,
    token,
    jti: readJti(claims.jti),
    expiresAt: claims.exp as number,
  };
}

/**
 * HS256 exactly as jsonwebtoken (jws/jwa) checks it, without its second decode and JSON parse of the
 * token: the HMAC of `header.payload`, base64url, compared in constant time with the signature as sent.
 * decodeUnverifiedJwt checked the shape, the caller the header's alg; an empty signature is refused as the
 * library refused it ("jwt signature is required").
 */
function checkSignature(token: string, key: KeyObject, iss: string): void {
  const dot = token.lastIndexOf('.');
  const signature = token.slice(dot + 1);
  if (dot <= 0 || signature === '') throw new JwtError('malformed_token', 'The JWT could not be verified', iss);
  const expected = createHmac('sha256', key).update(token.slice(0, dot)).digest('base64url');
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new JwtError('invalid_signature', 'The JWT signature does not match the installation', iss);
  }
}

function checkTimes(claims: Record<string, unknown>, clock: VerifyClock, iss: string): void {
  const { nowSeconds: now, skewSeconds: skew } = clock;
  const { exp, iat, nbf } = claims;
  if (exp === undefined) throw new JwtError('missing_exp', 'The JWT has no exp claim', iss);
  if (!isNumericDate(exp)) throw new JwtError('invalid_claims', 'The JWT exp claim is not a number', iss);
  if (!isNumericDate(iat)) throw new JwtError('invalid_claims', 'The JWT iat claim is missing or not a number', iss);
  if (nbf !== undefined && !isNumericDate(nbf)) {
    throw new JwtError('invalid_claims', 'The JWT nbf claim is not a number', iss);
  }
  if (now >= exp + skew) throw new JwtError('token_expired', 'The JWT has expired', iss);
  if (iat > now + skew) throw new JwtError('iat_in_future', 'The JWT was issued in the future', iss);
  if (nbf !== undefined && nbf > now + skew) {
    throw new JwtError('token_not_yet_valid', 'The JWT is not valid yet (nbf)', iss);
  }
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function readContext(value: unknown, iss: string): { roomId: number | null; userTz: string | null } {
  if (value === undefined || value === null) return { roomId: null, userTz: null };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtError('invalid_claims', 'The JWT context claim is not an object', iss);
  }
  const { room_id: rawRoom, user_tz: rawTz } = value as Record<string, unknown>;
  const roomId = readRoomId(rawRoom);
  if (roomId === undefined) throw new JwtError('invalid_claims', 'The JWT context.room_id is not a room id', iss);
  return { roomId, userTz: typeof rawTz === 'string' && rawTz.length > 0 ? rawTz : null };
}

/**
 * HipChat sends a number; a numeric string is tolerated. undefined = present but not a room id, or
 * beyond what a room column holds (0 passes here and is refused as "no room" by the routes that need one).
 */
function readRoomId(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return null;
  const id = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return id === 0 || isStoredId(id) ? id : undefined;
}

/** A jti is kept (as text) for replay protection; HipChat's are UUIDs, so anything long or odd is no jti. */
function readJti(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_JTI_LENGTH ? value : null;
}

export const MAX_JTI_LENGTH = 200;

function readUserId(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}
