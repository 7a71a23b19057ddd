import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstallError, startEmulator, type Emulator } from '../../src/emulator';
import { requestToken, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

describe('emulator installs add-ons', () => {
  let emulator: Emulator;
  let addon: FakeAddon;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  beforeEach(async () => {
    addon = await startFakeAddon();
  });
  afterEach(async () => {
    await addon.close();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('POSTs {capabilitiesUrl, oauthId, oauthSecret, groupId} to callbackUrl and the client can get a token during the callback', async () => {
    let tokenStatus = 0;
    addon.onInstall = async (body) => {
      tokenStatus = (await requestToken(`${emulator.url}/v2/oauth/token`, String(body.oauthId), String(body.oauthSecret))).status;
    };
    const installation = await emulator.install(addon.descriptorUrl);
    const [post] = addon.received('/installable');
    expect(post?.body).toEqual({ capabilitiesUrl: emulator.capabilitiesUrl, oauthId: installation.oauthId, oauthSecret: installation.oauthSecret, groupId: 1 });
    expect(post?.headers['content-type']).toMatch(/^application\/json/);
    expect(installation.oauthId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(tokenStatus).toBe(200);
    expect(installation.active).toBe(true);
  });

  it('sends roomId (an integer) for a room installation and honours allowRoom/allowGlobal', async () => {
    const room = emulator.createRoom('Install room');
    const installation = await emulator.install(addon.descriptorUrl, { roomId: room.id });
    expect(addon.received('/installable')[0]?.body).toMatchObject({ roomId: room.id, groupId: 1 });
    expect(installation.roomId).toBe(room.id);
    addon.descriptor.capabilities.installable.allowRoom = false;
    await expect(emulator.install(addon.descriptorUrl, { roomId: room.id })).rejects.toThrow(/allowRoom/);
    addon.descriptor.capabilities.installable.allowGlobal = false;
    await expect(emulator.install(addon.descriptorUrl)).rejects.toThrow(/allowGlobal/);
  });

  it.each([
    ['a bad module key', (d: any) => (d.capabilities.webhook[0].key = 'bad key!'), /key/],
    ['a missing callbackUrl', (d: any) => delete d.capabilities.installable.callbackUrl, /callbackUrl/],
    ['an unknown scope', (d: any) => d.capabilities.hipchatApiConsumer.scopes.push('admin_everything'), /scope/],
    ['a relative URL', (d: any) => (d.capabilities.webhook[0].url = '/webhooks/task'), /absolute/],
    ['a missing top-level key', (d: any) => delete d.key, /key/],
    ['a 101-character glance name', (d: any) => (d.capabilities.glance[0].name.value = 'x'.repeat(101)), /name/],
    ['an unknown webhook event', (d: any) => (d.capabilities.webhook[0].event = 'room_party'), /event/],
    ['a glance targeting an undeclared module', (d: any) => (d.capabilities.glance[0].target = 'nowhere'), /target/],
  ])('refuses a descriptor with %s and installs nothing', async (_name, mutate, pattern) => {
    mutate(addon.descriptor);
    const before = emulator.installations().length;
    const error = await emulator.install(addon.descriptorUrl).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).message).toMatch(pattern);
    expect(emulator.installations()).toHaveLength(before);
    expect(addon.received('/installable')).toHaveLength(0);
  });

  it('fails when the add-on answers anything but 200, removes the client and reports the answer', async () => {
    addon.installStatus = 204;
    let oauthId = '';
    let secret = '';
    addon.onInstall = async (body) => {
      oauthId = String(body.oauthId);
      secret = String(body.oauthSecret);
    };
    const error = (await emulator.install(addon.descriptorUrl).catch((caught: unknown) => caught)) as InstallError;
    expect(error).toBeInstanceOf(InstallError);
    expect(error.details.addonStatus).toBe(204);
    expect(emulator.installation(oauthId)).toBeUndefined();
    expect((await requestToken(`${emulator.url}/v2/oauth/token`, oauthId, secret)).status).toBe(401);
    addon.installStatus = 403;
    const refused = (await emulator.install(addon.descriptorUrl).catch((caught: unknown) => caught)) as InstallError;
    expect(refused.details).toMatchObject({ addonStatus: 403, addonBody: expect.stringContaining('refused by test') });
  });

  it('uninstall revokes the client before sending DELETE {callbackUrl}/{oauthId}', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    let statusDuringDelete = 0;
    addon.onUninstall = async () => {
      statusDuringDelete = (await requestToken(`${emulator.url}/v2/oauth/token`, installation.oauthId, installation.oauthSecret)).status;
    };
    const result = await emulator.uninstall(installation.oauthId);
    expect(result).toEqual({ oauthId: installation.oauthId, addonStatus: 204 });
    expect(addon.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/installable/${installation.oauthId}`]);
    expect(statusDuringDelete).toBe(401);
    expect(emulator.installation(installation.oauthId)).toBeUndefined();
  });

  it('a forged uninstall sends the DELETE but keeps the client valid', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    await emulator.sendForgedUninstall(installation.oauthId);
    expect(addon.requests.some((r) => r.method === 'DELETE')).toBe(true);
    expect((await requestToken(`${emulator.url}/v2/oauth/token`, installation.oauthId, installation.oauthSecret)).status).toBe(200);
  });

  it('update keeps the oauthId, rotates the secret and POSTs to updateCallbackUrl', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    const oldSecret = installation.oauthSecret;
    const updated = await emulator.update(installation.oauthId);
    expect(updated.oauthId).toBe(installation.oauthId);
    expect(updated.oauthSecret).not.toBe(oldSecret);
    expect(addon.received('/installable/updated')[0]?.body).toMatchObject({ oauthId: installation.oauthId, oauthSecret: updated.oauthSecret });
    expect((await requestToken(`${emulator.url}/v2/oauth/token`, installation.oauthId, oldSecret)).status).toBe(401);
  });

  it('runs the browser flow for installedUrl: one-time installable_url, then a 302 to redirect_url', async () => {
    const app = express();
    const seen: { fetched?: unknown; second?: number; redirect?: string } = {};
    app.get('/installed', async (req, res) => {
      const installableUrl = String(req.query.installable_url);
      seen.redirect = String(req.query.redirect_url);
      seen.fetched = await (await fetch(installableUrl)).json();
      seen.second = (await fetch(installableUrl)).status;
      res.redirect(302, seen.redirect);
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    delete addon.descriptor.capabilities.installable.callbackUrl;
    delete addon.descriptor.capabilities.installable.updateCallbackUrl;
    addon.descriptor.capabilities.installable.installedUrl = `${base}/installed`;
    try {
      const installation = await emulator.install(addon.descriptorUrl);
      expect(seen.fetched).toEqual({ capabilitiesUrl: emulator.capabilitiesUrl, oauthId: installation.oauthId, oauthSecret: installation.oauthSecret, groupId: 1 });
      expect(seen.second).toBe(404);
      expect(seen.redirect?.startsWith(emulator.url)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
