import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Logger } from '../../shared/logger';
import type { Installation } from '../installations/installation';
import { decodeUnverifiedJwt, unverifiedIssuer } from './decode-unverified-jwt';
import type { HipChatContext } from './hipchat-context';
import { JwtError, type JwtRefusalCode } from './jwt-error';
import { verifyHipChatJwt } from './verify-hipchat-jwt';

/** Where installations are looked up by oauthId (the InstallationCache in the app; a Map in unit tests). */
export interface InstallationLookup {
  get(oauthId: string): Promise<Installation | undefined>;
}

export interface JwtVerifierOptions {
  clockSkewSeconds: number;
  /** Milliseconds since the epoch; injected so tests can freeze time. */
  now?: () => number;
  logger?: Logger;
  /** Called with the reason of every refusal (metrics count them). */
  onRefusal?: (code: JwtRefusalCode) => void;
}

/** Verifies HipChat JWTs: reads `iss` untrusted, finds the installation, then checks the token with its secret. */
export class JwtVerifier {
  private readonly now: () => number;
  /**
   * One KeyObject per installation object: the cache hands out the same object until the
   * installation changes, so a new secret always gets a new key (made once, not per HMAC).
   */
  private readonly keys = new WeakMap<Installation, KeyObject>();

  constructor(
    private readonly installations: InstallationLookup,
    private readonly options: JwtVerifierOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves to the caller's context, or throws a JwtError whose code says why the token is refused. */
  async verify(token: string): Promise<HipChatContext> {
    let iss: string | undefined;
    try {
      const decoded = decodeUnverifiedJwt(token);
      iss = unverifiedIssuer(decoded.payload);
      if (iss === undefined) throw new JwtError('missing_issuer', 'The JWT has no usable iss claim');
      const installation = await this.installations.get(iss);
      if (!installation) throw new JwtError('unknown_issuer', 'No installation matches the JWT issuer', iss);
      return verifyHipChatJwt(token, decoded, installation, this.keyFor(installation), {
        nowSeconds: this.now() / 1000,
        skewSeconds: this.options.clockSkewSeconds,
      });
    } catch (error) {
      if (error instanceof JwtError) this.recordRefusal(error);
      throw error;
    }
  }

  /** Logs (reason and iss, never the token) and counts a refusal; the middleware reports its own through here. */
  recordRefusal(error: JwtError): void {
    this.options.logger?.debug({ reason: error.code, iss: error.issuer }, 'JWT refused');
    this.options.onRefusal?.(error.code);
  }

  private keyFor(installation: Installation): KeyObject {
    let key = this.keys.get(installation);
    if (!key) {
      key = createSecretKey(Buffer.from(installation.oauthSecret, 'utf8'));
      this.keys.set(installation, key);
    }
    return key;
  }
}
