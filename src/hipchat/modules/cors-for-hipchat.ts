import type { RequestHandler } from 'express';
import { corsForOrigins } from '../../http/cors-for-origins';
import { checkTrustedUrl } from '../install/trusted-host';

/** CORS: the HipChat web client may call glances and APIs from an allowed HipChat origin only. */
export function isAllowedCorsOrigin(origin: string | undefined, allowedHosts: readonly string[]): boolean {
  if (origin === undefined || origin === 'null') return false;
  const trust = checkTrustedUrl(origin, allowedHosts);
  return trust.trusted && trust.url.origin === origin;
}

/** The CORS middleware for what HipChat's web client reads cross-origin (glances, the pages' API). */
export function corsForHipChat(allowedHosts: readonly string[]): RequestHandler {
  return corsForOrigins({
    isAllowed: (origin) => isAllowedCorsOrigin(origin, allowedHosts),
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAgeSeconds: 600,
  });
}
