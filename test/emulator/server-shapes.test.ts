import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startEmulator, type Emulator, type EmulatorOptions, type Room, type User } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { callApi, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

/**
 * HipChat Server shapes (protocol reference §3, §11): the real Tasks add-on, installed into emulators
 * that differ from HipChat Cloud where a real installation could — served under a path prefix, and with
 * `links.api` / `hipchatApiProvider.url` the other way round in trailing slash. Everything the add-on
 * calls must come from the capabilities document; a URL built for Cloud's shape would 404 here.
 */
const shapes: Array<{ name: string; options: EmulatorOptions }> = [
  { name: 'a HipChat Server under /hipchat', options: { pathPrefix: '/hipchat' } },
  { name: 'links.api with a trailing slash, hipchatApiProvider.url without', options: { apiUrlSlashes: { linksApi: true, hipchatApiProvider: false } } },
  { name: 'both, under a two-segment prefix', options: { pathPrefix: '/chat/hipchat/', apiUrlSlashes: { linksApi: true, hipchatApiProvider: false } } },
];

describe.each(shapes)('the Tasks add-on in $name', ({ options }) => {
  let emulator: Emulator;
  let addon: TestAddon;
  let room: Room;
  let ada: User;

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', ...options });
    room = emulator.createRoom('Dev');
    ada = emulator.createUser({ name: 'Ada', mention_name: 'ada', is_group_admin: true });
    addon = await startTestAddon({ HIPCHAT_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    await addon?.destroy();
    await emulator?.close();
  });

  it('serves its capabilities document, token URL and API under its own base URL, in the chosen slash shape', async () => {
    const prefix = (options.pathPrefix ?? '').replace(/\/$/, '');
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}${prefix}`);
    const answer = await fetch(emulator.capabilitiesUrl);
    expect(answer.status).toBe(200);
    const document = await answer.json();
    const slashes = { linksApi: false, hipchatApiProvider: true, ...options.apiUrlSlashes };
    expect(document.links).toMatchObject({ self: emulator.capabilitiesUrl, api: `${emulator.url}/v2${slashes.linksApi ? '/' : ''}` });
    expect(document.capabilities.hipchatApiProvider.url).toBe(`${emulator.url}/v2${slashes.hipchatApiProvider ? '/' : ''}`);
    expect(document.capabilities.oauth2Provider.tokenUrl).toBe(`${emulator.url}/v2/oauth/token`);
    expect((await fetch(`${emulator.url}/_emulator/state`)).status).toBe(200);
    if (prefix !== '') {
      // Nothing answers outside the prefix, so an add-on that assumed Cloud's paths would fail here.
      const outside = await fetch(`http://127.0.0.1:${emulator.port}/v2/capabilities`);
      expect(outside.status).toBe(404);
      expect((await outside.json()).error).toMatchObject({ code: 404 });
    }
  });

  it('installs, answers /task add in the room, and its outbox delivers the glance update and an announcement', async () => {
    const installation = await emulator.install(`${addon.url}/atlassian-connect.json`);
    expect(await addon.services.installations.get(installation.oauthId)).toMatchObject({
      capabilitiesUrl: emulator.capabilitiesUrl,
      tokenUrl: `${emulator.url}/v2/oauth/token`,
      apiUrl: `${emulator.url}/v2/`,
    });

    const { webhooks } = await emulator.postMessage(room.id, ada.id, '/task add Check the server shape');
    expect(webhooks).toEqual([expect.objectContaining({ status: 200, oauthId: installation.oauthId })]);
    expect(webhooks[0]?.replyError).toBeUndefined();
    const reply = await emulator.waitForHistory(room.id, (item) => item.type === 'notification');
    expect(reply.message).toBe('Added #1: Check the server shape');

    // The glance update is queued, then sent by the delivery worker to HipChat's REST API (a token first).
    await eventually('the glance push', () => emulator.getGlance(installation.oauthId, room.id, 'tasks')?.source === 'push');
    expect(emulator.getGlance(installation.oauthId, room.id, 'tasks')?.content).toMatchObject({ label: { value: '<b>1</b> open task' } });
    expect(emulator.stats().tokenRequests[installation.oauthId]).toBeGreaterThan(0);

    // An announced task is a room notification the outbox sends through POST {apiUrl}room/{id}/notification.
    const settings = await fetch(`${addon.url}/api/settings`, {
      method: 'PUT',
      headers: { Authorization: `JWT ${emulator.mintJwt(installation.oauthId, { userId: ada.id, roomId: room.id })}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ announceNewTasks: true }),
    });
    expect(settings.status).toBe(200);
    const created = await fetch(`${addon.url}/api/tasks`, {
      method: 'POST',
      headers: { Authorization: `JWT ${emulator.mintJwt(installation.oauthId, { userId: ada.id, roomId: room.id })}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'Announced through the outbox' }),
    });
    expect(created.status).toBe(201);
    const announcement = await emulator.waitForHistory(room.id, (item) => item.type === 'notification' && item.message.includes('Announced through the outbox'));
    expect(announcement).toMatchObject({ message: '<b>New task #2</b>: Announced through the outbox', notify: true });

    await emulator.uninstall(installation.oauthId);
    await eventually('the installation to be removed', async () => !(await addon.services.installations.get(installation.oauthId)));
  });

  it("frames a signed page that loads HipChat's all.js from where this emulator serves it (the prefix kept)", async () => {
    const installation = await emulator.install(`${addon.url}/atlassian-connect.json`);
    const page = await fetch(emulator.signedUrl(installation.oauthId, { kind: 'webPanel', key: 'tasks-sidebar', roomId: room.id, userId: ada.id }));
    expect(page.status).toBe(200);
    const allJs = /<script src="([^"]*\/atlassian-connect\/all\.js)"><\/script>/.exec(await page.text())?.[1];
    expect(allJs).toBe(`${emulator.url}/atlassian-connect/all.js`);
    expect((await fetch(allJs ?? '')).status).toBe(200);
    // The CSP names the origin only: script-src is a source list, which takes no path of its own here.
    expect(page.headers.get('content-security-policy')).toContain(`script-src 'self' http://127.0.0.1:${emulator.port};`);
    await emulator.uninstall(installation.oauthId);
  });
});

