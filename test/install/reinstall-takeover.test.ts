import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { Installation } from '../../src/hipchat/installations/installation';
import { EmulatedHipChat, type HipChatClient } from '../helpers/hipchat-emulator';
import { startInstallTestbed, type InstallTestbed } from './install-testbed';

/**
 * Issue 13, point 2: the oauthId is public (the `iss` of every JWT), so a request naming a stored one
 * must come from the HipChat and group that installation belongs to, and its new secret is proven only
 * at the stored token URL. Attackers here run their own HipChat on a host the add-on trusts.
 */
describe('re-install and update cannot take over another installation', () => {
  let bed: InstallTestbed;
  /** The attacker's HipChat on another trusted host name (localhost) for the same machine. */
  let otherHost: EmulatedHipChat;
  /** The attacker's HipChat on the victim's host (127.0.0.1), another port. */
  let otherPort: EmulatedHipChat;
  const ROOM = 11;

  beforeAll(async () => {
    bed = await startInstallTestbed({ HIPCHAT_ALLOWED_HOSTS: '127.0.0.1,localhost' });
    otherHost = await EmulatedHipChat.start({ hostname: 'localhost' });
    otherPort = await EmulatedHipChat.start();
  });
  afterAll(async () => {
    await otherHost.close();
    await otherPort.close();
    await bed.close();
  });
  afterEach(() => {
    bed.hipchat.reset();
    otherHost.reset();
    otherPort.reset();
  });

  const ANOTHER_HOST = 'another trusted host';

  async function installVictim(): Promise<{ client: HipChatClient; before: Installation }> {
    const client = bed.hipchat.addClient();
    await request(bed.addon.url).post('/installable').send(bed.hipchat.installBody(client, ROOM)).expect(200);
    const before = await bed.addon.services.installations.get(client.oauthId);
    if (!before) throw new Error('victim not installed');
    return { client, before };
  }

  /** The attacker's HipChat issues a client with the victim's (known) oauthId and a secret of its choosing. */
  function cloneClient(attacker: EmulatedHipChat, victim: HipChatClient, groupId = victim.groupId): HipChatClient {
    return attacker.addClient({ oauthId: victim.oauthId, oauthSecret: crypto.randomBytes(20).toString('hex'), groupId });
  }

  const glance = (oauthId: string, secret: string) =>
    request(bed.addon.url)
      .get('/glance/tasks')
      .query({
        signed_request: jwt.sign({ iss: oauthId, sub: '1001', jti: crypto.randomUUID(), context: { room_id: ROOM } }, secret, {
          algorithm: 'HS256',
          expiresIn: 300,
        }),
      });

  /** Nothing changed: the stored row (secret, HipChat, group, endpoints, updatedAt); the victim's JWTs work, the attacker's do not. */
  async function expectUntouched(before: Installation, attackerSecret: string): Promise<void> {
    expect(await bed.addon.services.installations.get(before.oauthId)).toEqual(before);
    expect((await glance(before.oauthId, before.oauthSecret)).status).toBe(200);
    expect((await glance(before.oauthId, attackerSecret)).status).toBe(401);
  }

  describe.each([ANOTHER_HOST, 'the same host on another port'])('from %s', (where) => {
    let attacker: EmulatedHipChat;
    beforeAll(() => {
      attacker = where === ANOTHER_HOST ? otherHost : otherPort;
    });

    it('a re-install (POST /installable/updated) with a known oauthId cannot replace the stored secret: 403', async () => {
      const { client, before } = await installVictim();
      const clone = cloneClient(attacker, client);
      const res = await request(bed.addon.url).post('/installable/updated').send(attacker.installBody(clone, ROOM));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('installation_mismatch');
      await expectUntouched(before, clone.oauthSecret);
      expect(attacker.tokenRequestsFor(client.oauthId)).toBe(0);
    });

    it('a fresh install (POST /installable) reusing a known oauthId is refused with 409', async () => {
      const { client, before } = await installVictim();
      const clone = cloneClient(attacker, client);
      const res = await request(bed.addon.url).post('/installable').send(attacker.installBody(clone, ROOM));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('installation_exists');
      expect(JSON.stringify(res.body)).not.toContain(bed.hipchat.url);
      await expectUntouched(before, clone.oauthSecret);
    });

    it('a browser-flow update (updatedUrl) with a known oauthId cannot replace the stored secret: 403, no redirect', async () => {
      const { client, before } = await installVictim();
      const clone = cloneClient(attacker, client);
      const res = await request(bed.addon.url)
        .get('/installable/browser/updated')
        .query({ installable_url: attacker.publishInstallable(attacker.installBody(clone, ROOM)), redirect_url: `${attacker.url}/done` })
        .redirects(0);
      expect(res.status).toBe(403);
      expect(res.headers.location).toBeUndefined();
      await expectUntouched(before, clone.oauthSecret);
    });

    it('a browser-flow install (installedUrl) reusing a known oauthId is refused with 409, no redirect', async () => {
      const { client, before } = await installVictim();
      const clone = cloneClient(attacker, client);
      const res = await request(bed.addon.url)
        .get('/installable/browser/installed')
        .query({ installable_url: attacker.publishInstallable(attacker.installBody(clone, ROOM)), redirect_url: `${attacker.url}/done` })
        .redirects(0);
      expect(res.status).toBe(409);
      expect(res.headers.location).toBeUndefined();
      await expectUntouched(before, clone.oauthSecret);
    });
  });

  it('an update naming another group cannot move the installation there, even when the token endpoint does not report the group', async () => {
    const { client, before } = await installVictim();
    bed.hipchat.faults.overrideTokenAnswer({ groupId: 'omit' });
    const rotated = bed.hipchat.rotateSecret(client.oauthId);
    for (const path of ['/installable/updated', '/installable']) {
      const res = await request(bed.addon.url).post(path).send({ ...bed.hipchat.installBody(rotated, ROOM), groupId: client.groupId + 1 });
      expect(res.status).toBe(path === '/installable' ? 409 : 403);
      await expectUntouched(before, rotated.oauthSecret);
    }
  });

  it("an update's new secret is proven at the stored token URL, never sent to a token URL the capabilities document now names", async () => {
    const { client, before } = await installVictim();
    bed.hipchat.faults.overrideCapabilities({ tokenUrl: otherPort.tokenUrl });
    const rotated = bed.hipchat.rotateSecret(client.oauthId);
    const res = await request(bed.addon.url).post('/installable/updated').send(bed.hipchat.installBody(rotated, ROOM));
    expect(res.status).toBe(200);
    expect(otherPort.tokenRequestsFor(client.oauthId)).toBe(0);
    const stored = await bed.addon.services.installations.get(client.oauthId);
    expect(stored).toMatchObject({ oauthSecret: rotated.oauthSecret, tokenUrl: before.tokenUrl, capabilitiesUrl: before.capabilitiesUrl });
  });

  it('a legitimate re-install from the stored HipChat still works, through /installable, /installable/updated and updatedUrl', async () => {
    const { client } = await installVictim();
    const secrets: string[] = [];
    for (const via of ['/installable', '/installable/updated', 'updatedUrl']) {
      const rotated = bed.hipchat.rotateSecret(client.oauthId);
      const body = bed.hipchat.installBody(rotated, ROOM);
      if (via === 'updatedUrl') {
        await request(bed.addon.url)
          .get('/installable/browser/updated')
          .query({ installable_url: bed.hipchat.publishInstallable(body), redirect_url: `${bed.hipchat.url}/done` })
          .redirects(0)
          .expect(302);
      } else {
        await request(bed.addon.url).post(via).send(body).expect(200);
      }
      expect((await bed.addon.services.installations.get(client.oauthId))?.oauthSecret).toBe(rotated.oauthSecret);
      expect((await glance(client.oauthId, rotated.oauthSecret)).status).toBe(200);
      secrets.push(rotated.oauthSecret);
    }
    expect(new Set(secrets).size).toBe(3);
  });

  it('an update for an oauthId the add-on does not store is verified and stored like a fresh install (nothing to take over)', async () => {
    const client = otherHost.addClient();
    await request(bed.addon.url).post('/installable/updated').send(otherHost.installBody(client, ROOM)).expect(200);
    expect(await bed.addon.services.installations.get(client.oauthId)).toMatchObject({ capabilitiesUrl: otherHost.capabilitiesUrl });
  });
});
