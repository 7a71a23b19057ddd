import type { EmulatorContext } from '../emulator-context';
import { signHipChatJwt } from './sign-hipchat-jwt';

export interface JwtClaimsRequest {
  userId: number;
  roomId?: number;
  issuedAt?: number;
  expiresInSeconds?: number;
}

/** A JWT as HipChat.auth.withToken gave pages: HS256 with the installation's secret. */
export function mintInstallationJwt(ctx: EmulatorContext, oauthId: string, claims: JwtClaimsRequest): string {
  const installation = ctx.state.installations.get(oauthId);
  if (!installation) throw new Error(`No installation ${oauthId}`);
  return signHipChatJwt({ issuer: oauthId, secret: installation.oauthSecret, ...claims });
}
