import type { EmulatorContext } from '../emulator-context';
import { isScope, type Scope } from '../model/types';

/** An installation's access token without the HTTP round trip (not counted as a token request); scopes it was not granted are dropped. */
export function issueAccessToken(ctx: EmulatorContext, oauthId: string, scopes?: Scope[]): string {
  const installation = ctx.state.installations.get(oauthId);
  if (!installation) throw new Error(`No installation ${oauthId}`);
  const granted = (scopes ?? installation.scopes).filter((scope) => isScope(scope) && installation.scopes.includes(scope));
  return ctx.tokens.issue({
    kind: 'installation',
    oauthId,
    groupId: installation.groupId,
    ...(installation.roomId !== undefined ? { roomId: installation.roomId } : {}),
    scopes: granted,
    expiresAt: ctx.now() + ctx.settings.tokenLifetimeSeconds * 1000,
  }).token;
}
