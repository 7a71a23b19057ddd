import type { EmulatorContext } from '../emulator-context';
import { signHipChatJwt } from './sign-hipchat-jwt';

export interface SignedUrlRequest {
  kind: 'webPanel' | 'dialog' | 'configurable' | 'adminPage' | 'externalPage';
  key?: string;
  roomId: number;
  userId: number;
  theme?: 'light' | 'dark';
  lang?: string;
}

/** The module URL as HipChat's client loaded it in an iframe: `signed_request`, `theme` and `lang` appended. */
export function buildSignedUrl(ctx: EmulatorContext, oauthId: string, request: SignedUrlRequest): string {
  const installation = ctx.state.installations.get(oauthId);
  if (!installation) throw new Error(`No installation ${oauthId}`);
  const caps = installation.descriptor.capabilities ?? {};
  let moduleUrl: string | undefined;
  if (request.kind === 'configurable') moduleUrl = caps.configurable?.url;
  else if (request.kind === 'adminPage') moduleUrl = caps.adminPage?.url;
  else {
    const modules: Array<{ key: string; url: string }> = caps[request.kind] ?? [];
    moduleUrl = modules.find((entry) => entry.key === request.key)?.url;
  }
  if (!moduleUrl) throw new Error(`Installation ${oauthId} declares no ${request.kind}${request.key ? ` "${request.key}"` : ''}`);
  const url = new URL(moduleUrl);
  url.searchParams.set('signed_request', signHipChatJwt({ issuer: oauthId, secret: installation.oauthSecret, userId: request.userId, roomId: request.roomId }));
  url.searchParams.set('theme', request.theme ?? 'light');
  url.searchParams.set('lang', request.lang ?? 'en');
  return url.toString();
}
