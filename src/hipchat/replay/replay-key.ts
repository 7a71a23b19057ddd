import { HttpError } from '../../shared/errors';
import { JwtError } from '../jwt/jwt-error';

/** What replay protection reads of a verified request: HipChatContext has it. */
export interface SignedRequest {
  oauthId: string;
  jti: string | null;
  /** The token's exp, in Unix seconds. */
  expiresAt: number;
}

/** One signed request, as remembered: its installation, its jti, and until when a replay could verify. */
export interface ReplayKey {
  oauthId: string;
  jti: string;
  keepUntil: Date;
}

/** 9999-12-31T23:59:59Z: a token whose exp lies beyond is remembered until then (both Postgres and Date hold it). */
const LATEST_KEEP_SECONDS = 253_402_300_799;

/**
 * Decides how a state-changing request is remembered. Its token verifies until exp plus the clock skew,
 * so the jti is kept that long. A token without a jti is refused: HipChat puts one in every JWT, so
 * one without could only be replayed at will (the safer reading).
 */
export function replayKeyFor(request: SignedRequest, clockSkewSeconds: number): ReplayKey {
  if (request.jti === null) {
    throw new JwtError('missing_jti', 'A request that changes something must carry a jti claim', request.oauthId);
  }
  const keepUntilSeconds = Math.min(Math.ceil(request.expiresAt + clockSkewSeconds), LATEST_KEEP_SECONDS);
  return { oauthId: request.oauthId, jti: request.jti, keepUntil: new Date(keepUntilSeconds * 1000) };
}

/** The answer to a request whose jti was already used: 409, and nothing happens again. */
export function replayedRequest(): HttpError {
  return new HttpError(409, 'replayed_request', 'This signed request was already handled; each JWT changes something once');
}
