import express, { Router } from 'express';
import type { EmulatorContext } from '../emulator-context';
import { resolveRequestedScopes } from '../model/token-store';
import { HipChatError } from './hipchat-error';

/** Parses `Authorization: Basic base64(id:secret)`. Pure. */
export function parseBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** `POST /v2/oauth/token`: client-credentials grant for an installation's OAuth client. */
export function createOauthRouter(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/oauth/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const credentials = parseBasicAuth(req.get('authorization'));
    if (credentials) ctx.stats.tokenRequests[credentials.id] = (ctx.stats.tokenRequests[credentials.id] ?? 0) + 1;
    const installation = credentials ? ctx.state.installations.get(credentials.id) : undefined;
    if (!credentials || !installation || installation.oauthSecret !== credentials.secret) {
      throw new HipChatError(401, 'Invalid OAuth client credentials');
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') {
      throw new HipChatError(400, 'grant_type: must be client_credentials (form-encoded body)');
    }
    const scopeParam = typeof body.scope === 'string' ? body.scope : undefined;
    const scopes = resolveRequestedScopes(scopeParam, installation.scopes);
    if (!scopes.ok) throw new HipChatError(400, `scope: not granted to this installation: ${scopes.notGranted.join(' ')}`);
    const lifetime = ctx.settings.tokenLifetimeSeconds;
    const group = ctx.state.groups.get(installation.groupId);
    const issued = ctx.tokens.issue({
      kind: 'installation',
      oauthId: installation.oauthId,
      groupId: installation.groupId,
      ...(installation.roomId !== undefined ? { roomId: installation.roomId } : {}),
      scopes: scopes.scopes,
      expiresAt: ctx.now() + lifetime * 1000,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      access_token: issued.token,
      token_type: 'bearer',
      scope: scopes.scopes.join(' '),
      expires_in: lifetime,
      group_id: installation.groupId,
      group_name: group?.name ?? '',
    });
  });
  return router;
}
