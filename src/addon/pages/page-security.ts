import { checkTrustedUrl, isLoopbackHost } from '../../hipchat/install/trusted-host';

/**
 * Where HipChat may frame the add-on's pages, from HIPCHAT_ALLOWED_HOSTS: https on the listed hosts
 * (wildcards kept), and any port over http on loopback entries (the emulator, local trials).
 */
export function frameAncestorSources(allowedHosts: readonly string[]): string[] {
  const sources = allowedHosts.map((pattern) => {
    const host = pattern.includes(':') && !pattern.startsWith('[') ? `[${pattern}]` : pattern;
    return isLoopbackHost(pattern) ? `http://${host}:*` : `https://${host}`;
  });
  return [...new Set(sources)];
}

/**
 * The Content-Security-Policy of a page HipChat frames: only this server's scripts, styles and API,
 * plus HipChat's JavaScript API (all.js) from the installation's HipChat host.
 */
export function pageCsp(options: { allowedHosts: readonly string[]; hipchatOrigin: string | undefined }): string {
  const scripts = ["'self'", ...(options.hipchatOrigin ? [options.hipchatOrigin] : [])];
  return [
    "default-src 'none'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestorSources(options.allowedHosts).join(' ')}`,
  ].join('; ');
}

/** The origin of an installation's HipChat host, if it is one we trust (it was checked at install). */
export function trustedHipChatOrigin(hipchatBaseUrl: string, allowedHosts: readonly string[]): string | undefined {
  const trust = checkTrustedUrl(hipchatBaseUrl, allowedHosts);
  return trust.trusted ? trust.url.origin : undefined;
}

/** CORS for HipChat origins lives in the core (every module's glances use it). */
export { isAllowedCorsOrigin } from '../../hipchat/modules/cors-for-hipchat';
