import { InstallationStore } from '../../src/hipchat/installations/installation-store';
import type { NewInstallation } from '../../src/hipchat/installations/installation';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/open-db';
import { SecretBox } from '../../src/store/secret-box';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const sample = (overrides: Partial<NewInstallation> = {}): NewInstallation => ({
  oauthId: '3c2b3f1e-0000-4000-8000-000000000001',
  oauthSecret: 'the-oauth-secret',
  groupId: 7,
  roomId: 42,
  capabilitiesUrl: 'https://api.hipchat.com/v2/capabilities',
  tokenUrl: 'https://api.hipchat.com/v2/oauth/token',
  apiUrl: 'https://api.hipchat.com/v2/',
  hipchatBaseUrl: 'https://www.hipchat.com',
  scopes: ['send_notification', 'view_room'],
  ...overrides,
});

describe('InstallationStore (same contract on PGlite and Postgres)', () => {
  let database: TestDatabase;
  let db: Db;
  let store: InstallationStore;
  const key = Buffer.alloc(32, 9);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDb(database, createLogger('silent'));
    store = new InstallationStore(db, new SecretBox(key));
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('saves and reads back an installation', async () => {
    const saved = await store.save(sample());
    expect(saved).toMatchObject({ ...sample(), createdAt: expect.any(Date) });
    expect(await store.get(sample().oauthId)).toMatchObject(sample());
  });

  it('stores the OAuth secret encrypted, never in clear', async () => {
    const { rows } = await db.query<{ oauth_secret: string }>('SELECT oauth_secret FROM installations');
    expect(rows[0]?.oauth_secret).toMatch(/^v1:/);
    expect(rows[0]?.oauth_secret).not.toContain('the-oauth-secret');
  });

  it('replaces secret and scopes when the same oauthId is saved again (update)', async () => {
    await store.save(sample({ oauthSecret: 'rotated', scopes: ['send_notification'] }));
    expect(await store.get(sample().oauthId)).toMatchObject({ oauthSecret: 'rotated', scopes: ['send_notification'] });
    expect(await store.count()).toBe(1);
  });

  it('announces changes to subscribers, then deletes', async () => {
    const heard: string[] = [];
    const unsubscribe = await store.subscribe((id) => heard.push(id));
    expect(await store.delete(sample().oauthId)).toBe(true);
    expect(await store.get(sample().oauthId)).toBeUndefined();
    for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toContain(sample().oauthId);
    await unsubscribe();
    expect(await store.delete(sample().oauthId)).toBe(false);
  });
});
