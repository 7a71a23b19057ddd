import axios, { type AxiosInstance } from 'axios';

export interface AccessToken {
  accessToken: string;
  scopes: string[];
  /** Absolute expiry, from the response's expires_in. */
  expiresAt: Date;
  groupId?: number;
}

export class TokenRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status HipChat answered, or undefined when HipChat could not be reached. */
    readonly status: number | undefined,
    /** The OAuth `error` code of HipChat's answer (RFC 6749 §5.2), e.g. `invalid_client`, when it gave one. */
    readonly oauthError?: string,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }

  /** HipChat answered that these client credentials are not (or no longer) valid. */
  get credentialsRefused(): boolean {
    return this.status === 401 || this.status === 400 || this.status === 403;
  }

  /**
   * HipChat refused the OAuth client itself: a 401, or an `invalid_client` error. The only answer that
   * proves an uninstall; a 400/403 for another reason, a 429 or a 5xx may be throttling or an outage.
   */
  get clientRefused(): boolean {
    if (this.status === 401) return true;
    return this.oauthError === 'invalid_client' && this.status !== undefined && this.status >= 400 && this.status < 500 && this.status !== 429;
  }
}

/**
 * Exchanges an installation's OAuth client credentials for an access token (client_credentials grant,
 * HTTP Basic oauthId:oauthSecret), as HipChat's token endpoint expects.
 */
export async function requestAccessToken(
  http: AxiosInstance,
  tokenUrl: string,
  credentials: { oauthId: string; oauthSecret: string },
  scopes: string[],
  now: () => number = Date.now,
): Promise<AccessToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  let response;
  try {
    response = await http.post(tokenUrl, form.toString(), {
      auth: { username: credentials.oauthId, password: credentials.oauthSecret },
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      validateStatus: () => true,
    });
  } catch (error) {
    throw new TokenRequestError(`HipChat's token endpoint could not be reached: ${describe(error)}`, undefined);
  }
  if (response.status !== 200) {
    throw new TokenRequestError(`HipChat refused the token request (HTTP ${response.status})`, response.status, oauthErrorOf(response.data));
  }
  const body = response.data as { access_token?: unknown; expires_in?: unknown; scope?: unknown; group_id?: unknown };
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
    throw new TokenRequestError('HipChat answered the token request without access_token/expires_in', response.status);
  }
  return {
    accessToken: body.access_token,
    scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : scopes,
    expiresAt: new Date(now() + body.expires_in * 1000),
    groupId: typeof body.group_id === 'number' ? body.group_id : undefined,
  };
}

/** The RFC 6749 `error` string of a token endpoint's refusal, if the body has one. */
function oauthErrorOf(body: unknown): string | undefined {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const error = (parsed as { error?: unknown }).error;
  return typeof error === 'string' ? error : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (axios.isAxiosError(error)) return error.code ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
