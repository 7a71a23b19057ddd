import request from 'supertest';
import type { Installation } from '../../src/hipchat/installations/installation';
import { InstallationCache } from '../../src/hipchat/installations/installation-cache';
import { INSTALLATION_CHANGED_CHANNEL } from '../../src/hipchat/installations/installation-store';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';
import { GLOBAL_ID, globalInstallation, tokenFor } from './jwt-fixtures';
import { eventually, openJwtInstance, type JwtInstance } from './jwt-test-app';

describe('InstallationCache on the real store', () => {
  let database: TestDatabase;
  let instance: JwtInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    instance = await openJwtInstance(database);
  });
  // On Postgres the save's own NOTIFY arrives a moment later; wait for it so it cannot land mid-test.
  beforeEach(async () => {
    let heard = false;
    const unsubscribe = await instance.store.subscribe((id) => (heard ||= id === GLOBAL_ID));
    try {
      await instance.store.save(globalInstallation);
      await eventually(async () => expect(heard).toBe(true));
    } finally {
      await unsubscribe();
    }
  });
  afterAll(async () => {
    await instance.close();
    await database.drop();
  });

  // Removing the row behind the store's back (no NOTIFY) shows whether an answer came from memory.
  const removeSilently = () => instance.db.query('DELETE FROM installations WHERE oauth_id = $1', [GLOBAL_ID]);

  it('serves a found installation from memory once looked up', async () => {
    const first = await instance.cache.get(GLOBAL_ID);
    await removeSilently();
    expect(await instance.cache.get(GLOBAL_ID)).toBe(first);
  });

  it('drops an entry when the change is announced on the channel', async () => {
    await instance.cache.get(GLOBAL_ID);
    await removeSilently();
    await instance.db.notify(INSTALLATION_CHANGED_CHANNEL, GLOBAL_ID);
    await eventually(async () => expect(await instance.cache.get(GLOBAL_ID)).toBeUndefined());
  });

  it('does not cache misses', async () => {
    const id = '44444444-4444-4444-8444-444444444444';
    expect(await instance.cache.get(id)).toBeUndefined();
    await instance.db.query(
      `INSERT INTO installations (oauth_id, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes)
       SELECT $1, oauth_secret, group_id, room_id, capabilities_url, token_url, api_url, hipchat_base_url, scopes FROM installations WHERE oauth_id = $2`,
      [id, GLOBAL_ID],
    );
    expect(await instance.cache.get(id)).toMatchObject({ oauthId: id });
  });

  it('caches nothing until its subscription is started, so no removal can be missed', async () => {
    const idle = new InstallationCache(instance.store);
    expect(await idle.get(GLOBAL_ID)).toBeDefined();
    await removeSilently();
    expect(await idle.get(GLOBAL_ID)).toBeUndefined();
  });

  it('serves a cached entry for at most ttlMs if a notification were lost', async () => {
    const short = new InstallationCache(instance.store, { ttlMs: 50 });
    await short.start();
    try {
      await short.get(GLOBAL_ID);
      await removeSilently();
      await eventually(async () => expect(await short.get(GLOBAL_ID)).toBeUndefined());
    } finally {
      await short.stop();
    }
  });
});

describe('InstallationCache look-ups racing an invalidation', () => {
  const installation = { ...globalInstallation, createdAt: new Date(0), updatedAt: new Date(0) };

  it('does not cache a look-up that was in flight when the installation changed', async () => {
    let resolveLookup: (value: Installation | undefined) => void = () => undefined;
    let lookups = 0;
    const store = {
      get: () => {
        lookups++;
        return new Promise<Installation | undefined>((resolve) => (resolveLookup = resolve));
      },
      subscribe: async () => async () => undefined,
    };
    const cache = new InstallationCache(store);
    await cache.start();
    const pending = cache.get(GLOBAL_ID);
    cache.invalidate(GLOBAL_ID);
    resolveLookup(installation);
    await pending;
    const next = cache.get(GLOBAL_ID);
    expect(lookups).toBe(2);
    resolveLookup(installation);
    expect(await next).toBe(installation);
  });

  it('shares one database look-up between concurrent requests', async () => {
    let lookups = 0;
    const store = { get: async () => (lookups++, installation), subscribe: async () => async () => undefined };
    const cache = new InstallationCache(store);
    await cache.start();
    await Promise.all([cache.get(GLOBAL_ID), cache.get(GLOBAL_ID), cache.get(GLOBAL_ID)]);
    expect(lookups).toBe(1);
  });
});

// PGlite is one process with one connection: a second instance cannot share it, so this runs on Postgres only.
const onPostgresOnly = onPostgres ? describe : describe.skip;
onPostgresOnly('two add-on instances sharing Postgres (skipped on PGlite: single process, no second instance)', () => {
  let database: TestDatabase;
  let a: JwtInstance;
  let b: JwtInstance;
  const now = () => Math.floor(Date.now() / 1000);
  const call = (instance: JwtInstance, token: string) =>
    request(instance.app).get('/protected').set('Authorization', `JWT ${token}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await openJwtInstance(database);
    b = await openJwtInstance(database);
  });
  beforeEach(() => a.store.save(globalInstallation));
  afterAll(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  it('an uninstall through one instance is refused by the other within a second', async () => {
    const token = tokenFor(globalInstallation, now());
    expect((await call(a, token)).status).toBe(200);
    expect((await call(b, token)).status).toBe(200);
    await b.store.delete(GLOBAL_ID);
    await eventually(async () => expect((await call(a, token)).body.error?.code).toBe('unknown_issuer'));
  });

  it('a secret rotated through one instance invalidates the other instance\'s cached key', async () => {
    const oldToken = tokenFor(globalInstallation, now());
    expect((await call(a, oldToken)).status).toBe(200);
    const rotated = { ...globalInstallation, oauthSecret: 'rotated-secret-0123456789' };
    await b.store.save(rotated);
    await eventually(async () => expect((await call(a, oldToken)).body.error?.code).toBe('invalid_signature'));
    expect((await call(a, tokenFor(rotated, now()))).status).toBe(200);
  });
});
