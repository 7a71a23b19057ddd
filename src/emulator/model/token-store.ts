import { randomBytes } from 'node:crypto';
import type { AccessToken, Scope } from './types';

/** Opaque random strings, shaped like HipChat's 40-character tokens and secrets. */
export function randomToken(length = 40): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export type TokenLookup = { ok: true; token: AccessToken } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/**
 * Access tokens issued by the token endpoint and room notification tokens.
 * `isOwnerAlive` tells whether the installation/integration behind a token still exists, so
 * revoking a client invalidates its tokens at once.
 */
export class TokenStore {
  private readonly tokens = new Map<string, AccessToken>();
  /** Every value ever issued, revoked or not: tests check that none leaks into an add-on's logs. */
  private readonly issued: string[] = [];

  constructor(private readonly isOwnerAlive: (token: AccessToken) => boolean) {}

  issue(input: Omit<AccessToken, 'token'>): AccessToken {
    const token: AccessToken = { token: randomToken(40), ...input };
    this.tokens.set(token.token, token);
    this.issued.push(token.token);
    return token;
  }

  issuedValues(): string[] {
    return [...this.issued];
  }

  lookup(value: string, nowMs: number): TokenLookup {
    const token = this.tokens.get(value);
    if (!token) return { ok: false, reason: 'unknown' };
    if (!this.isOwnerAlive(token)) {
      this.tokens.delete(value);
      return { ok: false, reason: 'revoked' };
    }
    if (token.expiresAt <= nowMs) return { ok: false, reason: 'expired' };
    return { ok: true, token };
  }

  revokeOwner(match: { oauthId?: string; integrationId?: string }): void {
    for (const [value, token] of this.tokens) {
      if ((match.oauthId && token.oauthId === match.oauthId) || (match.integrationId && token.integrationId === match.integrationId)) {
        this.tokens.delete(value);
      }
    }
  }
}

/** Parses the token endpoint's `scope` parameter. Omitted or blank = every granted scope. */
export function resolveRequestedScopes(
  requested: string | undefined,
  granted: readonly Scope[],
): { ok: true; scopes: Scope[] } | { ok: false; notGranted: string[] } {
  if (requested === undefined || requested.trim() === '') return { ok: true, scopes: [...granted] };
  const asked = [...new Set(requested.trim().split(/\s+/))];
  const notGranted = asked.filter((scope) => !(granted as readonly string[]).includes(scope));
  if (notGranted.length > 0) return { ok: false, notGranted };
  return { ok: true, scopes: asked as Scope[] };
}
