import request from 'supertest';
import { startInstallTestbed, type InstallTestbed } from './install-testbed';

describe('browser-redirect flow: /installable/browser/{installed,updated,uninstalled}', () => {
  let bed: InstallTestbed;
  const redirectUrl = () => `${bed.hipchat.url}/addons/done?x=1`;
  const page = (name: string, installableUrl: string, redirect = redirectUrl()) =>
    request(bed.addon.url)
      .get(`/installable/browser/${name}`)
      .query({ installable_url: installableUrl, redirect_url: redirect })
      .redirects(0);

  beforeAll(async () => {
    bed = await startInstallTestbed();
  });
  afterAll(() => bed.close());
  afterEach(() => bed.hipchat.reset());

  it('installedUrl: fetches installable_url once, verifies and stores, then 302 to redirect_url', async () => {
    const client = bed.hipchat.addClient();
    const installableUrl = bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 21));
    const res = await page('installed', installableUrl);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(redirectUrl());
    expect(bed.hipchat.wasFetched(installableUrl)).toBe(true);
    expect(await bed.addon.services.installations.get(client.oauthId)).toMatchObject({ roomId: 21, oauthSecret: client.oauthSecret });
  });

  it('updatedUrl: the new secret replaces the old one', async () => {
    const client = bed.hipchat.addClient();
    await page('installed', bed.hipchat.publishInstallable(bed.hipchat.installBody(client))).expect(302);
    const rotated = bed.hipchat.rotateSecret(client.oauthId);
    await page('updated', bed.hipchat.publishInstallable(bed.hipchat.installBody(rotated))).expect(302);
    expect((await bed.addon.services.installations.get(client.oauthId))?.oauthSecret).toBe(rotated.oauthSecret);
  });

  it('redirect_url on an untrusted host → 403, no redirect, installable_url not even fetched, nothing stored', async () => {
    const client = bed.hipchat.addClient();
    const installableUrl = bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 21));
    const res = await page('installed', installableUrl, 'https://evil.example.com/phish');
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(res.body.error.message).toMatch(/^redirect_url/);
    expect(bed.hipchat.wasFetched(installableUrl)).toBe(false);
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  });

  it('installable_url on an untrusted host → 403, nothing stored', async () => {
    const client = bed.hipchat.addClient();
    const installableUrl = bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 21)).replace('127.0.0.1', 'localhost');
    const res = await page('installed', installableUrl);
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  });

  it('missing query parameters → 400 naming them', async () => {
    const res = await request(bed.addon.url).get('/installable/browser/installed').query({ redirect_url: redirectUrl() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^installable_url/);
  });

  it('an installable document with refused credentials → 403, no redirect, nothing stored', async () => {
    const client = bed.hipchat.addClient();
    const installableUrl = bed.hipchat.publishInstallable({ ...bed.hipchat.installBody(client), oauthSecret: 'wrong' });
    const res = await page('installed', installableUrl);
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  });

  it('an already used (one-time) installable_url → 502, nothing stored', async () => {
    const client = bed.hipchat.addClient();
    const installableUrl = bed.hipchat.publishInstallable(bed.hipchat.installBody(client));
    await page('installed', installableUrl).expect(302);
    await bed.addon.services.installations.delete(client.oauthId);
    const res = await page('installed', installableUrl);
    expect(res.status).toBe(502);
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  });

  it('uninstalledUrl with the client revoked: removes the installation, then 302 to redirect_url', async () => {
    const client = bed.hipchat.addClient();
    await page('installed', bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 4))).expect(302);
    bed.hipchat.revoke(client.oauthId);
    const res = await page('uninstalled', bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 4)));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(redirectUrl());
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  });

  it('uninstalledUrl while the client is live: redirects but keeps the installation (forged)', async () => {
    const client = bed.hipchat.addClient();
    await page('installed', bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 4))).expect(302);
    const res = await page('uninstalled', bed.hipchat.publishInstallable({ oauthId: client.oauthId }));
    expect(res.status).toBe(302);
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeDefined();
  });

  it('uninstalledUrl with an untrusted redirect_url → 403 and nothing removed', async () => {
    const client = bed.hipchat.addClient();
    await page('installed', bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 4))).expect(302);
    bed.hipchat.revoke(client.oauthId);
    const res = await page('uninstalled', bed.hipchat.publishInstallable({ oauthId: client.oauthId }), 'https://evil.example.com/');
    expect(res.status).toBe(403);
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeDefined();
  });
});
