import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import type { NewInstallation } from '../../src/hipchat/installations/installation';

/** A frozen "now" for unit tests, in Unix seconds. */
export const NOW = 1_700_000_000;

export const GLOBAL_ID = '11111111-1111-4111-8111-111111111111';
export const ROOM_ID = '22222222-2222-4222-8222-222222222222';

export function installation(overrides: Partial<NewInstallation> = {}): NewInstallation {
  return {
    oauthId: GLOBAL_ID,
    oauthSecret: 'global-secret-0123456789',
    groupId: 7,
    roomId: null,
    capabilitiesUrl: 'https://api.hipchat.com/v2/capabilities',
    tokenUrl: 'https://api.hipchat.com/v2/oauth/token',
    apiUrl: 'https://api.hipchat.com/v2/',
    hipchatBaseUrl: 'https://www.hipchat.com',
    scopes: ['send_notification'],
    ...overrides,
  };
}

export const globalInstallation = installation();
export const roomInstallation = installation({ oauthId: ROOM_ID, oauthSecret: 'room-secret-0123456789', roomId: 42 });

/** Claims the way HipChat sent them, issued at `now` for five minutes. */
export function claims(iss: string, now: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss,
    sub: '1001',
    iat: now,
    exp: now + 300,
    jti: 'c1a0f6b2-5b7c-4f6e-9d35-0d4f1f0b7a11',
    context: { room_id: 42, user_tz: 'Europe/Paris' },
    ...overrides,
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs by hand rather than with jsonwebtoken, so the tests do not share the library under test and
 * can build tokens it would refuse to sign (non-numeric exp, for instance).
 */
export function sign(payload: Record<string, unknown>, secret: string, algorithm: 'HS256' | 'HS512' = 'HS256'): string {
  const input = `${b64({ alg: algorithm, typ: 'JWT' })}.${b64(payload)}`;
  const hmac = createHmac(algorithm === 'HS256' ? 'sha256' : 'sha512', secret).update(input).digest('base64url');
  return `${input}.${hmac}`;
}

/** A token signed with the installation's secret, for its iss, at `now`. */
export function tokenFor(inst: NewInstallation, now: number, overrides: Record<string, unknown> = {}): string {
  return sign(claims(inst.oauthId, now, overrides), inst.oauthSecret);
}

/** An unsigned token (`alg: none`), which jsonwebtoken would accept only if asked to. */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

export function rs256Token(payload: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${rsaSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** Replaces the payload of a signed token, keeping header and signature. */
export function tamper(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64(payload)}.${signature}`;
}
