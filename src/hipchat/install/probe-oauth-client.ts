import type { AxiosInstance } from 'axios';
import { requestAccessToken, TokenRequestError } from '../api/request-access-token';
import type { Installation } from '../installations/installation';

/** What HipChat says about an installation's OAuth client: removed, still working, or nothing (unreachable). */
export type OAuthClientState = 'gone' | 'live' | 'unknown';

/**
 * Asks HipChat's token endpoint whether the stored credentials still work. Only a refusal of the
 * credentials counts as "gone"; an outage or a 5xx proves nothing either way.
 */
export async function probeOAuthClient(http: AxiosInstance, installation: Installation): Promise<OAuthClientState> {
  try {
    await requestAccessToken(http, installation.tokenUrl, installation, installation.scopes);
    return 'live';
  } catch (error) {
    if (error instanceof TokenRequestError) return error.credentialsRefused ? 'gone' : 'unknown';
    throw error;
  }
}
