import type { Installation, NewInstallation } from '../../src/hipchat/installations/installation';
import { JwtError, JWT_REFUSAL_CODES, type JwtRefusalCode } from '../../src/hipchat/jwt/jwt-error';
import { JwtVerifier } from '../../src/hipchat/jwt/jwt-verifier';
import {
  claims,
  GLOBAL_ID,
  globalInstallation,
  NOW,
  roomInstallation,
  rs256Token,
  sign,
  tamper,
  tokenFor,
  unsignedToken,
} from './jwt-fixtures';

const SKEW = 60;

function stored(inst: NewInstallation): Installation {
  return { ...inst, createdAt: new Date(0), updatedAt: new Date(0) };
}

function verifierAt(nowSeconds: number, installations: NewInstallation[] = [globalInstallation, roomInstallation]) {
  const byId = new Map(installations.map((inst) => [inst.oauthId, stored(inst)]));
  const refusals: JwtRefusalCode[] = [];
  const verifier = new JwtVerifier(
    { get: async (oauthId) => byId.get(oauthId) },
    { clockSkewSeconds: SKEW, now: () => nowSeconds * 1000, onRefusal: (code) => refusals.push(code) },
  );
  return { verifier, refusals, byId };
}

async function refusal(token: string, now = NOW): Promise<JwtError> {
  const { verifier, refusals } = verifierAt(now);
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof JwtError)) throw new Error(`expected a JwtError, got ${String(error)}`);
  expect(refusals).toEqual([error.code]);
  expect(error.headers).toEqual({ 'WWW-Authenticate': 'JWT' });
  return error;
}

