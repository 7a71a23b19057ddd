import request from 'supertest';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon } from '../helpers/test-addon';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-database';
import { TEST_ALLOWED_HOSTS, TEST_ENCRYPTION_KEY } from './install-testbed';

describe(`restart keeps installations (${onPostgres ? 'Postgres' : 'PGlite on disk'})`, () => {
  let hipchat: EmulatedHipChat;
  let database: TestDatabase;
  const env = { HIPCHAT_ALLOWED_HOSTS: TEST_ALLOWED_HOSTS, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };

  beforeAll(async () => {
    hipchat = await EmulatedHipChat.start();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await hipchat.close();
    await database.drop();
  });

  it('an installation made before a restart is there, with its secret, after a new add-on opens the same database', async () => {
    const client = hipchat.addClient();
    const first = await startTestAddon(env, database);
    await request(first.url).post('/installable').send(hipchat.installBody(client, 8)).expect(200);
    await first.stop();

    const second = await startTestAddon(env, database);
    try {
      expect(await second.services.installations.get(client.oauthId)).toMatchObject({
        oauthSecret: client.oauthSecret,
        roomId: 8,
        tokenUrl: hipchat.tokenUrl,
      });
      // And the lifecycle goes on: a confirmed uninstall on the new instance removes it.
      hipchat.revoke(client.oauthId);
      await request(second.url).delete(`/installable/${client.oauthId}`).expect(204);
      expect(await second.services.installations.count()).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
