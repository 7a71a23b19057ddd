import request from 'supertest';
import { createLogger } from '../../src/shared/logger';
import { openDb } from '../../src/store/open-db';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';
import { claims, globalInstallation, roomInstallation, sign, tokenFor, GLOBAL_ID, ROOM_ID } from './jwt-fixtures';
import { eventually, openJwtInstance, type JwtInstance } from './jwt-test-app';

const now = () => Math.floor(Date.now() / 1000);
const globalToken = () => tokenFor(globalInstallation, now());

describe('requireJwt over HTTP (real InstallationStore and cache)', () => {
  let database: TestDatabase;
  let instance: JwtInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    instance = await openJwtInstance(database);
  });
  beforeEach(async () => {
    await instance.store.save(globalInstallation);
    await instance.store.save(roomInstallation);
  });
  afterAll(async () => {
    await instance.close();
    await database.drop();
  });

  const expectRefused = (res: request.Response, status: number, code: string) => {
    expect([res.status, res.body.error?.code]).toEqual([status, code]);
    expect(res.headers['www-authenticate']).toBe('JWT');
    expect(typeof res.body.error.message).toBe('string');
  };

  it('accepts a global installation token in Authorization: JWT and exposes the context', async () => {
    const token = globalToken();
    const res = await request(instance.app).get('/protected').set('Authorization', `JWT ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      oauthId: GLOBAL_ID,
      groupId: 7,
      roomId: 42,
      userId: '1001',
      userTz: 'Europe/Paris',
      token,
      jti: 'c1a0f6b2-5b7c-4f6e-9d35-0d4f1f0b7a11',
      expiresAt: expect.any(Number),
      installationRoomId: null,
    });
  });

  it('accepts a room installation token in signed_request (glances, pages)', async () => {
    const token = tokenFor(roomInstallation, now(), { context: { user_tz: 'UTC' } });
    const res = await request(instance.app).get('/protected').query({ signed_request: token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ oauthId: ROOM_ID, roomId: 42, installationRoomId: 42, userTz: 'UTC' });
  });

  it('accepts the old "JWT token=<token>" header and a signed_request form field', async () => {
    const header = await request(instance.app).get('/protected').set('Authorization', `JWT token=${globalToken()}`);
    expect(header.status).toBe(200);
    const form = await request(instance.app).post('/protected').type('form').send({ signed_request: globalToken() });
    expect(form.status).toBe(200);
  });

  it('accepts the same token in header and query, and refuses two different ones', async () => {
    const token = globalToken();
    const same = await request(instance.app).get('/protected').query({ signed_request: token }).set('Authorization', `JWT ${token}`);
    expect(same.status).toBe(200);
    const other = tokenFor(globalInstallation, now(), { sub: '2002' });
    const res = await request(instance.app).get('/protected').query({ signed_request: other }).set('Authorization', `JWT ${token}`);
    expectRefused(res, 401, 'conflicting_tokens');
  });

  it('refuses a request without a token, a Bearer token, or a garbage one', async () => {
    expectRefused(await request(instance.app).get('/protected'), 401, 'missing_token');
    expectRefused(await request(instance.app).get('/protected').set('Authorization', 'Bearer abc'), 401, 'missing_token');
    expectRefused(await request(instance.app).get('/protected').set('Authorization', 'JWT a.b'), 401, 'malformed_token');
    expectRefused(await request(instance.app).get('/protected').query({ signed_request: 'garbage' }), 401, 'malformed_token');
  });

  it('refuses an oversized token with token_too_large', async () => {
    const big = tokenFor(globalInstallation, now(), { pad: 'x'.repeat(8200) });
    expectRefused(await request(instance.app).post('/protected').type('form').send({ signed_request: big }), 401, 'token_too_large');
  });

  it('refuses a wrong secret, an expired token and an unknown issuer', async () => {
    const forged = sign(claims(GLOBAL_ID, now()), 'not-the-secret');
    expectRefused(await request(instance.app).get('/protected').set('Authorization', `JWT ${forged}`), 401, 'invalid_signature');
    const expired = tokenFor(globalInstallation, now() - 3600);
    expectRefused(await request(instance.app).get('/protected').set('Authorization', `JWT ${expired}`), 401, 'token_expired');
    const stranger = sign(claims('99999999-9999-4999-8999-999999999999', now()), 'x');
    expectRefused(await request(instance.app).get('/protected').set('Authorization', `JWT ${stranger}`), 401, 'unknown_issuer');
  });

  it('refuses a room installation acting in another room with 403 wrong_room', async () => {
    const token = tokenFor(roomInstallation, now(), { context: { room_id: 99 } });
    expectRefused(await request(instance.app).get('/protected').set('Authorization', `JWT ${token}`), 403, 'wrong_room');
  });

  describe('webhooks', () => {
    const body = (clientId?: string) => ({ event: 'room_message', item: {}, webhook_id: 1, oauth_client_id: clientId });

    it('accepts a webhook whose oauth_client_id is the issuer', async () => {
      const res = await request(instance.app).post('/webhook').set('Authorization', `JWT ${globalToken()}`).send(body(GLOBAL_ID));
      expect(res.status).toBe(200);
    });

    it('refuses a webhook body naming another installation with 403 issuer_mismatch', async () => {
      const res = await request(instance.app).post('/webhook').set('Authorization', `JWT ${globalToken()}`).send(body(ROOM_ID));
      expectRefused(res, 403, 'issuer_mismatch');
    });

    it('refuses a webhook body without oauth_client_id (HipChat always sent it: safer reading)', async () => {
      const res = await request(instance.app).post('/webhook').set('Authorization', `JWT ${globalToken()}`).send(body());
      expectRefused(res, 403, 'issuer_mismatch');
    });
  });

  it('answers 500 when a route reads the context without the middleware', async () => {
    const res = await request(instance.app).get('/unprotected');
    expect([res.status, res.body.error.code]).toEqual([500, 'internal_error']);
  });

  it('refuses an uninstalled installation within a second, even after its token was accepted (cache warm)', async () => {
    const token = globalToken();
    expect((await request(instance.app).get('/protected').set('Authorization', `JWT ${token}`)).status).toBe(200);
    // On Postgres the uninstall comes from another connection, as it would from another instance.
    const other = onPostgres ? await openJwtInstance(database) : instance;
    try {
      expect(await other.store.delete(GLOBAL_ID)).toBe(true);
      await eventually(async () => {
        expectRefused(await request(instance.app).get('/protected').set('Authorization', `JWT ${token}`), 401, 'unknown_issuer');
      });
    } finally {
      if (other !== instance) await other.close();
    }
  });

  it('refuses tokens signed with the old secret once the installation is updated', async () => {
    const oldToken = globalToken();
    expect((await request(instance.app).get('/protected').set('Authorization', `JWT ${oldToken}`)).status).toBe(200);
    const rotated = { ...globalInstallation, oauthSecret: 'rotated-secret-0123456789' };
    await instance.store.save(rotated);
    await eventually(async () => {
      expectRefused(await request(instance.app).get('/protected').set('Authorization', `JWT ${oldToken}`), 401, 'invalid_signature');
    });
    const fresh = tokenFor(rotated, now());
    expect((await request(instance.app).get('/protected').set('Authorization', `JWT ${fresh}`)).status).toBe(200);
  });

  it('accepts a new installation at once (misses are not cached)', async () => {
    const id = '33333333-3333-4333-8333-333333333333';
    const fresh = { ...globalInstallation, oauthId: id, oauthSecret: 'fresh-secret-0123456789' };
    const token = tokenFor(fresh, now());
    expectRefused(await request(instance.app).get('/protected').set('Authorization', `JWT ${token}`), 401, 'unknown_issuer');
    const other = onPostgres ? await openDb(database, createLogger('silent')) : instance.db;
    try {
      await openJwtInstance(database, other).then(async (writer) => {
        await writer.store.save(fresh);
        await writer.close();
      });
    } finally {
      if (other !== instance.db) await other.close();
    }
    expect((await request(instance.app).get('/protected').set('Authorization', `JWT ${token}`)).status).toBe(200);
  });
});
