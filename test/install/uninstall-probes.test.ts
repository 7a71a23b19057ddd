import request from 'supertest';
import { EmulatedHipChat, type HipChatClient } from '../helpers/hipchat-emulator';
import { spawnAddon, type SpawnedAddon } from '../helpers/spawn-addon';
import { createTestDatabase, onPostgres } from '../helpers/test-database';
import { startInstallTestbed, waitFor, type InstallTestbed } from './install-testbed';

/**
 * Issue 13, point 5: the DELETE is unauthenticated, so it may not make the add-on ask HipChat for tokens
 * at will, and only HipChat refusing the OAuth client itself (401 or `invalid_client`) removes an
 * installation. Answers that may be throttling or an outage are inconclusive: re-checked, never fatal.
 */
async function installInto(bed: InstallTestbed, roomId = 11): Promise<HipChatClient> {
  const client = bed.hipchat.addClient();
  await request(bed.addon.url).post('/installable').send(bed.hipchat.installBody(client, roomId)).expect(200);
  // Data the installation owns, which an uninstall would take with it (ON DELETE CASCADE).
  await bed.addon.services.db.query('INSERT INTO task_settings (oauth_id) VALUES ($1)', [client.oauthId]);
  return client;
}

async function hasData(bed: InstallTestbed, oauthId: string): Promise<boolean> {
  const { rows } = await bed.addon.services.db.query('SELECT 1 FROM task_settings WHERE oauth_id = $1', [oauthId]);
  return (await bed.addon.services.installations.get(oauthId)) !== undefined && rows.length > 0;
}

async function pendingCheck(bed: InstallTestbed, oauthId: string): Promise<boolean> {
  const { rows } = await bed.addon.services.db.query('SELECT 1 FROM uninstall_checks WHERE oauth_id = $1', [oauthId]);
  return rows.length > 0;
}

describe('uninstall probes are bounded: one at a time, at most one per UNINSTALL_PROBE_INTERVAL_SECONDS', () => {
  let bed: InstallTestbed;

  beforeAll(async () => {
    // The default interval (60 s); re-checks due at 0.2 s and 0.4 s must wait for it too.
    bed = await startInstallTestbed({ UNINSTALL_PROBE_INTERVAL_SECONDS: '60' });
  });
  afterAll(() => bed.close());
  afterEach(() => bed.hipchat.reset());

  it('50 unauthenticated DELETEs (concurrent, then one by one) make at most one token request reach HipChat', async () => {
    const client = await installInto(bed);
    const atInstall = bed.hipchat.tokenRequestsFor(client.oauthId);
    const del = () => request(bed.addon.url).delete(`/installable/${client.oauthId}`);
    const concurrent = await Promise.all(Array.from({ length: 25 }, del));
    const sequential = [];
    for (let i = 0; i < 25; i++) sequential.push(await del());
    for (const res of [...concurrent, ...sequential]) {
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ oauthId: client.oauthId, status: 'pending' });
    }
    // The scheduled re-check came due (0.2 s) and was put off until the interval has passed, without asking.
    await waitFor('the due re-check to be deferred', async () => {
      const { rows } = await bed.addon.services.db.query(
        "SELECT 1 FROM uninstall_checks WHERE oauth_id = $1 AND attempts = 0 AND next_check_at > now() + interval '30 seconds'",
        [client.oauthId],
      );
      return rows.length > 0;
    });
    expect(bed.hipchat.tokenRequestsFor(client.oauthId) - atInstall).toBe(1);
    expect(await hasData(bed, client.oauthId)).toBe(true);
  });

  it('a re-install starts afresh: the next DELETE after it may ask HipChat at once', async () => {
    const client = await installInto(bed);
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(202);
    const rotated = bed.hipchat.rotateSecret(client.oauthId);
    await request(bed.addon.url).post('/installable/updated').send(bed.hipchat.installBody(rotated, 11)).expect(200);
    bed.hipchat.revoke(client.oauthId);
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(204);
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  });
});

