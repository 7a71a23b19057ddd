import { createSecretKey } from 'node:crypto';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { startEmulator, type Emulator, type Installation, type Room, type User } from '../../src/emulator';
import { startFakeAddon, type FakeAddon } from './helpers/start-fake-addon';

function verify(token: string, secret: string): jwt.JwtPayload {
  return jwt.verify(token, createSecretKey(Buffer.from(secret)), { algorithms: ['HS256'] }) as jwt.JwtPayload;
}

describe('emulator drives add-ons with webhooks', () => {
  let emulator: Emulator;
  let addon: FakeAddon;
  let room: Room;
  let user: User;
  let installation: Installation;

  beforeAll(async () => {
    emulator = await startEmulator();
    addon = await startFakeAddon();
    room = emulator.createRoom('Webhooks');
    user = emulator.createUser({ name: 'Ada Lovelace', mention_name: 'ada' });
    addon.descriptor.capabilities.webhook.push(
      { key: 'enter', event: 'room_enter', url: `${addon.url}/webhooks/task` },
      { key: 'exit', event: 'room_exit', url: `${addon.url}/webhooks/task` },
      { key: 'topic', event: 'room_topic_change', url: `${addon.url}/webhooks/task` },
    );
    installation = await emulator.install(addon.descriptorUrl);
  });
  beforeEach(() => {
    addon.requests.length = 0;
    addon.webhookReply = undefined;
    addon.webhookStatus = 200;
  });
  afterAll(async () => {
    await emulator.close();
    await addon.close();
  });

  it('POSTs a room_message payload with a JWT that verifies with the oauthSecret', async () => {
    const { message, webhooks } = await emulator.postMessage(room.id, user.id, '/task add Write tests @ada');
    expect(webhooks).toEqual([expect.objectContaining({ target: 'addon', oauthId: installation.oauthId, webhookKey: 'task-command', status: 200 })]);
    const [request] = addon.received('/webhooks/task');
    expect(request?.body).toEqual({
      event: 'room_message',
      item: {
        message: {
          id: message.id,
          date: message.date,
          from: { id: user.id, mention_name: 'ada', name: 'Ada Lovelace' },
          message: '/task add Write tests @ada',
          type: 'message',
          mentions: [{ id: user.id, mention_name: 'ada', name: 'Ada Lovelace' }],
        },
        room: { id: room.id, name: 'Webhooks', links: expect.objectContaining({ self: `${emulator.url}/v2/room/${room.id}` }) },
      },
      oauth_client_id: installation.oauthId,
      webhook_id: webhooks[0]?.webhookId,
    });
    const header = String(request?.headers.authorization);
    expect(header).toMatch(/^JWT /);
    const claims = verify(header.slice(4), installation.oauthSecret);
    expect(claims).toMatchObject({ iss: installation.oauthId, sub: String(user.id), context: { room_id: room.id, user_tz: 'UTC' } });
    expect(typeof claims.jti).toBe('string');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    expect(() => verify(header.slice(4), 'not-the-secret')).toThrow();
  });

  it('only fires webhooks whose pattern matches', async () => {
    const result = await emulator.postMessage(room.id, user.id, 'hello /task is not at the start');
    expect(result.webhooks).toEqual([]);
    expect(addon.received('/webhooks/task')).toHaveLength(0);
    expect(emulator.history(room.id).at(-1)?.message).toBe('hello /task is not at the start');
  });

  it('posts a JSON reply in notification format into the room as a notification from the add-on', async () => {
    addon.webhookReply = { message: 'Task added', message_format: 'text', color: 'green' };
    const result = await emulator.postMessage(room.id, user.id, '/task add Reply');
    expect(result.webhooks[0]?.reply).toMatchObject({ type: 'notification', message: 'Task added', color: 'green', from: { label: 'Fake', oauthId: installation.oauthId } });
    expect(emulator.history(room.id).at(-1)?.message).toBe('Task added');
  });

  it('does not post an invalid reply and says why', async () => {
    addon.webhookReply = { message: '', color: 'green' };
    const before = emulator.history(room.id).length;
    const result = await emulator.postMessage(room.id, user.id, '/task add Bad reply');
    expect(result.webhooks[0]?.replyError).toMatch(/^message:/);
    expect(emulator.history(room.id)).toHaveLength(before + 1);
  });

  it('reports add-on failures per webhook', async () => {
    addon.webhookStatus = 500;
    const result = await emulator.postMessage(room.id, user.id, '/task');
    expect(result.webhooks[0]?.status).toBe(500);
  });

  it('sends room_enter, room_exit and room_topic_change to declared webhooks', async () => {
    await emulator.enterRoom(room.id, user.id);
    await emulator.setTopic(room.id, user.id, 'New topic');
    await emulator.exitRoom(room.id, user.id);
    const events = addon.received('/webhooks/task').map((request) => request.body as Record<string, any>);
    expect(events.map((event) => event.event)).toEqual(['room_enter', 'room_topic_change', 'room_exit']);
    expect(events[0]?.item.sender).toEqual({ id: user.id, mention_name: 'ada', name: 'Ada Lovelace' });
    expect(events[1]?.item.topic).toBe('New topic');
    expect(emulator.room(room.id)?.topic).toBe('New topic');
  });

  it('does not send another room\'s messages to a room installation', async () => {
    const other = emulator.createRoom('Elsewhere');
    const roomInstall = await emulator.install(addon.descriptorUrl, { roomId: other.id });
    const result = await emulator.postMessage(room.id, user.id, '/task only global');
    expect(result.webhooks.map((hook) => hook.oauthId)).toEqual([installation.oauthId]);
    const inOther = await emulator.postMessage(other.id, user.id, '/task both');
    expect(inOther.webhooks.map((hook) => hook.oauthId).sort()).toEqual([installation.oauthId, roomInstall.oauthId].sort());
  });

  it('build-your-own integration: slash command POST signed with its secret, JSON reply posted, notification URL works', async () => {
    const app = express();
    app.use(express.json());
    const received: Array<{ body: any; auth: string }> = [];
    app.post('/slash', (req, res) => {
      received.push({ body: req.body, auth: String(req.headers.authorization) });
      res.json({ message: 'BYO reply', color: 'purple' });
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slash`;
      const integration = emulator.createBuildYourOwnIntegration(room.id, { name: 'My BYO', slashCommand: { command: '/task', url } });
      expect(integration.notificationUrl).toBe(`${emulator.url}/v2/room/${room.id}/notification?auth_token=${integration.token}`);
      const result = await emulator.postMessage(room.id, user.id, '/task list');
      const byo = result.webhooks.find((hook) => hook.target === 'integration');
      expect(byo?.reply).toMatchObject({ message: 'BYO reply', color: 'purple', from: { label: 'My BYO' } });
      expect(received[0]?.body.item.message.message).toBe('/task list');
      expect(verify(received[0]!.auth.slice(4), integration.secret).iss).toBe(integration.id);
      expect((await emulator.postMessage(room.id, user.id, '/tasks no')).webhooks.some((hook) => hook.target === 'integration')).toBe(false);
      const posted = await fetch(integration.notificationUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: 'via URL' }) });
      expect(posted.status).toBe(204);
      expect(emulator.history(room.id).at(-1)).toMatchObject({ message: 'via URL', from: { label: 'My BYO' } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('waitForHistory resolves on a future item', async () => {
    const waiting = emulator.waitForHistory(room.id, (item) => item.message === 'later', 2000);
    setTimeout(() => void emulator.postMessage(room.id, user.id, 'later'), 20);
    await expect(waiting).resolves.toMatchObject({ message: 'later' });
    await expect(emulator.waitForHistory(room.id, () => false, 50)).rejects.toThrow(/waitForHistory/);
  });
});
