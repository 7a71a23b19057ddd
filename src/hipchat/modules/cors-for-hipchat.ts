import cors from 'cors';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import { checkTrustedUrl } from '../install/trusted-host';

/** CORS: the HipChat web client may call glances and APIs from an allowed HipChat origin only. */
export function isAllowedCorsOrigin(origin: string | undefined, allowedHosts: readonly string[]): boolean {
  if (origin === undefined || origin === 'null') return false;
  const trust = checkTrustedUrl(origin, allowedHosts);
  return trust.trusted && trust.url.origin === origin;
}

/** The CORS middleware for what HipChat's web client reads cross-origin (glances, the pages' API). */
export function corsForHipChat(allowedHosts: readonly string[]): RequestHandler {
  // The verdict per Origin is remembered: every glance query asks, and the answer never changes.
  const verdicts = new LRUCache<string, boolean>({ max: 1000 });
  const allow = (origin: string | undefined): boolean => {
    if (origin === undefined) return false;
    let allowed = verdicts.get(origin);
    if (allowed === undefined) verdicts.set(origin, (allowed = isAllowedCorsOrigin(origin, allowedHosts)));
    return allowed;
  };
  return cors({
    origin: (origin, callback) => callback(null, allow(origin) ? origin : false),
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
}
