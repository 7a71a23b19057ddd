import type { AxiosInstance } from 'axios';
import { HttpError } from '../../shared/errors';
import { requestAccessToken, TokenRequestError, type AccessToken } from '../api/request-access-token';
import type { Installation, NewInstallation } from '../installations/installation';
import { readCapabilitiesDocument } from './capabilities-document';
import { fetchHipChatJson } from './fetch-hipchat-json';
import type { InstallRequest } from './install-request';
import { checkTrustedUrl } from './trusted-host';

export interface VerifyInstallationDeps {
  http: AxiosInstance;
  /** HIPCHAT_ALLOWED_HOSTS patterns. */
  allowedHosts: readonly string[];
  /** The descriptor's scopes, requested with the proving token. */
  scopes: string[];
}

/**
 * Turns an install request (POST body or installable_url document) into an installation the add-on may
 * store, or throws an HttpError saying why not. Nothing is stored here. A forged request cannot pass:
 * every URL it leads to must be on a trusted host, HipChat's document must name itself, and the
 * credentials must obtain a token from HipChat's own token endpoint.
 */
export async function verifyInstallation(request: InstallRequest, deps: VerifyInstallationDeps): Promise<NewInstallation> {
  requireTrusted(request.capabilitiesUrl, 'capabilitiesUrl', deps.allowedHosts);
  const document = await fetchHipChatJson(deps.http, request.capabilitiesUrl, "HipChat's capabilities document");
  const endpoints = readCapabilitiesDocument(document, request.capabilitiesUrl);
  // The secret goes to tokenUrl, and tokens to the API URL: both must be HipChat's as much as the document is.
  requireTrusted(endpoints.tokenUrl, 'capabilities.oauth2Provider.tokenUrl', deps.allowedHosts);
  requireTrusted(endpoints.apiUrl, 'capabilities.hipchatApiProvider.url', deps.allowedHosts);
  // Pages load HipChat's all.js from here, so it must be trusted too.
  requireTrusted(endpoints.hipchatBaseUrl, 'links.subdomain/links.homepage', deps.allowedHosts);
  // One HipChat serves its document, token and API from one origin (Cloud and Server alike). Mixed, an
  // installation could fetch its tokens from a host it controls while delivering to (and being counted
  // against the per-host delivery share of) another HipChat, and stall that HipChat's other installations.
  requireSameOrigin(endpoints.tokenUrl, 'capabilities.oauth2Provider.tokenUrl', request.capabilitiesUrl);
  requireSameOrigin(endpoints.apiUrl, 'capabilities.hipchatApiProvider.url', request.capabilitiesUrl);

  const token = await proveCredentials(request, endpoints.tokenUrl, deps);
  requireGroup(token, request.groupId);
  return {
    oauthId: request.oauthId,
    oauthSecret: request.oauthSecret,
    groupId: request.groupId,
    roomId: request.roomId ?? null,
    ...endpoints,
    scopes: grantedScopes(token, deps.scopes),
  };
}

/**
 * Verifies a re-install or update of a stored installation (checkReinstall has already matched its HipChat
 * and group). The request's capabilities document is not fetched: its new secret goes only to the stored
 * token URL, the one the first install proved, never to a URL a document the caller serves could name.
 * The stored endpoints stay; the scopes are what HipChat grants now.
 */
export async function verifyReinstallation(request: InstallRequest, stored: Installation, deps: VerifyInstallationDeps): Promise<NewInstallation> {
  requireTrusted(stored.tokenUrl, 'The stored token URL', deps.allowedHosts);
  const token = await proveCredentials(request, stored.tokenUrl, deps);
  requireGroup(token, stored.groupId);
  return {
    oauthId: stored.oauthId,
    oauthSecret: request.oauthSecret,
    groupId: stored.groupId,
    roomId: request.roomId ?? null,
    capabilitiesUrl: stored.capabilitiesUrl,
    tokenUrl: stored.tokenUrl,
    apiUrl: stored.apiUrl,
    hipchatBaseUrl: stored.hipchatBaseUrl,
    scopes: grantedScopes(token, deps.scopes),
  };
}

/** Throws 403 when HipChat's token answer names another group than the installation's (when it names one). */
function requireGroup(token: AccessToken, groupId: number): void {
  if (token.groupId !== undefined && token.groupId !== groupId) {
    throw new HttpError(403, 'group_mismatch', `The OAuth client belongs to group ${token.groupId}, not to groupId ${groupId}`);
  }
}

/** Throws 403 unless `url` has the origin (scheme, host and port) of the capabilities document. */
function requireSameOrigin(url: string, field: string, capabilitiesUrl: string): void {
  if (new URL(url).origin !== new URL(capabilitiesUrl).origin) {
    throw new HttpError(403, 'mixed_hipchat_origins', `${field} must be on the capabilities document's origin (${new URL(capabilitiesUrl).origin})`);
  }
}

/** Throws 403 unless `url` is on a trusted host with the https rule (see checkTrustedUrl). */
export function requireTrusted(url: string, field: string, allowedHosts: readonly string[]): URL {
  const trust = checkTrustedUrl(url, allowedHosts);
  if (!trust.trusted) throw new HttpError(403, 'untrusted_host', `${field} ${trust.reason}`);
  return trust.url;
}

async function proveCredentials(request: InstallRequest, tokenUrl: string, deps: VerifyInstallationDeps): Promise<AccessToken> {
  try {
    return await requestAccessToken(deps.http, tokenUrl, request, deps.scopes);
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    if (error.credentialsRefused) {
      throw new HttpError(403, 'credentials_refused', `HipChat refused the OAuth client credentials for ${request.oauthId}`);
    }
    throw new HttpError(502, 'hipchat_unreachable', `The credentials could not be proven: ${error.message}`, {}, { cause: error });
  }
}

/** The scopes HipChat granted, limited to those the add-on asked for. */
function grantedScopes(token: AccessToken, requested: string[]): string[] {
  return token.scopes.filter((scope) => requested.includes(scope));
}
