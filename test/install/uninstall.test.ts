import request from 'supertest';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startTestAddon } from '../helpers/test-addon';
import { createTestDatabase, onPostgres } from '../helpers/test-database';
import { startInstallTestbed, TEST_ALLOWED_HOSTS, waitFor, type InstallTestbed } from './install-testbed';

describe('DELETE /installable/{oauthId}: uninstall only once HipChat confirms the client is gone', () => {
  let bed: InstallTestbed;

  beforeAll(async () => {
    // Re-checks at 0.2 s and 0.4 s after the request (testConfig's UNINSTALL_RECHECK_SECONDS).
    bed = await startInstallTestbed();
  });
  afterAll(() => bed.close());
  afterEach(() => bed.hipchat.reset());

  async function install(roomId = 11) {
    const client = bed.hipchat.addClient();
    await request(bed.addon.url).post('/installable').send(bed.hipchat.installBody(client, roomId)).expect(200);
    return client;
  }
  const pendingCheck = async (oauthId: string) => {
    const { rows } = await bed.addon.services.db.query('SELECT 1 FROM uninstall_checks WHERE oauth_id = $1', [oauthId]);
    return rows.length > 0;
  };
  const installed = async (oauthId: string) => (await bed.addon.services.installations.get(oauthId)) !== undefined;

  it('real uninstall (client revoked first, as HipChat does): 204 and everything removed', async () => {
    const client = await install();
    // Data the installation owns elsewhere goes with it (ON DELETE CASCADE): a pending check is one such row.
    await bed.addon.services.db.query(
      "INSERT INTO uninstall_checks (oauth_id, next_check_at) VALUES ($1, now() + interval '1 hour')",
      [client.oauthId],
    );
    bed.hipchat.revoke(client.oauthId);
    const res = await request(bed.addon.url).delete(`/installable/${client.oauthId}`);
    expect(res.status).toBe(204);
    expect(await installed(client.oauthId)).toBe(false);
    expect(await pendingCheck(client.oauthId)).toBe(false);
  });

  it('forged uninstall while the client is live: 202, installation kept, and still kept after the re-checks conclude', async () => {
    const client = await install();
    const res = await request(bed.addon.url).delete(`/installable/${client.oauthId}`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ oauthId: client.oauthId, status: 'pending', message: expect.any(String) });
    expect(await installed(client.oauthId)).toBe(true);
    expect(await pendingCheck(client.oauthId)).toBe(true);
    // Each re-check asks HipChat again; after the last the check row is dropped and the DELETE deemed forged.
    await waitFor('the re-checks to conclude', async () => !(await pendingCheck(client.oauthId)));
    // install + DELETE probe + one per re-check (0.2 s, 0.4 s): each check runs exactly once.
    expect(bed.hipchat.tokenRequestsFor(client.oauthId)).toBe(1 + 1 + 2);
    expect(await installed(client.oauthId)).toBe(true);
    const stored = await bed.addon.services.installations.get(client.oauthId);
    expect(stored?.oauthSecret).toBe(client.oauthSecret);
  });

  it('uninstall confirmed by a later re-check when the client is revoked after the DELETE', async () => {
    const client = await install();
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(202);
    bed.hipchat.revoke(client.oauthId);
    await waitFor('the re-check to remove the installation', async () => !(await installed(client.oauthId)));
    expect(await pendingCheck(client.oauthId)).toBe(false);
  });

  it('HipChat unreachable at the DELETE: 202, kept until a re-check can confirm', async () => {
    const client = await install();
    bed.hipchat.faults.add({ target: 'all', fault: { kind: 'drop' } });
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(202);
    expect(await installed(client.oauthId)).toBe(true);
    bed.hipchat.revoke(client.oauthId);
    bed.hipchat.reset();
    await waitFor('the re-check to remove the installation', async () => !(await installed(client.oauthId)));
  });

  it('a re-install while an uninstall is pending cancels the pending check', async () => {
    const client = await install();
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(202);
    await request(bed.addon.url).post('/installable').send(bed.hipchat.installBody(client, 11)).expect(200);
    expect(await pendingCheck(client.oauthId)).toBe(false);
    bed.hipchat.revoke(client.oauthId);
    // Nothing re-checks any more: a later removal needs a new DELETE.
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(204);
    expect(await installed(client.oauthId)).toBe(false);
  });

  it('unknown oauthId: 204, nothing asked of HipChat', async () => {
    const oauthId = '0f0e0d0c-0b0a-4009-8008-070605040302';
    const res = await request(bed.addon.url).delete(`/installable/${oauthId}`);
    expect(res.status).toBe(204);
    expect(bed.hipchat.tokenRequestsFor(oauthId)).toBe(0);
  });

  it('counts uninstall outcomes in /metrics', async () => {
    const res = await request(bed.addon.url).get('/metrics');
    expect(res.text).toMatch(/hipchat_uninstalls_total\{outcome="removed"\} [1-9]/);
    expect(res.text).toMatch(/hipchat_uninstalls_total\{outcome="pending"\} [1-9]/);
    expect(res.text).toMatch(/hipchat_uninstalls_total\{outcome="forged"\} [1-9]/);
    expect(res.text).toMatch(/hipchat_installs_total\{kind="install"\} [1-9]/);
  });
});

// Several instances share one Postgres; PGlite is single-process, so this runs on the Postgres pass.
(onPostgres ? describe : describe.skip)('re-checks shared by several instances (FOR UPDATE SKIP LOCKED)', () => {
  it('three instances on one database run each re-check exactly once', async () => {
    const hipchat = await EmulatedHipChat.start();
    const database = await createTestDatabase();
    const env = { HIPCHAT_ALLOWED_HOSTS: TEST_ALLOWED_HOSTS, UNINSTALL_RECHECK_SECONDS: '0.2,0.3,0.4' };
    const addons = [await startTestAddon(env, database), await startTestAddon(env, database), await startTestAddon(env, database)];
    try {
      const [first] = addons;
      if (!first) throw new Error('no add-on');
      const client = hipchat.addClient();
      await request(first.url).post('/installable').send(hipchat.installBody(client, 3)).expect(200);
      await request(first.url).delete(`/installable/${client.oauthId}`).expect(202);
      await waitFor('the re-checks to conclude', async () => {
        const { rows } = await first.services.db.query('SELECT 1 FROM uninstall_checks');
        return rows.length === 0;
      });
      expect(hipchat.tokenRequestsFor(client.oauthId)).toBe(1 + 1 + 3);
      expect(await first.services.installations.get(client.oauthId)).toBeDefined();
    } finally {
      for (const addon of addons) await addon.stop();
      await database.drop();
      await hipchat.close();
    }
  });
});
