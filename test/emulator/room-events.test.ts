import jwt from 'jsonwebtoken';
import { startEmulator, type Emulator, type Installation, type Room, type User } from '../../src/emulator';
import { callApi, requestToken, startFakeAddon, type FakeAddon, type RecordedRequest } from './helpers/start-fake-addon';

const EVENTS = ['room_archived', 'room_created', 'room_deleted', 'room_enter', 'room_exit', 'room_file_upload', 'room_message', 'room_notification', 'room_topic_change', 'room_unarchived'];

/** A fake add-on whose descriptor subscribes to all ten events (all posted to /webhooks/task). */
async function startListeningAddon(key: string): Promise<FakeAddon> {
  const addon = await startFakeAddon();
  addon.descriptor.key = key;
  addon.descriptor.capabilities.hipchatApiConsumer.scopes = ['send_notification', 'send_message', 'view_room', 'view_group', 'admin_room'];
  addon.descriptor.capabilities.webhook = EVENTS.map((event) => ({ key: event.replace(/_/g, '-'), event, url: `${addon.url}/webhooks/task`, authentication: 'jwt' }));
  return addon;
}

function events(addon: FakeAddon, event: string): RecordedRequest[] {
  return addon.received('/webhooks/task').filter((request) => (request.body as { event?: string }).event === event);
}

