import type { Request, RequestHandler, Response } from 'express';
import { MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import helmet from 'helmet';
import type { RateLimit } from '../shared/rate-limit';
import { errorBody } from '../shared/errors';

/**
 * Helmet's headers, tuned for an add-on: API answers refuse framing and everything else by default,
 * while the add-on's pages (sidebar, dialog, configuration) replace the CSP with one whose
 * frame-ancestors lists the allowed HipChat hosts. Icons must load from HipChat's origin, hence
 * Cross-Origin-Resource-Policy: cross-origin.
 *
 * With these options every header is a constant, so helmet runs once, here, and each request gets the
 * recorded headers in one loop instead of a chain of eleven middlewares.
 */
export function securityHeaders(): RequestHandler {
  const recorded = recordHeaders(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      crossOriginOpenerPolicy: false,
    }),
  );
  const { set, removed } = recorded;
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/** What a middleware that only sets (or removes) constant headers does to a response, as data. */
function recordHeaders(middleware: RequestHandler): { set: Array<[string, string]>; removed: string[] } {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const response = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let calledNext = false;
  middleware({} as Request, response as unknown as Response, () => {
    calledNext = true;
  });
  if (!calledNext) throw new Error('security headers: the middleware did not finish synchronously');
  return { set, removed };
}

/** A per-IP limit for endpoints anyone can call without a JWT (install callbacks, connect page, hooks). */
export function publicRateLimit(limit: RateLimit, store: Store = new MemoryStore()): RequestHandler {
  return rateLimit({
    // The memory store drops clients idle for a window (it keeps only the current and the previous one).
    store,
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // TRUST_PROXY is documented; these checks would print to stderr whenever a client sends X-Forwarded-For.
    validate: { xForwardedForHeader: false, trustProxy: false },
    handler: (_req, res, _next, options) => {
      res
        .status(429)
        .set('retry-after', String(Math.ceil(options.windowMs / 1000)))
        .json(errorBody('rate_limited', 'Too many requests from this address; try again later'));
    },
  });
}
