import type { RateLimit } from '../../shared/rate-limit';

export interface RoomBacklogLimit {
  /** HipChat's flood limit per room (Cloud: 30 messages per 60 s). */
  flood: RateLimit;
  /** How far behind a room may fall: messages beyond what the flood limit lets through in this time wait. */
  horizonMs: number;
}

export type BacklogDecision = { accepted: true } | { accepted: false; bound: number; retryAfterMs: number };

/** The most messages a room may have pending: what HipChat lets through within the horizon (at least 1). */
export function roomBacklogBound(limit: RoomBacklogLimit): number {
  return Math.max(1, Math.floor((limit.flood.limit * limit.horizonMs) / limit.flood.windowMs));
}

/**
 * Whether a room with `pending` undelivered messages takes one more. When it does not, `retryAfterMs`
 * is how long HipChat's flood limit needs to let enough of them through for the next one to fit.
 */
export function decideRoomBacklog(pending: number, limit: RoomBacklogLimit): BacklogDecision {
  const bound = roomBacklogBound(limit);
  if (pending < bound) return { accepted: true };
  const excess = pending - bound + 1;
  return { accepted: false, bound, retryAfterMs: Math.ceil((excess * limit.flood.windowMs) / limit.flood.limit) };
}