describe('only HipChat refusing the OAuth client itself confirms an uninstall', () => {
  let bed: InstallTestbed;

  beforeAll(async () => {
    // testConfig: no interval, re-checks at 0.2 s and 0.4 s.
    bed = await startInstallTestbed();
  });
  afterAll(() => bed.close());
  afterEach(() => bed.hipchat.reset());

  it('repeated DELETEs while a probe is in flight answer 202 without another token request', async () => {
    const client = await installInto(bed);
    const atInstall = bed.hipchat.tokenRequestsFor(client.oauthId);
    bed.hipchat.faults.add({ target: 'token', fault: { kind: 'delay', ms: 1500 } });
    const first = request(bed.addon.url).delete(`/installable/${client.oauthId}`).then((res) => res);
    await waitFor('the first probe to reach HipChat', async () => bed.hipchat.tokenRequestsFor(client.oauthId) > atInstall);
    const repeats = await Promise.all(Array.from({ length: 10 }, () => request(bed.addon.url).delete(`/installable/${client.oauthId}`)));
    for (const res of repeats) expect([res.status, res.body.status]).toEqual([202, 'pending']);
    expect(bed.hipchat.tokenRequestsFor(client.oauthId) - atInstall).toBe(1);
    expect((await first).status).toBe(202);
  });

  it.each([
    [429, { error: { code: 429, message: 'Rate limit exceeded', type: 'Too Many Requests' } }],
    [403, { error: { code: 403, message: 'Forbidden', type: 'Forbidden' } }],
    [400, { error: 'invalid_request', error_description: 'throttled' }],
    [503, 'Service Unavailable'],
  ])('a token endpoint answering %i never removes an installation, through every re-check, and its data stays', async (status, body) => {
    const client = await installInto(bed);
    const atInstall = bed.hipchat.tokenRequestsFor(client.oauthId);
    bed.hipchat.faults.add({ target: 'token', fault: { kind: 'status', status, body } });
    const res = await request(bed.addon.url).delete(`/installable/${client.oauthId}`);
    expect([res.status, res.body.status]).toEqual([202, 'pending']);
    await waitFor('the re-checks to conclude', async () => !(await pendingCheck(bed, client.oauthId)));
    // The DELETE's probe and one per re-check (0.2 s, 0.4 s): all inconclusive.
    expect(bed.hipchat.tokenRequestsFor(client.oauthId) - atInstall).toBe(3);
    expect(await hasData(bed, client.oauthId)).toBe(true);
  });

  it.each([
    ['HTTP 401 (client revoked)', undefined],
    ['invalid_client on a 400', { status: 400, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }],
  ])('a real uninstall (%s) still removes the installation and its data: 204', async (_what, answer) => {
    const client = await installInto(bed);
    if (answer) bed.hipchat.faults.add({ target: 'token', fault: { kind: 'status', ...answer } });
    else bed.hipchat.revoke(client.oauthId);
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(204);
    const { rows } = await bed.addon.services.db.query('SELECT 1 FROM task_settings WHERE oauth_id = $1', [client.oauthId]);
    expect(rows).toHaveLength(0);
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  });

  it('a client revoked while the token endpoint was throttled is removed by a later re-check', async () => {
    const client = await installInto(bed);
    const throttled = bed.hipchat.faults.add({ target: 'token', fault: { kind: 'status', status: 429, body: { error: { code: 429, message: 'Rate limit exceeded' } } } });
    await request(bed.addon.url).delete(`/installable/${client.oauthId}`).expect(202);
    throttled();
    bed.hipchat.revoke(client.oauthId);
    await waitFor('a re-check to remove the installation', async () => (await bed.addon.services.installations.get(client.oauthId)) === undefined);
  });
});

// Two processes on one Postgres: the bound lives in the database, not in either process.
(onPostgres ? describe : describe.skip)('the probe bound holds across instances sharing one database', () => {
  it('50 DELETEs spread over two add-on processes make at most one token request reach HipChat', async () => {
    const hipchat = await EmulatedHipChat.start();
    const database = await createTestDatabase();
    const env = { UNINSTALL_PROBE_INTERVAL_SECONDS: '60' };
    const addons: SpawnedAddon[] = [];
    try {
      addons.push(await spawnAddon(database, env), await spawnAddon(database, env));
      const urls = addons.map((addon) => addon.url);
      const client = hipchat.addClient();
      await request(urls[0] ?? '').post('/installable').send(hipchat.installBody(client, 3)).expect(200);
      const atInstall = hipchat.tokenRequestsFor(client.oauthId);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => request(urls[i % 2] ?? '').delete(`/installable/${client.oauthId}`)),
      );
      expect(new Set(answers.map((res) => res.status))).toEqual(new Set([202]));
      expect(hipchat.tokenRequestsFor(client.oauthId) - atInstall).toBe(1);
    } finally {
      for (const addon of addons) await addon.stop();
      await database.drop();
      await hipchat.close();
    }
  });
});
