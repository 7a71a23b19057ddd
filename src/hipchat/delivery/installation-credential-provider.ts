import { TokenRequestError } from '../api/request-access-token';
import type { CachedToken, TokenService } from '../api/token-service';
import type { Installation } from '../installations/installation';
import type { CredentialProvider, DeliveryTarget, ResolvedCredentials } from './delivery-target';

type InstallationLookup = { get(oauthId: string): Promise<Installation | undefined> };

/** Calls for installation targets use the installation's API base URL and its client-credentials token. */
export class InstallationCredentialProvider implements CredentialProvider {
  private readonly lastToken = new Map<string, string>();

  constructor(
    /** Usually a cache in front of the store. */
    private readonly lookup: InstallationLookup,
    /** The store itself: consulted when the cached credentials are refused. */
    private readonly store: InstallationLookup,
    private readonly tokens: TokenService,
  ) {}

  async resolve(target: DeliveryTarget): Promise<ResolvedCredentials | undefined> {
    if (target.kind !== 'installation') return undefined;
    let installation = await this.lookup.get(target.oauthId);
    if (!installation) return undefined;
    let token: CachedToken;
    try {
      token = await this.tokens.getToken(installation);
    } catch (error) {
      // The cache may hold the secret an update just replaced (its invalidation is asynchronous).
      if (!(error instanceof TokenRequestError && error.credentialsRefused) || this.lookup === this.store) throw error;
      const current = await this.store.get(target.oauthId);
      if (!current) return undefined;
      if (current.oauthSecret === installation.oauthSecret) throw error;
      installation = current;
      token = await this.tokens.getToken(installation);
    }
    this.lastToken.set(target.oauthId, token.accessToken);
    return { apiUrl: installation.apiUrl, accessToken: token.accessToken, rateLimitKey: `installation:${target.oauthId}` };
  }

  async invalidate(target: DeliveryTarget): Promise<void> {
    if (target.kind !== 'installation') return;
    await this.tokens.invalidate(target.oauthId, this.lastToken.get(target.oauthId));
  }
}
