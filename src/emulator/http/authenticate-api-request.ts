import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../emulator-context';
import { formatResetHeader, formatRetryAfter, type LimitDecision } from '../model/fixed-window-limiter';
import type { AccessToken, Room, Scope } from '../model/types';
import { HipChatError } from './hipchat-error';

/** Token carried by `Authorization: Bearer …` or the `auth_token` query parameter. */
export function extractAccessToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (match?.[1]) return match[1];
  const query = req.query.auth_token;
  return typeof query === 'string' && query.length > 0 ? query : undefined;
}

export function getAccessToken(res: Response): AccessToken {
  const token = res.locals.accessToken as AccessToken | undefined;
  if (!token) throw new HipChatError(401, 'Not authenticated');
  return token;
}

function limitHeaders(prefix: 'X-Ratelimit' | 'X-FloodControl', decision: LimitDecision): Record<string, string> {
  return {
    [`${prefix}-Limit`]: String(decision.limit),
    [`${prefix}-Remaining`]: String(decision.remaining),
    [`${prefix}-Reset`]: formatResetHeader(decision),
  };
}

function tooMany(ctx: EmulatorContext, res: Response, decision: LimitDecision, what: string): never {
  ctx.stats.rateLimited += 1;
  res.setHeader('Retry-After', formatRetryAfter(decision, ctx.now()));
  throw new HipChatError(429, `${what} exceeded; retry after the window resets`);
}

/**
 * Authenticates a REST call and applies the per-token rate limit. Every answer past this point
 * (including 4xx) carries the X-Ratelimit-* headers of the token's current window.
 */
export function authenticateApiRequest(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    ctx.stats.apiRequests += 1;
    const value = extractAccessToken(req);
    if (!value) throw new HipChatError(401, 'Authorization required: send a Bearer token or auth_token parameter');
    const lookup = ctx.tokens.lookup(value, ctx.now());
    if (!lookup.ok) {
      const reason = lookup.reason === 'expired' ? 'Access token expired' : 'Invalid access token';
      throw new HipChatError(401, reason);
    }
    const decision = ctx.rateLimiter.hit(lookup.token.token, ctx.now());
    for (const [name, header] of Object.entries(limitHeaders('X-Ratelimit', decision))) res.setHeader(name, header);
    if (!decision.allowed) tooMany(ctx, res, decision, 'Rate limit');
    res.locals.accessToken = lookup.token;
    next();
  };
}

/** Flood control per room (a room id) or per user (`user:<id>`, private messages) on the message endpoints. */
export function applyFloodControl(ctx: EmulatorContext, res: Response, roomId: number | string): void {
  const decision = ctx.floodLimiter.hit(String(roomId), ctx.now());
  for (const [name, header] of Object.entries(limitHeaders('X-FloodControl', decision))) res.setHeader(name, header);
  if (!decision.allowed) tooMany(ctx, res, decision, 'Room flood control');
}

export function requireScope(token: AccessToken, ...accepted: Scope[]): void {
  if (!accepted.some((scope) => token.scopes.includes(scope))) {
    throw new HipChatError(403, `Access token lacks the required scope: ${accepted.join(' or ')}`);
  }
}

/**
 * Resolves `{id_or_name}` and checks the token may act there: a room installation (or room
 * notification token) only in its room, a global installation in every room of its group.
 * A room of another group answers 404, as it is invisible to the token (emulator's choice).
 */
export function resolveRoomForToken(ctx: EmulatorContext, token: AccessToken, idOrName: string): Room {
  const room = ctx.state.findRoom(idOrName);
  if (!room || room.groupId !== token.groupId) throw new HipChatError(404, `Room not found: ${idOrName}`);
  if (token.roomId !== undefined && token.roomId !== room.id) {
    throw new HipChatError(403, 'This token is limited to another room');
  }
  return room;
}
