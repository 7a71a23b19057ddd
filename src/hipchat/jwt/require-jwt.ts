import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from '../../shared/errors';
import { extractJwt } from './extract-jwt';
import type { HipChatContext } from './hipchat-context';
import { JwtError } from './jwt-error';
import type { JwtVerifier } from './jwt-verifier';

export interface RequireJwtOptions {
  /** Also refuse a webhook body whose oauth_client_id is not the token's issuer. */
  webhook?: boolean;
}

/**
 * Authenticates a request HipChat (or a page running inside HipChat) signed, and sets
 * `res.locals.hipchat` to its HipChatContext. Refusals go to the error handler as JwtErrors.
 */
export function requireJwt(verifier: JwtVerifier, options: RequireJwtOptions = {}): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals.hipchat = await authenticate(req, verifier, options);
      next();
    } catch (error) {
      next(error);
    }
  };
}

async function authenticate(req: Request, verifier: JwtVerifier, options: RequireJwtOptions): Promise<HipChatContext> {
  const token = reported(verifier, () =>
    extractJwt({
      authorization: req.get('authorization'),
      query: (req.query as Record<string, unknown> | undefined)?.signed_request,
      form: formField(req, 'signed_request'),
    }),
  );
  // verify() logs and counts its own refusals.
  const context = await verifier.verify(token);
  if (options.webhook) {
    reported(verifier, () => checkWebhookIssuer(req, context));
    reported(verifier, () => checkWebhookSender(req, context));
  }
  return context;
}

/** Runs a check made outside verify() so that its refusal is logged and counted like the others. */
function reported<T>(verifier: JwtVerifier, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof JwtError) verifier.recordRefusal(error);
    throw error;
  }
}

/** The context requireJwt established; a 500 if a route forgot to mount the middleware. */
export function hipchatContext(res: Response): HipChatContext {
  const context = (res.locals as { hipchat?: HipChatContext }).hipchat;
  if (!context) {
    throw new HttpError(500, 'internal_error', 'This route is not protected by requireJwt');
  }
  return context;
}

/** A field of a POSTed form; the content type is only parsed when the body has such a field at all. */
function formField(req: Request, name: string): unknown {
  const value = bodyField(req, name);
  return value !== undefined && req.is('application/x-www-form-urlencoded') ? value : undefined;
}

function bodyField(req: Request, name: string): unknown {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

// HipChat always sends oauth_client_id in webhook bodies; one without it did not come from HipChat,
// so it is refused like a mismatch (the safer reading).
function checkWebhookIssuer(req: Request, context: HipChatContext): void {
  const clientId = bodyField(req, 'oauth_client_id');
  if (clientId !== context.oauthId) {
    throw new JwtError('issuer_mismatch', 'The webhook body oauth_client_id does not match the JWT issuer', context.oauthId);
  }
}

/**
 * The body is not signed; only the JWT's claims are HipChat's word. A body that names another sender
 * (item.message.from.id, or item.sender.id) than the JWT's sub was not written by HipChat for this user.
 */
function checkWebhookSender(req: Request, context: HipChatContext): void {
  const item = bodyField(req, 'item');
  if (typeof item !== 'object' || item === null) return;
  const { message, sender } = item as { message?: { from?: unknown }; sender?: unknown };
  for (const who of [message?.from, sender]) {
    if (typeof who !== 'object' || who === null || !('id' in who)) continue;
    const id = (who as { id: unknown }).id;
    if (context.userId === null || String(id) !== context.userId) {
      throw new JwtError('sender_mismatch', "The webhook body names another sender than the JWT's user (sub)", context.oauthId);
    }
  }
}
