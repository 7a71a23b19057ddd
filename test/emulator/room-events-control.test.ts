import { startEmulator, type Emulator, type Room, type User } from '../../src/emulator';
import { callApi, startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

// The control API causes every room event the web client offers (POST/DELETE under /_emulator).
describe('emulator control API for room events', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let room: Room;
  let ada: User;
  let control: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    addon.descriptor.capabilities.webhook = ['room_archived', 'room_unarchived', 'room_created', 'room_deleted', 'room_file_upload', 'room_notification'].map((event) => ({
      key: event,
      event,
      url: `${addon.url}/webhooks/task`,
    }));
    room = emulator.createRoom('Control');
    ada = emulator.createUser({ name: 'Ada', mention_name: 'ada' });
    await emulator.install(addon.descriptorUrl);
    control = `${emulator.url}/_emulator`;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  const received = (event: string) => addon.received('/webhooks/task').filter((request) => (request.body as any).event === event);

  it('archives and unarchives (409 when already so), answering with the webhooks fired', async () => {
    const archived = await callApi(`${control}/rooms/${room.id}/archive`, undefined, 'POST', { userId: ada.id });
    expect(archived.status).toBe(200);
    expect(archived.body.webhooks).toEqual([expect.objectContaining({ status: 200 })]);
    expect((await callApi(`${control}/rooms/${room.id}/archive`, undefined, 'POST', {})).status).toBe(409);
    expect((await callApi(`${control}/rooms/${room.id}/messages`, undefined, 'POST', { userId: ada.id, message: 'hi' })).status).toBe(400);
    expect((await callApi(`${control}/rooms/${room.id}/topic`, undefined, 'PUT', { userId: ada.id, topic: 'closed' })).status).toBe(400);
    expect(emulator.room(room.id)?.topic).toBe('');
    expect((await callApi(`${control}/rooms/${room.id}/unarchive`, undefined, 'POST', {})).status).toBe(200);
    expect(received('room_unarchived')).toHaveLength(1);
  });

  it('creates a room with room_created and deletes it with room_deleted', async () => {
    const created = await callApi(`${control}/room-events/created`, undefined, 'POST', { name: 'Temp', privacy: 'private', userId: ada.id });
    expect(created.status).toBe(201);
    expect(created.body.room).toMatchObject({ name: 'Temp', privacy: 'private', ownerId: ada.id });
    expect(received('room_created')[0]?.body).toMatchObject({ item: { room: { id: created.body.room.id } } });
    const deleted = await callApi(`${control}/rooms/${created.body.room.id}`, undefined, 'DELETE', { userId: ada.id });
    expect(deleted.status).toBe(200);
    expect(received('room_deleted')).toHaveLength(1);
    expect((await callApi(`${control}/rooms/${created.body.room.id}`, undefined, 'DELETE', {})).status).toBe(404);
  });

  it('uploads a file (base64 content) and posts a notification that fires room_notification', async () => {
    const upload = await callApi(`${control}/rooms/${room.id}/files`, undefined, 'POST', { userId: ada.id, name: 'a.txt', contentBase64: Buffer.from('abc').toString('base64') });
    expect(upload.status).toBe(201);
    expect(received('room_file_upload')[0]?.body).toMatchObject({ item: { file: { name: 'a.txt', size: 3 } } });
    const notification = await callApi(`${control}/rooms/${room.id}/notifications`, undefined, 'POST', { message: 'Deployed', color: 'purple' });
    expect(notification.status).toBe(201);
    expect(notification.body.webhooks).toEqual([expect.objectContaining({ status: 200 })]);
    expect(received('room_notification')[0]?.body).toMatchObject({ item: { message: { from: 'Emulator', message: 'Deployed', color: 'purple' } } });
  });

  it.each([
    ['POST', 'rooms/abc/archive', {}, /roomId|expected number|NaN/i],
    ['POST', 'room-events/created', { name: '' }, /^name:/],
    ['POST', 'room-events/created', { name: 'x', extra: 1 }, /extra|Unrecognized/i],
    ['POST', 'rooms/100/files', { name: 'no-user.txt' }, /^userId:/],
    ['POST', 'rooms/100/notifications', { message: '' }, /^message:/],
  ])('refuses bad input: %s /%s', async (method, path, body, message) => {
    const result = await callApi(`${control}/${path}`, undefined, method, body);
    expect(result.status).toBe(400);
    expect(result.body.error.message).toMatch(message);
  });

  it('answers 404 for an unknown room or user', async () => {
    expect((await callApi(`${control}/rooms/9999/archive`, undefined, 'POST', {})).status).toBe(404);
    expect((await callApi(`${control}/rooms/${room.id}/files`, undefined, 'POST', { userId: 9999, name: 'x' })).status).toBe(404);
  });
});
