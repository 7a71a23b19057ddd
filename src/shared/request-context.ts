import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';

interface RequestScope {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The id of the request being handled, wherever in its async call tree this is asked. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Accepts a sane incoming X-Request-Id (from a load balancer) or makes one, and echoes it back. */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const requestId = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  res.set('x-request-id', requestId);
  storage.run({ requestId }, () => next());
};
