import type { RequestHandler, Response } from 'express';
import type { JwtVerifier } from '../../hipchat/jwt/jwt-verifier';
import { hipchatContext, requireJwt } from '../../hipchat/jwt/require-jwt';
import { HttpError } from '../../shared/errors';
import type { GatewayCaller } from '../gateway-caller';
import { secretsEqual } from '../url-secret';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Connections and hooks may be managed by the server's admin (`Authorization: Bearer <ADMIN_TOKEN>`)
 * or from an installation's configuration page (a HipChat JWT). Anything else is refused, so the
 * connect page cannot be used by strangers to send notifications through the add-on.
 */
export function requireGatewayCaller(adminToken: string | undefined, jwt: JwtVerifier): RequestHandler {
  const jwtMiddleware = requireJwt(jwt);
  return (req, res, next) => {
    const authorization = req.get('authorization');
    if (authorization !== undefined && /^Bearer(\s|$)/i.test(authorization)) {
      try {
        checkAdminToken(authorization, adminToken);
        setCaller(res, { kind: 'admin' });
        return next();
      } catch (error) {
        return next(error);
      }
    }
    const hasJwt = (authorization !== undefined && /^JWT(\s|$)/i.test(authorization)) || req.query.signed_request !== undefined;
    if (!hasJwt) {
      return next(
        new HttpError(
          401,
          'unauthenticated',
          "Send Authorization: Bearer <ADMIN_TOKEN>, or call from the add-on's configuration page with its JWT",
          { 'WWW-Authenticate': 'Bearer' },
        ),
      );
    }
    jwtMiddleware(req, res, (error?: unknown) => {
      if (error) return next(error);
      setCaller(res, { kind: 'installation', context: hipchatContext(res) });
      next();
    });
  };
}

function checkAdminToken(authorization: string, adminToken: string | undefined): void {
  if (adminToken === undefined) {
    throw new HttpError(403, 'admin_disabled', 'The admin token is disabled on this server: set ADMIN_TOKEN to use it');
  }
  const given = BEARER.exec(authorization)?.[1];
  if (given === undefined || !secretsEqual(given, adminToken)) {
    throw new HttpError(401, 'invalid_admin_token', 'The admin token is not valid', { 'WWW-Authenticate': 'Bearer' });
  }
}

function setCaller(res: Response, caller: GatewayCaller): void {
  res.locals.gatewayCaller = caller;
}

export function gatewayCaller(res: Response): GatewayCaller {
  const caller = (res.locals as { gatewayCaller?: GatewayCaller }).gatewayCaller;
  if (!caller) throw new HttpError(500, 'internal_error', 'This route is not protected by requireGatewayCaller');
  return caller;
}
