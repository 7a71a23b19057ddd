import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';

export interface CorsOptions {
  /** Whether a browser at `origin` may read the answer; asked once per distinct Origin string. */
  isAllowed(origin: string): boolean;
  methods: readonly string[];
  allowedHeaders: readonly string[];
  maxAgeSeconds: number;
}

/**
 * CORS for a fixed list of trusted origins, answering as the `cors` package did with an origin callback:
 * an allowed Origin is reflected (`Vary: Origin`), a preflight from it gets 204 with the methods, headers
 * and max age; any other request (no Origin, or one not allowed) passes on untouched. The headers are
 * built once and each Origin's verdict is remembered: the glance asks on every query.
 */
export function corsForOrigins(options: CorsOptions): RequestHandler {
  const verdicts = new LRUCache<string, boolean>({ max: 1000 });
  const allowed = (origin: string): boolean => {
    let verdict = verdicts.get(origin);
    if (verdict === undefined) verdicts.set(origin, (verdict = options.isAllowed(origin)));
    return verdict;
  };
  const methods = options.methods.join(',');
  const allowedHeaders = options.allowedHeaders.join(',');
  const maxAge = String(options.maxAgeSeconds);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || !allowed(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.vary('Origin');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', methods);
    res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
    res.setHeader('Access-Control-Max-Age', maxAge);
    // Safari waits for a body on a 204 without Content-Length.
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
  };
}
