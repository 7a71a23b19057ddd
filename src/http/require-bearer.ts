import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../shared/errors';

/** Constant-time comparison of a presented secret with the expected one. */
export function secretMatches(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Requires `Authorization: Bearer <secret>` for an operator endpoint. With no secret configured the
 * endpoint is disabled (403 naming the variable to set), never open.
 */
export function requireBearer(secret: string | undefined, variable: string): RequestHandler {
  return (req, _res, next) => {
    if (secret === undefined) {
      return next(new HttpError(403, 'disabled', `This endpoint is disabled: set ${variable} to use it`));
    }
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (given === undefined || !secretMatches(given, secret)) {
      return next(new HttpError(401, 'unauthorized', `Send Authorization: Bearer <${variable}>`, { 'WWW-Authenticate': 'Bearer' }));
    }
    next();
  };
}