/** Polls until `condition` holds (webhooks sent after an API answer arrive a moment later); never a fixed sleep. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 250; tries += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function claims(request: RecordedRequest | undefined): jwt.JwtPayload {
  return jwt.decode(String(request?.headers.authorization).slice(4)) as jwt.JwtPayload;
}

describe('emulator room events (all ten webhook events)', () => {
  let emulator: Emulator;
  let globalAddon: FakeAddon;
  let roomAddon: FakeAddon;
  let room: Room;
  let ada: User;
  let global: Installation;
  let roomInstallation: Installation;
  let globalToken: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    globalAddon = await startListeningAddon('com.example.global');
    roomAddon = await startListeningAddon('com.example.room');
    room = emulator.createRoom({ name: 'Events', topic: 'start' });
    ada = emulator.createUser({ name: 'Ada Lovelace', mention_name: 'ada' });
    global = await emulator.install(globalAddon.descriptorUrl);
    roomInstallation = await emulator.install(roomAddon.descriptorUrl, { roomId: room.id });
    globalToken = (await requestToken(`${emulator.url}/v2/oauth/token`, global.oauthId, global.oauthSecret)).body.access_token;
  });
  beforeEach(() => {
    globalAddon.requests.length = 0;
    roomAddon.requests.length = 0;
  });
  afterAll(async () => {
    await emulator.close();
    await globalAddon.close();
    await roomAddon.close();
  });

  it('room_archived and room_unarchived: item.room and item.sender, to the room and global installations', async () => {
    const archived = await emulator.archiveRoom(room.id, ada.id);
    expect(archived).toHaveLength(2);
    for (const addon of [globalAddon, roomAddon]) {
      expect(events(addon, 'room_archived')[0]?.body).toEqual({
        event: 'room_archived',
        item: { room: { id: room.id, name: 'Events', links: expect.objectContaining({ self: `${emulator.url}/v2/room/${room.id}` }) }, sender: { id: ada.id, mention_name: 'ada', name: 'Ada Lovelace' } },
        oauth_client_id: addon === globalAddon ? global.oauthId : roomInstallation.oauthId,
        webhook_id: expect.any(Number),
      });
    }
    expect(claims(events(globalAddon, 'room_archived')[0]).sub).toBe(String(ada.id));
    await emulator.unarchiveRoom(room.id, ada.id);
    expect(events(roomAddon, 'room_unarchived')[0]?.body).toMatchObject({ event: 'room_unarchived', item: { room: { id: room.id }, sender: { id: ada.id } } });
  });

  it('an archived room refuses new messages (HipChat answer), notifications and topics with 403, and says is_archived', async () => {
    await emulator.archiveRoom(room.id);
    try {
      await expect(emulator.postMessage(room.id, ada.id, 'hello')).rejects.toThrow(/archived/);
      const before = emulator.history(room.id).length;
      const notify = await callApi(`${emulator.url}/v2/room/${room.id}/notification`, globalToken, 'POST', { message: 'hi' });
      const message = await callApi(`${emulator.url}/v2/room/${room.id}/message`, globalToken, 'POST', { message: 'hi' });
      const topic = await callApi(`${emulator.url}/v2/room/${room.id}/topic`, globalToken, 'PUT', { topic: 'new' });
      expect([notify.status, message.status, topic.status]).toEqual([403, 403, 403]);
      expect(notify.body.error.message).toMatch(/archived/);
      expect(emulator.history(room.id)).toHaveLength(before);
      expect((await callApi(`${emulator.url}/v2/room/${room.id}`, globalToken, 'GET')).body.is_archived).toBe(true);
      await expect(emulator.archiveRoom(room.id)).rejects.toThrow(/already archived/);
    } finally {
      await emulator.unarchiveRoom(room.id);
    }
    expect((await callApi(`${emulator.url}/v2/room/${room.id}`, globalToken, 'GET')).body.is_archived).toBe(false);
  });

  it('events no person caused carry no item.sender and a JWT without sub', async () => {
    await emulator.archiveRoom(room.id);
    await emulator.unarchiveRoom(room.id);
    const request = events(globalAddon, 'room_archived')[0];
    expect(request?.body).not.toHaveProperty('item.sender');
    expect(claims(request)).not.toHaveProperty('sub');
    expect(claims(request).context).toMatchObject({ room_id: room.id });
  });

  it('room_created goes to global installations only, with the creator as sender and owner', async () => {
    const { room: created, webhooks } = await emulator.createRoomWithEvent({ name: 'Fresh' }, ada.id);
    expect(webhooks).toEqual([expect.objectContaining({ oauthId: global.oauthId, status: 200 })]);
    expect(events(globalAddon, 'room_created')[0]?.body).toMatchObject({ event: 'room_created', item: { room: { id: created.id, name: 'Fresh' }, sender: { id: ada.id } } });
    expect(events(roomAddon, 'room_created')).toEqual([]);
    expect(created.ownerId).toBe(ada.id);
  });

  it('room_deleted goes to global installations after the room is gone; the room installation is uninstalled with it', async () => {
    const doomed = emulator.createRoom('Doomed');
    const doomedAddon = await startListeningAddon('com.example.doomed');
    try {
      const doomedInstallation = await emulator.install(doomedAddon.descriptorUrl, { roomId: doomed.id });
      let lookupDuringEvent = 0;
      globalAddon.requests.length = 0;
      const lookup = callApi(`${emulator.url}/v2/room/${doomed.id}`, globalToken, 'GET');
      expect((await lookup).status).toBe(200);
      const result = await emulator.deleteRoom(doomed.id, ada.id);
      lookupDuringEvent = (await callApi(`${emulator.url}/v2/room/${doomed.id}`, globalToken, 'GET')).status;
      expect(lookupDuringEvent).toBe(404);
      expect(events(globalAddon, 'room_deleted')[0]?.body).toMatchObject({ event: 'room_deleted', item: { room: { id: doomed.id, name: 'Doomed' }, sender: { id: ada.id } } });
      expect(events(doomedAddon, 'room_deleted')).toEqual([]);
      expect(result.uninstalled).toEqual([expect.objectContaining({ oauthId: doomedInstallation.oauthId })]);
      expect(doomedAddon.received(`/installable/${doomedInstallation.oauthId}`)).toEqual([expect.objectContaining({ method: 'DELETE' })]);
      expect(emulator.installation(doomedInstallation.oauthId)).toBeUndefined();
      expect(emulator.room(doomed.id)).toBeUndefined();
    } finally {
      await doomedAddon.close();
    }
  });

  it('room_file_upload: item.file {name, size, url, thumb_url} and item.sender; no room_message; the file downloads as an attachment', async () => {
    const result = await emulator.uploadFile(room.id, ada.id, { name: 'notes.txt', content: Buffer.from('hello file'), contentType: 'text/plain' });
    const body = events(roomAddon, 'room_file_upload')[0]?.body as any;
    expect(body).toMatchObject({
      event: 'room_file_upload',
      item: { file: { name: 'notes.txt', size: 10, url: result.file.url, thumb_url: null }, room: { id: room.id }, sender: { id: ada.id, mention_name: 'ada' } },
    });
    expect(events(roomAddon, 'room_message')).toEqual([]);
    expect(emulator.history(room.id).at(-1)).toMatchObject({ type: 'message', file: { name: 'notes.txt' } });
    const download = await fetch(result.file.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello file');
    expect(download.headers.get('content-disposition')).toMatch(/attachment/);
    expect(download.headers.get('content-security-policy')).toBe('sandbox');
    const image = await emulator.uploadFile(room.id, ada.id, { name: 'cat.png', size: 2048, contentType: 'image/png' });
    expect(image.file).toMatchObject({ size: 2048, thumb_url: image.file.url });
  });

  it('room_notification: an add-on notification reaches the other add-ons with from as a string label, never the sender itself', async () => {
    const response = await callApi(`${emulator.url}/v2/room/${room.id}/notification`, globalToken, 'POST', { message: 'Build <b>passed</b>', color: 'green', from: 'CI' });
    expect(response.status).toBe(204);
    await eventually(() => events(roomAddon, 'room_notification').length > 0, 'room_notification at the room add-on');
    const request = events(roomAddon, 'room_notification')[0];
    expect(request?.body).toMatchObject({
      event: 'room_notification',
      item: {
        message: { id: expect.any(String), date: expect.any(String), from: 'CI', message: 'Build <b>passed</b>', message_format: 'html', color: 'green', type: 'notification', mentions: [] },
        room: { id: room.id, name: 'Events' },
      },
      oauth_client_id: roomInstallation.oauthId,
    });
    expect(request?.body).not.toHaveProperty('item.sender');
    expect(claims(request)).not.toHaveProperty('sub');
    // No loop: the sending add-on never hears its own notification.
    await emulator.sendNotification(room.id, { message: 'settle' });
    expect(events(globalAddon, 'room_notification').map((entry) => (entry.body as any).item.message.message)).toEqual(['settle']);
  });

  it('room_notification for a webhook reply, again not to the add-on that replied', async () => {
    globalAddon.webhookReply = { message: 'Got it', message_format: 'text' };
    try {
      const { webhooks } = await emulator.postMessage(room.id, ada.id, 'hello everyone');
      const reply = webhooks.find((result) => result.oauthId === global.oauthId)?.reply;
      expect(reply).toMatchObject({ message: 'Got it' });
      await eventually(() => events(roomAddon, 'room_notification').length > 0, 'room_notification of the reply');
      expect((events(roomAddon, 'room_notification')[0]?.body as any).item.message).toMatchObject({ id: reply?.id, from: 'Fake', message: 'Got it' });
      expect(events(globalAddon, 'room_notification')).toEqual([]);
    } finally {
      globalAddon.webhookReply = undefined;
    }
  });

  it('room_topic_change through PUT /v2/room/{id}/topic (admin_room, 0–250 characters): no sender, the topic set at once', async () => {
    const set = await callApi(`${emulator.url}/v2/room/${room.id}/topic`, globalToken, 'PUT', { topic: 'Release day' });
    expect(set.status).toBe(204);
    expect(emulator.room(room.id)?.topic).toBe('Release day');
    await eventually(() => events(roomAddon, 'room_topic_change').length > 0, 'room_topic_change');
    const body = events(roomAddon, 'room_topic_change')[0]?.body;
    expect(body).toMatchObject({ event: 'room_topic_change', item: { topic: 'Release day', room: { id: room.id } } });
    expect(body).not.toHaveProperty('item.sender');
    expect((await callApi(`${emulator.url}/v2/room/${room.id}/topic`, globalToken, 'PUT', { topic: 'x'.repeat(251) })).status).toBe(400);
    expect((await callApi(`${emulator.url}/v2/room/${room.id}/topic`, globalToken, 'PUT', {})).status).toBe(400);
    const narrow = (await requestToken(`${emulator.url}/v2/oauth/token`, global.oauthId, global.oauthSecret, 'send_notification')).body.access_token;
    expect((await callApi(`${emulator.url}/v2/room/${room.id}/topic`, narrow, 'PUT', { topic: 'no' })).status).toBe(403);
    expect(emulator.room(room.id)?.topic).toBe('Release day');
  });

  it('room_enter, room_exit and room_message still fire, so all ten events reach a listening add-on', async () => {
    await emulator.enterRoom(room.id, ada.id);
    await emulator.exitRoom(room.id, ada.id);
    await emulator.postMessage(room.id, ada.id, 'hi');
    expect(events(roomAddon, 'room_enter')[0]?.body).toMatchObject({ item: { sender: { id: ada.id } } });
    expect(events(roomAddon, 'room_exit')).toHaveLength(1);
    expect(events(roomAddon, 'room_message')).toHaveLength(1);
  });
});