describe('JwtVerifier (frozen clock, in-memory installations)', () => {
  it('accepts a valid token from a global installation and builds the context', async () => {
    const token = tokenFor(globalInstallation, NOW);
    const context = await verifierAt(NOW).verifier.verify(token);
    expect(context).toMatchObject({
      oauthId: GLOBAL_ID,
      groupId: 7,
      roomId: 42,
      userId: '1001',
      userTz: 'Europe/Paris',
      token,
      installation: { oauthId: GLOBAL_ID, roomId: null },
    });
  });

  it('accepts a room installation token for its own room', async () => {
    const context = await verifierAt(NOW).verifier.verify(tokenFor(roomInstallation, NOW));
    expect(context).toMatchObject({ oauthId: roomInstallation.oauthId, roomId: 42 });
  });

  it('falls back to the installation room when the token has no context.room_id', async () => {
    const room = await verifierAt(NOW).verifier.verify(tokenFor(roomInstallation, NOW, { context: { user_tz: 'UTC' } }));
    expect(room.roomId).toBe(42);
    const global = await verifierAt(NOW).verifier.verify(tokenFor(globalInstallation, NOW, { context: undefined }));
    expect(global).toMatchObject({ roomId: null, userTz: null });
  });

  it('falls back to prn when there is no sub (older HipChat clients), and to null without either', async () => {
    const withPrn = await verifierAt(NOW).verifier.verify(tokenFor(globalInstallation, NOW, { sub: undefined, prn: 77 }));
    expect(withPrn.userId).toBe('77');
    const none = await verifierAt(NOW).verifier.verify(tokenFor(globalInstallation, NOW, { sub: undefined }));
    expect(none.userId).toBeNull();
  });

  it('accepts a numeric-string context.room_id but refuses one that is not a room id', async () => {
    const ok = await verifierAt(NOW).verifier.verify(tokenFor(roomInstallation, NOW, { context: { room_id: '42' } }));
    expect(ok.roomId).toBe(42);
    expect((await refusal(tokenFor(globalInstallation, NOW, { context: { room_id: 'lobby' } }))).code).toBe('invalid_claims');
  });

  it('refuses a room installation token for another room with 403 wrong_room', async () => {
    const error = await refusal(tokenFor(roomInstallation, NOW, { context: { room_id: 43 } }));
    expect([error.status, error.code]).toEqual([403, 'wrong_room']);
  });

  it.each([
    ['garbage', 'not a jwt', 'malformed_token'],
    ['two-part token', tokenFor(globalInstallation, NOW).split('.').slice(0, 2).join('.'), 'malformed_token'],
    ['non-JSON payload', `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.bm90IGpzb24.c2ln`, 'malformed_token'],
    ['array payload', sign({ iss: GLOBAL_ID } as Record<string, unknown>, 'x').replace(/\.[^.]+\./, `.${Buffer.from('[1]').toString('base64url')}.`), 'malformed_token'],
    ['no iss', sign({ exp: NOW + 60, iat: NOW }, globalInstallation.oauthSecret), 'missing_issuer'],
    ['unknown iss', sign(claims('99999999-9999-4999-8999-999999999999', NOW), 'whatever'), 'unknown_issuer'],
    ['wrong secret', sign(claims(GLOBAL_ID, NOW), 'not-the-secret'), 'invalid_signature'],
    ['another installation\'s secret', sign(claims(GLOBAL_ID, NOW), roomInstallation.oauthSecret), 'invalid_signature'],
    ['tampered payload', tamper(tokenFor(globalInstallation, NOW), claims(GLOBAL_ID, NOW, { sub: '1' })), 'invalid_signature'],
    ['alg none', unsignedToken(claims(GLOBAL_ID, NOW)), 'unsupported_algorithm'],
    ['alg HS512', sign(claims(GLOBAL_ID, NOW), globalInstallation.oauthSecret, 'HS512'), 'unsupported_algorithm'],
    ['alg RS256', rs256Token(claims(GLOBAL_ID, NOW)), 'unsupported_algorithm'],
    ['no exp', tokenFor(globalInstallation, NOW, { exp: undefined }), 'missing_exp'],
    ['non-numeric exp', tokenFor(globalInstallation, NOW, { exp: 'tomorrow' }), 'invalid_claims'],
    ['no iat', tokenFor(globalInstallation, NOW, { iat: undefined }), 'invalid_claims'],
    ['expired', tokenFor(globalInstallation, NOW - 3600), 'token_expired'],
    ['issued in the future', tokenFor(globalInstallation, NOW + 600), 'iat_in_future'],
    ['nbf in the future', tokenFor(globalInstallation, NOW, { nbf: NOW + 600 }), 'token_not_yet_valid'],
    ['oversized', tokenFor(globalInstallation, NOW, { pad: 'x'.repeat(9000) }), 'token_too_large'],
  ])('refuses %s', async (_name, token, code) => {
    const error = await refusal(token);
    expect(error.code).toBe(code);
    expect(error.status).toBe(401);
  });

  it('checks the signature before the claims, so a forged token learns nothing about its times', async () => {
    const forged = sign(claims(GLOBAL_ID, NOW - 3600), 'not-the-secret');
    expect((await refusal(forged)).code).toBe('invalid_signature');
  });

  it('refuses an oversized token before decoding it', async () => {
    const lookups: string[] = [];
    const verifier = new JwtVerifier(
      { get: async (id) => (lookups.push(id), undefined) },
      { clockSkewSeconds: SKEW, now: () => NOW * 1000 },
    );
    await expect(verifier.verify('a'.repeat(8193))).rejects.toMatchObject({ code: 'token_too_large' });
    expect(lookups).toEqual([]);
  });

  describe(`clock skew (${SKEW} s) boundaries`, () => {
    const exp = NOW + 300;
    const token = tokenFor(globalInstallation, NOW, { exp });

    it('accepts a token until exp + skew, and refuses it from then on', async () => {
      await expect(verifierAt(exp + SKEW - 1).verifier.verify(token)).resolves.toBeDefined();
      expect((await refusal(token, exp + SKEW)).code).toBe('token_expired');
    });

    it('accepts iat up to skew seconds in the future, not one second more', async () => {
      await expect(verifierAt(NOW).verifier.verify(tokenFor(globalInstallation, NOW + SKEW))).resolves.toBeDefined();
      expect((await refusal(tokenFor(globalInstallation, NOW + SKEW + 1))).code).toBe('iat_in_future');
    });

    it('honours nbf with the same leeway', async () => {
      await expect(verifierAt(NOW).verifier.verify(tokenFor(globalInstallation, NOW, { nbf: NOW + SKEW }))).resolves.toBeDefined();
      expect((await refusal(tokenFor(globalInstallation, NOW, { nbf: NOW + SKEW + 1 }))).code).toBe('token_not_yet_valid');
    });
  });

  it('uses a new key when the installation (and so its secret) is replaced', async () => {
    const { verifier, byId } = verifierAt(NOW);
    await verifier.verify(tokenFor(globalInstallation, NOW));
    byId.set(GLOBAL_ID, stored({ ...globalInstallation, oauthSecret: 'rotated-secret-0123456789' }));
    await expect(verifier.verify(tokenFor(globalInstallation, NOW))).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(verifier.verify(sign(claims(GLOBAL_ID, NOW), 'rotated-secret-0123456789'))).resolves.toBeDefined();
  });

  it('exports every refusal code it can produce, each with 401 or 403', () => {
    for (const code of JWT_REFUSAL_CODES) expect([401, 403]).toContain(new JwtError(code, 'x').status);
    expect(new JwtError('issuer_mismatch', 'x').status).toBe(403);
    expect(new JwtError('token_expired', 'x').status).toBe(401);
  });
});
