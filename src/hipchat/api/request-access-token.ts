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
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }

  /** HipChat answered that these client credentials are not (or no longer) valid. */
  get credentialsRefused(): boolean {
    return this.status === 401 || this.status === 400 || this.status === 403;
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
    throw new TokenRequestError(`HipChat refused the token request (HTTP ${response.status})`, response.status);
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

function describe(error: unknown): string {
  if (axios.isAxiosError(error)) return error.code ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
