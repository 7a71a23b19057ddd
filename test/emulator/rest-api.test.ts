import { startEmulator, type Emulator, type Installation, type Room } from '../../src/emulator';
import { callApi, requestToken, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

describe('emulator REST API', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let room: Room;
  let other: Room;
  let global: Installation;
  let token: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    room = emulator.createRoom({ name: 'Main Room', topic: 'hello' });
    other = emulator.createRoom('Other');
    addon.descriptor.capabilities.hipchatApiConsumer.scopes = ['send_notification', 'send_message', 'view_room', 'admin_room'];
    global = await emulator.install(addon.descriptorUrl);
    token = (await requestToken(`${emulator.url}/v2/oauth/token`, global.oauthId, global.oauthSecret)).body.access_token;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  const notify = (body: unknown, roomRef: string | number = room.id, bearer: string | null = token) =>
    callApi(`${emulator.url}/v2/room/${roomRef}/notification`, bearer ?? undefined, 'POST', body);

  it('accepts a valid notification with 204 and records it in history with defaults', async () => {
    const result = await notify({ message: 'Hello <b>room</b>' });
    expect(result.status).toBe(204);
    const last = emulator.history(room.id).at(-1);
    expect(last).toMatchObject({ type: 'notification', message: 'Hello <b>room</b>', message_format: 'html', color: 'yellow', notify: false });
    expect(last?.from).toMatchObject({ kind: 'addon', label: 'Fake', oauthId: global.oauthId });
    expect(last?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('finds a room by name (URL-encoded) as /room/{id_or_name}', async () => {
    expect((await notify({ message: 'by name', from: 'Bot', color: 'green', notify: true }, encodeURIComponent('Main Room'))).status).toBe(204);
    expect(emulator.history(room.id).at(-1)).toMatchObject({ message: 'by name', color: 'green', notify: true, from: { label: 'Bot' } });
  });

  it.each([
    ['message', {}],
    ['message', { message: '' }],
    ['message', { message: 'x'.repeat(10_001) }],
    ['message_format', { message: 'm', message_format: 'markdown' }],
    ['color', { message: 'm', color: 'blue' }],
    ['notify', { message: 'm', notify: 'true' }],
    ['from', { message: 'm', from: 'x'.repeat(65) }],
    ['card', { message: 'm', card: 'nope' }],
    ['card.style', { message: 'm', card: { style: 'poster', id: '1', title: 't' } }],
    ['card.title', { message: 'm', card: { style: 'application', id: '1' } }],
    ['card.url', { message: 'm', card: { style: 'link', id: '1', title: 't' } }],
    ['card.thumbnail', { message: 'm', card: { style: 'image', id: '1', title: 't', url: 'http://x/i.png' } }],
    ['attach_to', { message: 'm', attach_to: 'no-such-message' }],
  ])('refuses a bad %s with 400 naming the field', async (field, body) => {
    const before = emulator.history(room.id).length;
    const result = await notify(body);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 400, type: 'Bad Request' });
    expect(result.body.error.message.startsWith(`${field}:`)).toBe(true);
    expect(emulator.history(room.id)).toHaveLength(before);
  });

  it('accepts a card and attach_to an existing message', async () => {
    const card = { style: 'application', id: 'task-1', title: 'Task 1', format: 'compact', description: { value: 'Do it', format: 'text' }, attributes: [{ label: 'State', value: { label: 'open', style: 'lozenge-current' } }] };
    expect((await notify({ message: 'card', card })).status).toBe(204);
    const anchor = emulator.history(room.id).at(-1);
    expect(anchor?.card).toEqual(card);
    expect((await notify({ message: 'reply', attach_to: anchor?.id })).status).toBe(204);
    expect(emulator.history(room.id).at(-1)?.attach_to).toBe(anchor?.id);
  });

  it('refuses a missing/invalid body, unknown room (404), no token and bad token (401)', async () => {
    expect((await callApi(`${emulator.url}/v2/room/${room.id}/notification`, token, 'POST')).status).toBe(400);
    expect((await notify({ message: 'm' }, 99999)).status).toBe(404);
    expect((await notify({ message: 'm' }, 'Nowhere')).body.error.type).toBe('Not Found');
    expect((await notify({ message: 'm' }, room.id, null)).status).toBe(401);
    expect((await notify({ message: 'm' }, room.id, 'bogus')).body.error).toMatchObject({ code: 401, type: 'Unauthorized' });
  });

  it('accepts the token as ?auth_token= too', async () => {
    const response = await fetch(`${emulator.url}/v2/room/${room.id}/notification?auth_token=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'query token' }),
    });
    expect(response.status).toBe(204);
  });

  it('answers 403 when the token lacks the scope', async () => {
    const narrow = (await requestToken(`${emulator.url}/v2/oauth/token`, global.oauthId, global.oauthSecret, 'view_room')).body.access_token;
    const result = await notify({ message: 'm' }, room.id, narrow);
    expect(result.status).toBe(403);
    expect(result.body.error.type).toBe('Forbidden');
  });

  it('limits a room installation token to its own room (403 elsewhere)', async () => {
    const roomInstall = await emulator.install(addon.descriptorUrl, { roomId: room.id });
    expect(roomInstall.roomId).toBe(room.id);
    const roomToken = (await requestToken(`${emulator.url}/v2/oauth/token`, roomInstall.oauthId, roomInstall.oauthSecret)).body.access_token;
    expect((await notify({ message: 'own room' }, room.id, roomToken)).status).toBe(204);
    const elsewhere = await notify({ message: 'other room' }, other.id, roomToken);
    expect(elsewhere.status).toBe(403);
    expect((await notify({ message: 'global token, other room' }, other.id)).status).toBe(204);
  });

  it('room notification tokens work only on that room notification endpoint', async () => {
    const roomToken = emulator.createRoomNotificationToken(room.id);
    expect((await notify({ message: 'from integration' }, room.id, roomToken)).status).toBe(204);
    expect((await notify({ message: 'x' }, other.id, roomToken)).status).toBe(403);
    expect((await callApi(`${emulator.url}/v2/room/${room.id}/message`, roomToken, 'POST', { message: 'x' })).status).toBe(403);
    expect((await callApi(`${emulator.url}/v2/room/${room.id}`, roomToken, 'GET')).status).toBe(403);
    expect((await callApi(`${emulator.url}/v2/addon/ui/room/${room.id}`, roomToken, 'POST', { glance: [] })).status).toBe(403);
  });

  it('posts a message with 201 {id, timestamp} and validates its length', async () => {
    const result = await callApi(`${emulator.url}/v2/room/${room.id}/message`, token, 'POST', { message: 'plain message' });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({ id: expect.any(String), timestamp: expect.any(String) });
    expect(emulator.history(room.id).at(-1)).toMatchObject({ id: result.body.id, type: 'message', message: 'plain message' });
    const tooLong = await callApi(`${emulator.url}/v2/room/${room.id}/message`, token, 'POST', { message: 'x'.repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/^message:/);
  });

  it('GET /room/{id_or_name} returns the room', async () => {
    const result = await callApi(`${emulator.url}/v2/room/${room.id}`, token, 'GET');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id: room.id, name: 'Main Room', topic: 'hello', links: { self: `${emulator.url}/v2/room/${room.id}` } });
  });

  it('registers and deletes room webhooks with admin_room', async () => {
    const url = `${emulator.url}/v2/room/${room.id}/extension/webhook/extra`;
    const created = await callApi(url, token, 'PUT', { url: `${addon.url}/webhooks/task`, event: 'room_message', pattern: '^/extra' });
    expect(created.status).toBe(200);
    const posted = await emulator.postMessage(room.id, emulator.createUser('Ann').id, '/extra stuff');
    expect(posted.webhooks.map((hook) => hook.webhookKey)).toEqual(['extra']);
    expect((await callApi(url, token, 'DELETE')).status).toBe(204);
    expect((await callApi(url, token, 'DELETE')).status).toBe(404);
    expect((await callApi(url, token, 'PUT', { url: 'not-a-url', event: 'room_message' })).body.error.message).toMatch(/^url:/);
  });

  it('accepts glance updates only for declared glances', async () => {
    const url = `${emulator.url}/v2/addon/ui/room/${room.id}`;
    const content = { label: { type: 'html', value: '<b>7</b> tasks' }, status: { type: 'lozenge', value: { label: '2 new', type: 'current' } } };
    expect((await callApi(url, token, 'POST', { glance: [{ key: 'tasks', content }] })).status).toBe(204);
    expect(emulator.getGlance(global.oauthId, room.id, 'tasks')).toMatchObject({ content, source: 'push' });
    const unknown = await callApi(url, token, 'POST', { glance: [{ key: 'nope', content }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/glance\[0\]\.key/);
    const badLabel = await callApi(url, token, 'POST', { glance: [{ key: 'tasks', content: { label: { type: 'text', value: 'x' } } }] });
    expect(badLabel.body.error.message).toMatch(/label\.type/);
  });

  it('answers unknown API paths with 404 in HipChat shape', async () => {
    const result = await callApi(`${emulator.url}/v2/nothing/here`, token, 'GET');
    expect(result.status).toBe(404);
    expect(result.body.error).toMatchObject({ code: 404, type: 'Not Found' });
  });
});
