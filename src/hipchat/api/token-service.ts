import crypto from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { Db, Queryable } from '../../store/db';
import type { SecretBox } from '../../store/secret-box';
import type { Installation } from '../installations/installation';
import type { InstallationStore } from '../installations/installation-store';
import { requestAccessToken, type AccessToken } from './request-access-token';

export interface CachedToken {
  accessToken: string;
  expiresAt: Date;
  /** After this instant the token is replaced (a margin before expiry). */
  refreshAt: Date;
}

export interface TokenServiceOptions {
  /**
   * Scopes to request: the descriptor's hipchatApiConsumer.scopes, narrowed per installation to those it
   * was granted (an installation made before the descriptor asked for a scope cannot get a token with it).
   */
  scopes: string[];
  now?: () => number;
  /** Called once per token request actually sent to HipChat. */
  onTokenRequest?: (outcome: 'success' | 'failure') => void;
}

interface TokenRow {
  access_token: string;
  refresh_at: Date;
  expires_at: Date;
  secret_fingerprint: string;
}

/** Refresh at most 60 s, and at most 10% of the lifetime, before expiry. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.max(0, Math.min(60_000, lifetimeMs * 0.1));
}

/** Ties a token to the credentials it was obtained with; a new secret never reuses an old token. */
export function secretFingerprint(oauthId: string, oauthSecret: string): string {
  return crypto.createHash('sha256').update(`${oauthId}\n${oauthSecret}`).digest('hex');
}

/** How a set of scopes is stored (the access_tokens key): sorted, space-separated. */
const scopeKey = (scopes: string[]) => [...scopes].sort().join(' ');

const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/**
 * Access tokens per installation: an in-process cache in front of a table every instance shares.
 * At most one token request per installation is outstanding: in process through a shared promise,
 * across processes through an advisory lock held (in a transaction) while the token is fetched.
 */
export class TokenService {
  private readonly cache = new Map<string, CachedToken & { fingerprint: string }>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  private readonly now: () => number;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly http: AxiosInstance,
    private readonly installations: InstallationStore,
    private readonly options: TokenServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Drops in-process tokens whenever any instance saves or deletes an installation. */
  async start(): Promise<void> {
    this.unsubscribe ??= await this.installations.subscribe((oauthId) => this.forget(oauthId));
  }

  async stop(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    if (unsubscribe) await unsubscribe();
  }

  forget(oauthId: string): void {
    this.cache.delete(oauthId);
  }

  /** A valid token for the installation (fetched if needed). */
  async getToken(installation: Installation): Promise<CachedToken> {
    const cached = this.cache.get(installation.oauthId);
    if (cached && cached.refreshAt.getTime() > this.now() && cached.fingerprint === this.fingerprint(installation)) {
      return cached;
    }
    let pending = this.inFlight.get(installation.oauthId);
    if (!pending) {
      pending = this.load(installation).finally(() => this.inFlight.delete(installation.oauthId));
      this.inFlight.set(installation.oauthId, pending);
    }
    return pending;
  }

  /** After HipChat refused `accessToken` (401): forget it here and in the table, unless already replaced. */
  async invalidate(oauthId: string, accessToken?: string): Promise<void> {
    const cached = this.cache.get(oauthId);
    if (!accessToken || cached?.accessToken === accessToken) this.cache.delete(oauthId);
    if (accessToken) {
      await this.db.query('DELETE FROM access_tokens WHERE oauth_id = $1 AND token_hash = $2', [oauthId, tokenHash(accessToken)]);
    } else {
      await this.db.query('DELETE FROM access_tokens WHERE oauth_id = $1', [oauthId]);
    }
  }

  private async load(installation: Installation): Promise<CachedToken> {
    const fingerprint = this.fingerprint(installation);
    const scopes = this.scopesFor(installation);
    const shared = await this.readFresh(this.db, installation.oauthId, scopes, fingerprint);
    if (shared) return this.remember(installation.oauthId, fingerprint, shared);
    const token = await this.db.transaction(async (tx) => {
      // Another instance may be fetching: wait for it, then use what it stored.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`hipchat-token:${installation.oauthId}`]);
      const fresh = await this.readFresh(tx, installation.oauthId, scopes, fingerprint);
      if (fresh) return fresh;
      const obtained = await this.request(installation, scopes);
      return this.store(tx, installation.oauthId, scopes, fingerprint, obtained);
    });
    return this.remember(installation.oauthId, fingerprint, token);
  }

  private fingerprint(installation: Installation): string {
    return secretFingerprint(installation.oauthId, installation.oauthSecret);
  }

  /** The descriptor's scopes this installation was granted, in the descriptor's order. */
  private scopesFor(installation: Installation): string[] {
    const granted = installation.scopes;
    return granted.length > 0 ? this.options.scopes.filter((scope) => granted.includes(scope)) : this.options.scopes;
  }

  private async request(installation: Installation, scopes: string[]): Promise<AccessToken> {
    try {
      const token = await requestAccessToken(
        this.http,
        installation.tokenUrl,
        installation,
        scopes,
        this.now,
      );
      this.options.onTokenRequest?.('success');
      return token;
    } catch (error) {
      this.options.onTokenRequest?.('failure');
      throw error;
    }
  }

  private async readFresh(q: Queryable, oauthId: string, scopes: string[], fingerprint: string): Promise<CachedToken | undefined> {
    const { rows } = await q.query<TokenRow>(
      'SELECT access_token, refresh_at, expires_at, secret_fingerprint FROM access_tokens WHERE oauth_id = $1 AND scopes = $2',
      [oauthId, scopeKey(scopes)],
    );
    const row = rows[0];
    if (!row || row.secret_fingerprint !== fingerprint) return undefined;
    const refreshAt = new Date(row.refresh_at);
    if (refreshAt.getTime() <= this.now()) return undefined;
    return { accessToken: this.secrets.open(row.access_token), refreshAt, expiresAt: new Date(row.expires_at) };
  }

  private async store(tx: Queryable, oauthId: string, scopes: string[], fingerprint: string, token: AccessToken): Promise<CachedToken> {
    const lifetime = token.expiresAt.getTime() - this.now();
    const refreshAt = new Date(token.expiresAt.getTime() - refreshMarginMs(lifetime));
    await tx.query(
      `INSERT INTO access_tokens (oauth_id, scopes, secret_fingerprint, access_token, token_hash, refresh_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (oauth_id, scopes) DO UPDATE SET secret_fingerprint = EXCLUDED.secret_fingerprint,
         access_token = EXCLUDED.access_token, token_hash = EXCLUDED.token_hash, refresh_at = EXCLUDED.refresh_at,
         expires_at = EXCLUDED.expires_at, created_at = now()`,
      [oauthId, scopeKey(scopes), fingerprint, this.secrets.seal(token.accessToken), tokenHash(token.accessToken), refreshAt, token.expiresAt],
    );
    return { accessToken: token.accessToken, expiresAt: token.expiresAt, refreshAt };
  }

  private remember(oauthId: string, fingerprint: string, token: CachedToken): CachedToken {
    this.cache.set(oauthId, { ...token, fingerprint });
    return token;
  }
}
