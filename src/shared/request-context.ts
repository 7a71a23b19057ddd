import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';

interface RequestScope {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The id of the request being handled, wherever in its async call tree this is asked. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Accepts a sane incoming X-Request-Id (from a load balancer) or makes one, and echoes it back. */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  res.setHeader('x-request-id', requestId);
  // One context per request, entered once: every await below it carries the id.
  storage.run({ requestId }, next);
};