/** Every URL HipChat hands out (install body, webhook payloads, integrations, the browser flow) carries the prefix. */
describe('URLs an emulator under a path prefix hands out', () => {
  let emulator: Emulator;
  let addon: FakeAddon;

  beforeAll(async () => {
    emulator = await startEmulator({ pathPrefix: '/hipchat' });
    addon = await startFakeAddon();
  });
  afterAll(async () => {
    await addon.close();
    await emulator.close();
  });

  it('names the prefixed capabilities URL in the install callback and prefixed room links in webhooks', async () => {
    const room = emulator.createRoom('Links');
    const user = emulator.createUser({ name: 'Lou', mention_name: 'lou' });
    const installation = await emulator.install(addon.descriptorUrl);
    expect(addon.received('/installable')[0]?.body).toMatchObject({ capabilitiesUrl: `${emulator.url}/v2/capabilities`, oauthId: installation.oauthId });
    await emulator.postMessage(room.id, user.id, '/task add links');
    const webhook = addon.received('/webhooks/task')[0]?.body as { item: { room: { links: { self: string } } } };
    expect(webhook.item.room.links.self).toBe(`${emulator.url}/v2/room/${room.id}`);
  });

  it('gives a build-your-own integration a notification URL under the prefix that works', async () => {
    const room = emulator.createRoom('Integration');
    const integration = emulator.createBuildYourOwnIntegration(room.id, { name: 'CI' });
    expect(integration.notificationUrl.startsWith(`${emulator.url}/v2/room/${room.id}/notification?auth_token=`)).toBe(true);
    expect((await callApi(integration.notificationUrl, undefined, 'POST', { message: 'built' })).status).toBe(204);
    expect(emulator.history(room.id).at(-1)).toMatchObject({ type: 'notification', message: 'built' });
  });

  it('runs the browser install flow with installable_url and redirect_url under the prefix', async () => {
    const seen: { installable?: string; redirect?: string; statuses?: number[] } = {};
    const app = express();
    app.get('/installed', async (req, res) => {
      seen.installable = String(req.query.installable_url);
      seen.redirect = String(req.query.redirect_url);
      seen.statuses = [(await fetch(seen.installable)).status, (await fetch(seen.installable)).status];
      res.redirect(302, seen.redirect);
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    addon.descriptor.capabilities.installable = { allowGlobal: true, allowRoom: true, installedUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/installed` };
    try {
      await emulator.install(addon.descriptorUrl);
      expect(seen.installable?.startsWith(`${emulator.url}/_installable/`)).toBe(true);
      expect(seen.redirect).toBe(`${emulator.url}/_emulator/browser/done`);
      expect(seen.statuses).toEqual([200, 404]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
