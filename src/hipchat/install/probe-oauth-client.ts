import type { AxiosInstance } from 'axios';
import { requestAccessToken, TokenRequestError } from '../api/request-access-token';
import type { Installation } from '../installations/installation';

/** What HipChat says about an installation's OAuth client: removed, still working, or nothing conclusive. */
export type OAuthClientState = 'gone' | 'live' | 'unknown';

/**
 * Asks HipChat's token endpoint whether the stored credentials still work. Only a refusal of the client
 * itself (401 or `invalid_client`) counts as "gone": a throttled or failing endpoint (400, 403, 429,
 * 5xx, timeouts) proves nothing, and must never cost an installation its data.
 */
export async function probeOAuthClient(http: AxiosInstance, installation: Installation): Promise<OAuthClientState> {
  try {
    await requestAccessToken(http, installation.tokenUrl, installation, installation.scopes);
    return 'live';
  } catch (error) {
    if (error instanceof TokenRequestError) return error.clientRefused ? 'gone' : 'unknown';
    throw error;
  }
}
