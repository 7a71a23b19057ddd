import type { RequestHandler } from 'express';
import { MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import helmet from 'helmet';
import type { RateLimit } from '../shared/rate-limit';
import { errorBody } from '../shared/errors';

/**
 * Helmet's headers, tuned for an add-on: API answers refuse framing and everything else by default,
 * while the add-on's pages (sidebar, dialog, configuration) replace the CSP with one whose
 * frame-ancestors lists the allowed HipChat hosts. Icons must load from HipChat's origin, hence
 * Cross-Origin-Resource-Policy: cross-origin.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginOpenerPolicy: false,
  });
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
