import { HttpError } from '../../shared/errors';

/** `install`: POST /installable (callbackUrl, installedUrl); `update`: /installable/updated (updateCallbackUrl, updatedUrl). */
export type InstallFlow = 'install' | 'update';

/** The parts of an installation that say which HipChat, and which group in it, it belongs to. */
export interface InstallationHome {
  capabilitiesUrl: string;
  groupId: number;
}

/**
 * Decides whether a request for an oauthId the add-on already stores may replace it. Pure. The oauthId is
 * public (every JWT's `iss`), so a request is honoured only when it comes from the same HipChat — the
 * stored capabilities URL, same scheme, host, port, path and query — and names the same group (HipChat
 * Cloud serves one capabilities URL to every group). Otherwise: an update is refused with 403; a fresh
 * install with 409, as that oauthId is taken. Returns undefined when the request may proceed; its new
 * credentials must then still be proven at the stored token URL.
 */
export function checkReinstall(stored: InstallationHome, request: InstallationHome, flow: InstallFlow): HttpError | undefined {
  if (sameCapabilitiesUrl(stored.capabilitiesUrl, request.capabilitiesUrl) && stored.groupId === request.groupId) return undefined;
  // The stored URL and group are not echoed: the caller is unauthenticated.
  if (flow === 'update') {
    return new HttpError(403, 'installation_mismatch', 'An update must come from the HipChat and group the installation belongs to');
  }
  return new HttpError(409, 'installation_exists', 'This oauthId is already installed from another HipChat or group');
}

/** Same origin (scheme, host and port, default ports made explicit by URL), path and query; the fragment is ignored. */
export function sameCapabilitiesUrl(a: string, b: string): boolean {
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return false;
  return left.origin === right.origin && left.pathname === right.pathname && left.search === right.search;
}

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
