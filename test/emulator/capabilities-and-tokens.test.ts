import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator';
import { requestToken, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

const cloud = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'hipchat-cloud-capabilities.json'), 'utf8'));

/** Every key path of a JSON value, sorted: compares shapes, not values. */
function shape(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [`${prefix}:${typeof value}`];
  return Object.entries(value).flatMap(([key, sub]) => shape(sub, `${prefix}/${key}`)).sort();
}

describe('emulator capabilities document and token endpoint', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let tokenUrl: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    tokenUrl = `${emulator.url}/v2/oauth/token`;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  it('serves a capabilities document with exactly the Cloud shape and its own URLs', async () => {
    const response = await fetch(emulator.capabilitiesUrl);
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(shape(doc)).toEqual(shape(cloud));
    expect(doc.links.self).toBe(emulator.capabilitiesUrl);
    expect(doc.links.api).toBe(`${emulator.url}/v2`);
    expect(doc.capabilities.hipchatApiProvider.url).toBe(`${emulator.url}/v2/`);
    expect(doc.capabilities.oauth2Provider.tokenUrl).toBe(tokenUrl);
    expect(doc.capabilities.hipchatApiProvider.availableScopes).toEqual(cloud.capabilities.hipchatApiProvider.availableScopes);
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('issues a token for granted scopes, all of them when scope is omitted, and counts requests', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    const all = await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      scope: 'send_notification view_room',
      expires_in: 3600,
      group_id: 1,
      group_name: 'Emulated Group',
    });
    const one = await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret, 'view_room');
    expect(one.body.scope).toBe('view_room');
    expect(emulator.stats().tokenRequests[installation.oauthId]).toBe(2);
  });

  it('refuses a wrong secret and an unknown client with 401 in HipChat error shape', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    const bad = await requestToken(tokenUrl, installation.oauthId, 'wrong-secret');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: { code: 401, message: expect.any(String), type: 'Unauthorized' } });
    const unknown = await requestToken(tokenUrl, '00000000-0000-4000-8000-000000000000', 'x');
    expect(unknown.status).toBe(401);
  });

  it('refuses a scope not granted to the installation', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    const result = await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret, 'send_notification admin_group');
    expect(result.status).toBe(400);
    expect(result.body.error.message).toContain('admin_group');
  });

  it('answers 401 to a revoked (uninstalled) client and invalidates its tokens', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    const token = await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret);
    await emulator.uninstall(installation.oauthId);
    expect((await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret)).status).toBe(401);
    const api = await fetch(`${emulator.url}/v2/room/1`, { headers: { Authorization: `Bearer ${token.body.access_token}` } });
    expect(api.status).toBe(401);
  });

  it('expires tokens after the configured lifetime', async () => {
    const room = emulator.createRoom('Expiry');
    const installation = await emulator.install(addon.descriptorUrl);
    emulator.setTokenLifetime(0.3);
    const token = await requestToken(tokenUrl, installation.oauthId, installation.oauthSecret);
    expect(token.body.expires_in).toBe(0.3);
    const auth = { headers: { Authorization: `Bearer ${token.body.access_token}` } };
    expect((await fetch(`${emulator.url}/v2/room/${room.id}`, auth)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const expired = await fetch(`${emulator.url}/v2/room/${room.id}`, auth);
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toMatch(/expired/i);
    emulator.setTokenLifetime(3600);
  });

  it('requires grant_type=client_credentials as a form body', async () => {
    const installation = await emulator.install(addon.descriptorUrl);
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${installation.oauthId}:${installation.oauthSecret}`).toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(400);
  });
});
