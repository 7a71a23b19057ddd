import { startEmulator, type Emulator, type Installation, type Room, type User } from '../../src/emulator';
import { callApi, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

/** The control API checks its input with zod: bad input is a HipChat-shaped 400 naming the field, and changes nothing. */
describe('emulator control API: bad input per resource', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let room: Room;
  let user: User;
  let installation: Installation;
  let control: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    room = emulator.createRoom('Input');
    user = emulator.createUser({ name: 'Ivy', mention_name: 'ivy' });
    installation = await emulator.install(addon.descriptorUrl);
    control = `${emulator.url}/_emulator`;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  async function expectBadRequest(method: string, path: string, body: unknown, message: RegExp): Promise<void> {
    const answer = await callApi(`${control}${path}`, undefined, method, body);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: { error: { code: 400, type: 'Bad Request', message: expect.stringMatching(message) } } });
  }

  it('rooms: a name, integer ids in the path and the body, a string topic', async () => {
    const before = emulator.rooms().length;
    await expectBadRequest('POST', '/rooms', {}, /^name: must be a non-empty string$/);
    await expectBadRequest('POST', '/rooms', { name: '' }, /^name: /);
    await expectBadRequest('POST', '/rooms', { name: 'X', ownerId: 'abc' }, /^ownerId: must be an integer$/);
    await expectBadRequest('POST', '/rooms', { name: 'X', topic: 5 }, /^topic: /);
    await expectBadRequest('POST', '/rooms', [1, 2], /^body: /);
    expect(emulator.rooms()).toHaveLength(before);
    await expectBadRequest('GET', '/rooms/abc/history', undefined, /^roomId: must be an integer$/);
    await expectBadRequest('PUT', `/rooms/${room.id}/owner`, {}, /^userId: must be an integer$/);
    await expectBadRequest('POST', `/rooms/${room.id}/messages`, { userId: user.id }, /^message: must be a non-empty string$/);
    await expectBadRequest('POST', `/rooms/${room.id}/messages`, { userId: 1.5, message: 'hi' }, /^userId: must be an integer$/);
    await expectBadRequest('POST', `/rooms/${room.id}/enter`, {}, /^userId: /);
    await expectBadRequest('POST', `/rooms/${room.id}/exit`, { userId: true }, /^userId: /);
    await expectBadRequest('PUT', `/rooms/${room.id}/topic`, { userId: user.id, topic: ['t'] }, /^topic: /);
    await expectBadRequest('POST', `/rooms/${room.id}/integrations`, { slashCommand: { command: '/x' } }, /^slashCommand\.url: must be a non-empty string$/);
    await expectBadRequest('POST', '/rooms/999999/notification-tokens', undefined, /no room/);
    expect(emulator.history(room.id)).toEqual([]);
  });

  it('rooms: the same routes accept good input (ids as numbers or digits)', async () => {
    const posted = await callApi(`${control}/rooms/${room.id}/messages`, undefined, 'POST', { userId: String(user.id), message: 'hello' });
    expect(posted.status).toBe(201);
    const topic = await callApi(`${control}/rooms/${room.id}/topic`, undefined, 'PUT', { userId: user.id });
    expect(topic.status).toBe(200);
    expect(emulator.room(room.id)?.topic).toBe('');
  });

  it('users: a name, a boolean is_group_admin, an integer id', async () => {
    const before = emulator.users().length;
    await expectBadRequest('POST', '/users', { mention_name: 'x' }, /^name: must be a non-empty string$/);
    await expectBadRequest('POST', '/users', { name: 'X', is_group_admin: 'yes' }, /^is_group_admin: must be true or false$/);
    expect(emulator.users()).toHaveLength(before);
    await expectBadRequest('PUT', '/users/abc', { is_group_admin: true }, /^userId: must be an integer$/);
    await expectBadRequest('PUT', `/users/${user.id}`, {}, /^is_group_admin: must be true or false$/);
    await expectBadRequest('PUT', '/users/424242', { is_group_admin: true }, /no user/);
  });

  it('installations: a descriptor URL, a signed-URL kind, integer room and user ids', async () => {
    const before = emulator.installations().length;
    await expectBadRequest('POST', '/installations', {}, /^descriptorUrl: must be a non-empty string$/);
    await expectBadRequest('POST', '/installations', { descriptorUrl: addon.descriptorUrl, roomId: 'Dev' }, /^roomId: must be an integer$/);
    expect(emulator.installations()).toHaveLength(before);
    const path = `/installations/${installation.oauthId}`;
    await expectBadRequest('POST', `${path}/jwt`, {}, /^userId: must be an integer$/);
    await expectBadRequest('POST', `${path}/signed-url`, { kind: 'popup', roomId: room.id, userId: user.id }, /^kind: must be webPanel, dialog, configurable, adminPage or externalPage$/);
    await expectBadRequest('POST', `${path}/signed-url`, { kind: 'webPanel', key: 'sidebar', userId: user.id }, /^roomId: /);
    await expectBadRequest('POST', `${path}/glances/tasks/query`, { roomId: room.id }, /^userId: /);
    await expectBadRequest('GET', `${path}/glances/tasks?roomId=x`, undefined, /^roomId: must be an integer$/);
    await expectBadRequest('POST', '/installations/unknown/jwt', { userId: user.id }, /No installation/);
  });

  it('limits, token lifetime, failure mode and outage: numbers in range, a known mode', async () => {
    const limits = emulator.limits;
    await expectBadRequest('PUT', '/limits', { rateLimit: { limit: -1, windowMs: 1 } }, /^rateLimit\./);
    await expectBadRequest('PUT', '/limits', { floodControl: 'many' }, /^floodControl: must be \{limit: positive integer, windowMs: positive number\}$/);
    await expectBadRequest('PUT', '/limits', { rateLimit: { limit: 1.5, windowMs: 1000 } }, /^rateLimit\.limit: /);
    expect(emulator.limits).toEqual(limits);
    await expectBadRequest('PUT', '/token-lifetime', { seconds: 0 }, /^seconds: must be a positive number$/);
    await expectBadRequest('PUT', '/token-lifetime', { seconds: '60' }, /^seconds: /);
    await expectBadRequest('PUT', '/failure-mode', { mode: '500' }, /^mode: must be "503" or null$/);
    await expectBadRequest('PUT', '/failure-mode', {}, /^mode: /);
    await expectBadRequest('POST', '/outage', { seconds: 601 }, /^seconds: must be a number in \(0, 600\]$/);
    await expectBadRequest('POST', '/outage', { seconds: -1 }, /^seconds: /);
    expect(emulator.isOnline).toBe(true);
    expect((await fetch(emulator.capabilitiesUrl)).status).toBe(200);
  });

  it('malformed JSON is a 400 in the same shape', async () => {
    const answer = await fetch(`${control}/rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: { code: 400, type: 'Bad Request', message: 'Malformed request body' } });
  });
});
