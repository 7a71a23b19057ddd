import type { TokenService } from '../api/token-service';
import type { Installation } from '../installations/installation';
import type { CredentialProvider, DeliveryTarget, ResolvedCredentials } from './delivery-target';

/** Calls for installation targets use the installation's API base URL and its client-credentials token. */
export class InstallationCredentialProvider implements CredentialProvider {
  private readonly lastToken = new Map<string, string>();

  constructor(
    /** The installation store, or a cache in front of it. */
    private readonly installations: { get(oauthId: string): Promise<Installation | undefined> },
    private readonly tokens: TokenService,
  ) {}

  async resolve(target: DeliveryTarget): Promise<ResolvedCredentials | undefined> {
    if (target.kind !== 'installation') return undefined;
    const installation = await this.installations.get(target.oauthId);
    if (!installation) return undefined;
    const token = await this.tokens.getToken(installation);
    this.lastToken.set(target.oauthId, token.accessToken);
    return { apiUrl: installation.apiUrl, accessToken: token.accessToken, rateLimitKey: `installation:${target.oauthId}` };
  }

  async invalidate(target: DeliveryTarget): Promise<void> {
    if (target.kind !== 'installation') return;
    await this.tokens.invalidate(target.oauthId, this.lastToken.get(target.oauthId));
  }
}
