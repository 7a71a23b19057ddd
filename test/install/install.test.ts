import request from 'supertest';
import { freePort } from '../../src/testing/free-port';
import { startInstallTestbed, type InstallTestbed } from './install-testbed';

describe('POST /installable and /installable/updated (server-side install flow)', () => {
  let bed: InstallTestbed;
  const post = (body: unknown, path = '/installable') => request(bed.addon.url).post(path).send(body as object);

  beforeAll(async () => {
    bed = await startInstallTestbed();
  });
  afterAll(() => bed.close());
  afterEach(() => bed.hipchat.reset());

  async function expectNothingStored(oauthId: string): Promise<void> {
    expect(await bed.addon.services.installations.get(oauthId)).toBeUndefined();
  }

  describe('happy paths', () => {
    it('installs into a room: verifies, stores the installation with its endpoints, answers 200', async () => {
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 42));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ oauthId: client.oauthId, groupId: client.groupId, roomId: 42 });
      const stored = await bed.addon.services.installations.get(client.oauthId);
      expect(stored).toMatchObject({
        oauthId: client.oauthId,
        oauthSecret: client.oauthSecret,
        groupId: client.groupId,
        roomId: 42,
        capabilitiesUrl: bed.hipchat.capabilitiesUrl,
        tokenUrl: bed.hipchat.tokenUrl,
        apiUrl: `${bed.hipchat.url}/v2/`,
        hipchatBaseUrl: bed.hipchat.url,
        scopes: ['send_message', 'send_notification', 'view_group', 'view_room'],
      });
      // The credentials were proven with the descriptor's scopes before the answer (the emulator grants a
      // token only for the client's current secret, so status 200 is that secret presented).
      expect(bed.hipchat.tokenRequests(client.oauthId).map((r) => ({ oauthId: r.oauthId, body: r.body, status: r.status }))).toEqual([
        { oauthId: client.oauthId, body: { grant_type: 'client_credentials', scope: 'send_message send_notification view_group view_room' }, status: 200 },
      ]);
    });

    it('installs globally (no roomId): roomId stored as null', async () => {
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client));
      expect(res.status).toBe(200);
      expect(await bed.addon.services.installations.get(client.oauthId)).toMatchObject({ roomId: null, groupId: client.groupId });
    });

    it('stores the OAuth secret sealed, never in clear', async () => {
      const client = bed.hipchat.addClient();
      await post(bed.hipchat.installBody(client, 7)).expect(200);
      const { rows } = await bed.addon.services.db.query<{ oauth_secret: string }>(
        'SELECT oauth_secret FROM installations WHERE oauth_id = $1',
        [client.oauthId],
      );
      expect(rows[0]?.oauth_secret).toMatch(/^v1:/);
      expect(rows[0]?.oauth_secret).not.toContain(client.oauthSecret);
    });

    it('installing the same oauthId twice is idempotent: 200 both times, one row', async () => {
      const client = bed.hipchat.addClient();
      const before = await bed.installationCount();
      await post(bed.hipchat.installBody(client, 5)).expect(200);
      await post(bed.hipchat.installBody(client, 5)).expect(200);
      expect(await bed.installationCount()).toBe(before + 1);
    });

    it('normalises hipchatApiProvider.url without a trailing slash to exactly one', async () => {
      bed.hipchat.faults.overrideCapabilities({ apiUrl: `${bed.hipchat.url}/v2` });
      const client = bed.hipchat.addClient();
      await post(bed.hipchat.installBody(client, 3)).expect(200);
      expect((await bed.addon.services.installations.get(client.oauthId))?.apiUrl).toBe(`${bed.hipchat.url}/v2/`);
    });

    it('update (POST /installable/updated) replaces the secret: the new one is stored, the old one gone', async () => {
      const client = bed.hipchat.addClient();
      await post(bed.hipchat.installBody(client, 9)).expect(200);
      const oldSecret = client.oauthSecret;
      const rotated = bed.hipchat.rotateSecret(client.oauthId);
      const res = await post(bed.hipchat.installBody(rotated, 9), '/installable/updated');
      expect(res.status).toBe(200);
      const stored = await bed.addon.services.installations.get(client.oauthId);
      expect(stored?.oauthSecret).toBe(rotated.oauthSecret);
      expect(stored?.oauthSecret).not.toBe(oldSecret);
      // An update is verified like an install: the stale secret is refused and changes nothing.
      const stale = await post({ ...bed.hipchat.installBody(rotated, 9), oauthSecret: oldSecret }, '/installable/updated');
      expect(stale.status).toBe(403);
      expect((await bed.addon.services.installations.get(client.oauthId))?.oauthSecret).toBe(rotated.oauthSecret);
    });
  });

  describe('refusals: nothing stored', () => {
    it('capabilitiesUrl on an untrusted host → 403 without fetching it', async () => {
      const client = bed.hipchat.addClient();
      const fetches = bed.hipchat.requests().filter((r) => r.target === 'capabilities').length;
      // localhost reaches the emulator, but only 127.0.0.1 is in HIPCHAT_ALLOWED_HOSTS.
      const capabilitiesUrl = bed.hipchat.capabilitiesUrl.replace('127.0.0.1', 'localhost');
      const res = await post({ ...bed.hipchat.installBody(client), capabilitiesUrl });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'untrusted_host', message: expect.stringContaining('capabilitiesUrl') });
      expect(bed.hipchat.requests().filter((r) => r.target === 'capabilities').length).toBe(fetches);
      await expectNothingStored(client.oauthId);
    });

    it('http capabilitiesUrl on a trusted but non-loopback host → 403 (https required off loopback)', async () => {
      const client = bed.hipchat.addClient();
      const res = await post({ ...bed.hipchat.installBody(client), capabilitiesUrl: 'http://hipchat.example.test/v2/capabilities' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/https is required/);
      await expectNothingStored(client.oauthId);
    });

    it('links.self differing from the capabilities URL → 403', async () => {
      bed.hipchat.faults.overrideCapabilities({ self: `${bed.hipchat.url}/v2/capabilities/` });
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 1));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('capabilities_self_mismatch');
      await expectNothingStored(client.oauthId);
    });

    it('tokenUrl on an untrusted host → 403, and the secret is never sent to that host', async () => {
      bed.hipchat.faults.overrideCapabilities({ tokenUrl: bed.hipchat.tokenUrl.replace('127.0.0.1', 'localhost') });
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 1));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/tokenUrl/);
      expect(bed.hipchat.tokenRequestsFor(client.oauthId)).toBe(0);
      await expectNothingStored(client.oauthId);
    });

    it('API URL on an untrusted host → 403', async () => {
      bed.hipchat.faults.overrideCapabilities({ apiUrl: 'https://evil.example.com/v2/' });
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 1));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/hipchatApiProvider\.url/);
      await expectNothingStored(client.oauthId);
    });

    it('a token URL or API URL on another trusted HipChat than the capabilities document → 403, and the secret is never sent', async () => {
      // Another HipChat on this machine (the port differs): trusted, but not the one that served the document.
      const other = `http://127.0.0.1:${await freePort()}`;
      for (const knob of [{ tokenUrl: `${other}/v2/oauth/token` }, { apiUrl: `${other}/v2/` }]) {
        bed.hipchat.faults.overrideCapabilities(knob);
        const client = bed.hipchat.addClient();
        const res = await post(bed.hipchat.installBody(client, 1));
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('mixed_hipchat_origins');
        expect(bed.hipchat.tokenRequestsFor(client.oauthId)).toBe(0);
        await expectNothingStored(client.oauthId);
        bed.hipchat.reset();
      }
    });

    it('credentials HipChat refuses → 403 credentials_refused', async () => {
      const client = bed.hipchat.addClient();
      const res = await post({ ...bed.hipchat.installBody(client, 1), oauthSecret: 'forged-secret' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('credentials_refused');
      expect(JSON.stringify(res.body)).not.toContain('forged-secret');
      await expectNothingStored(client.oauthId);
    });

    it('a token for another group than the body claims → 403', async () => {
      const client = bed.hipchat.addClient();
      const res = await post({ ...bed.hipchat.installBody(client, 1), groupId: client.groupId + 1 });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('group_mismatch');
      await expectNothingStored(client.oauthId);
    });

    it('unreachable HipChat (connection dropped) → 502 with a clear message', async () => {
      bed.hipchat.faults.add({ target: 'all', fault: { kind: 'drop' } });
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 1));
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'hipchat_unreachable', message: expect.stringMatching(/could not be fetched/) });
      await expectNothingStored(client.oauthId);
    });

    it('capabilities URL on a closed port → 502', async () => {
      const client = bed.hipchat.addClient();
      const res = await post({ ...bed.hipchat.installBody(client, 1), capabilitiesUrl: `http://127.0.0.1:${await freePort()}/v2/capabilities` });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('hipchat_unreachable');
      await expectNothingStored(client.oauthId);
    });

    it('token endpoint unreachable (connection dropped) → 502, nothing stored', async () => {
      bed.hipchat.faults.add({ target: 'token', fault: { kind: 'drop' } });
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 1));
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'hipchat_unreachable', message: expect.stringMatching(/token endpoint could not be reached/) });
      await expectNothingStored(client.oauthId);
    });

    it('links.subdomain/homepage (where pages load all.js from) on an untrusted host → 403', async () => {
      bed.hipchat.faults.overrideCapabilities({ homepage: 'https://evil.example.com' });
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 1));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/links\.subdomain/);
      await expectNothingStored(client.oauthId);
    });

    it('capabilities URL answering 404 → 502 hipchat_bad_answer', async () => {
      const client = bed.hipchat.addClient();
      const res = await post({ ...bed.hipchat.installBody(client, 1), capabilitiesUrl: `${bed.hipchat.url}/nowhere` });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('hipchat_bad_answer');
      await expectNothingStored(client.oauthId);
    });

    it('capabilities document that is not HipChat-shaped → 502 naming the field', async () => {
      bed.hipchat.faults.overrideCapabilities({ apiUrl: 'not a url' });
      const client = bed.hipchat.addClient();
      const res = await post(bed.hipchat.installBody(client, 1));
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'invalid_capabilities', message: expect.stringContaining('capabilities.hipchatApiProvider.url') });
      await expectNothingStored(client.oauthId);
    });
  });

  describe('bad input', () => {
    const valid = () => bed.hipchat.installBody(bed.hipchat.addClient(), 1);

    it('malformed JSON → 400 invalid_json', async () => {
      const res = await request(bed.addon.url).post('/installable').set('content-type', 'application/json').send('{"oauthId": ');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    });

    it.each([
      ['oauthId', { oauthId: undefined }],
      ['oauthId', { oauthId: 'not-a-uuid' }],
      ['oauthId', { oauthId: 12345 }],
      ['oauthSecret', { oauthSecret: undefined }],
      ['capabilitiesUrl', { capabilitiesUrl: '/v2/capabilities' }],
      ['capabilitiesUrl', { capabilitiesUrl: 'ftp://127.0.0.1/v2/capabilities' }],
      ['groupId', { groupId: '12' }],
      ['groupId', { groupId: 0 }],
      ['roomId', { roomId: 1.5 }],
      ['roomId', { roomId: -3 }],
    ])('400 naming %s when it is %j', async (field, override) => {
      const body: Record<string, unknown> = { ...valid(), ...override };
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}:`));
      expect(await bed.addon.services.installations.get(String(body.oauthId))).toBeUndefined();
    });

    it('a body that is not a JSON object → 400', async () => {
      expect((await post([1, 2])).status).toBe(400);
      expect((await request(bed.addon.url).post('/installable').set('content-type', 'text/plain').send('hello')).status).toBe(400);
    });

    it('a body over 1 MB → 413, nothing stored', async () => {
      const before = await bed.installationCount();
      const res = await post({ ...valid(), padding: 'x'.repeat(1_100_000) });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(await bed.installationCount()).toBe(before);
    });

    it('unknown route under /installable → 404 JSON error', async () => {
      const res = await request(bed.addon.url).put('/installable');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect((await request(bed.addon.url).get('/installable/browser/nope')).status).toBe(404);
    });

    it('DELETE with an oauthId that is not UUID-shaped → 400', async () => {
      const res = await request(bed.addon.url).delete('/installable/not-a-uuid');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^oauthId:/);
    });
  });
});
