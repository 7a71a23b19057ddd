import crypto from 'node:crypto';
import request from 'supertest';
import type { Config } from '../../src/config';
import { defineModule, type AddonModule } from '../../src/hipchat/modules/addon-module';
import type { EventContext } from '../../src/hipchat/modules/handler-context';
import type { WebhookEventName } from '../../src/hipchat/events/webhook-events';
import { createLogger } from '../../src/shared/logger';
import { installTasks, jwtFor, queued } from '../addon/tasks-fixtures';
import { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { startAddonOnFreePort } from '../helpers/test-addon';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import type { RunningAddon } from '../../src/runtime';

const ROOM = 42;
const sender = { id: 1001, name: 'Ada Lovelace', mention_name: 'ada' };
const room = { id: ROOM, name: 'Dev', links: { self: 'http://hipchat.test/v2/room/42' } };

/** The item of each event as HIPCHAT-PROTOCOL.md §6 gives it (the emulator sends the same shapes). */
const items: Record<WebhookEventName, Record<string, unknown>> = {
  room_archived: { room, sender },
  room_created: { room, sender },
  room_deleted: { room, sender },
  room_enter: { room, sender },
  room_exit: { room, sender },
  room_file_upload: { room, sender, file: { name: 'plan.pdf', size: 1024, url: 'http://hipchat.test/files/plan.pdf', thumb_url: 'http://hipchat.test/t.png' } },
  room_message: { room, message: { id: 'm1', date: '2026-11-30T12:00:00Z', from: sender, message: 'hello', type: 'message', mentions: [] } },
  room_notification: { room, message: { id: 'n1', date: '2026-11-30T12:00:00Z', from: 'Build bot', message: 'Build green', type: 'notification' } },
  room_topic_change: { room, sender, topic: 'Release day' },
  room_unarchived: { room, sender },
};

const seen: Array<{ event: string; room: number; user: string | undefined; payload: unknown }> = [];
const lines: string[] = [];

const listening = defineModule({
  key: 'listening',
  setup: () => ({
    events: Object.fromEntries(
      (Object.keys(items) as WebhookEventName[])
        .filter((event) => event !== 'room_archived')
        .map((event) => [event, async (ctx: EventContext) => void seen.push({ event: ctx.event, room: ctx.room.id, user: ctx.user?.id, payload: ctx.payload })]),
    ),
    commands: {
      '/boom': async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('the handler broke');
      },
      '/echo': (ctx) => `echo ${ctx.args}`,
      '/quiet': () => undefined,
    },
  }),
});

let database: TestDatabase;
let addon: RunningAddon;
let hipchat: EmulatedHipChat;

beforeAll(async () => {
  // HipChat confirms the state-claiming events (room_created/deleted/unarchived/archived) before handlers run.
  hipchat = await EmulatedHipChat.start();
  hipchat.ensureRooms(ROOM);
  database = await createTestDatabase();
  const sink = { write: (line: string) => void lines.push(line) };
  addon = await startAddonOnFreePort(database, {}, createLogger('info', sink), (_config: Config): AddonModule[] => [listening]);
});
afterAll(async () => {
  await addon?.stop();
  await database?.drop();
  await hipchat?.close();
});

function post(path: string, body: object, token: string) {
  return request(addon.url).post(path).set('Authorization', `JWT ${token}`).send(body);
}

const envelope = (event: WebhookEventName, oauthId: string, roomId = ROOM) => ({
  event,
  item: { ...items[event], room: { ...room, id: roomId } },
  oauth_client_id: oauthId,
  webhook_id: 7,
});

describe('the listener layer', () => {
  it('receives all ten events, each validated with its own schema, and dispatches them with a typed context', async () => {
    const inst = await installTasks(addon as never, ROOM, hipchat);
    for (const event of Object.keys(items) as WebhookEventName[]) {
      // HipChat must agree that the room is gone before a room_deleted handler runs.
      if (event === 'room_deleted') await hipchat.emulator.deleteRoom(ROOM);
      const res = await post(`/webhooks/events/${event}`, envelope(event, inst.oauthId), jwtFor(inst, ROOM));
      if (event === 'room_deleted') hipchat.ensureRooms(ROOM);
      expect({ event, status: res.status }).toEqual({ event, status: 204 });
    }
    expect(seen.map((one) => one.event).sort()).toEqual(Object.keys(items).filter((event) => event !== 'room_archived').sort());
    expect(seen.find((one) => one.event === 'room_topic_change')).toMatchObject({ room: ROOM, user: '1001', payload: { item: { topic: 'Release day' } } });
  });

  it('answers 204 to a webhook nothing handles (room_archived here), and 404 to an event HipChat does not have', async () => {
    const inst = await installTasks(addon as never, ROOM);
    const before = seen.length;
    expect((await post('/webhooks/events/room_archived', envelope('room_archived', inst.oauthId), jwtFor(inst, ROOM))).status).toBe(204);
    expect(seen).toHaveLength(before);
    const unknown = await post('/webhooks/events/room_renamed', { event: 'room_renamed', item: { room }, oauth_client_id: inst.oauthId }, jwtFor(inst, ROOM));
    expect({ status: unknown.status, code: unknown.body.error?.code }).toEqual({ status: 404, code: 'unknown_event' });
  });

  it('refuses a payload that does not match its event (400 naming the field), unsigned (401) or for another room (403 wrong_room)', async () => {
    const inst = await installTasks(addon as never, ROOM);
    const noTopic = { ...envelope('room_topic_change', inst.oauthId), item: { room, sender } };
    const bad = await post('/webhooks/events/room_topic_change', noTopic, jwtFor(inst, ROOM));
    expect({ status: bad.status, message: bad.body.error?.message }).toMatchObject({ status: 400, message: expect.stringMatching(/^item\.topic/) });
    expect((await request(addon.url).post('/webhooks/events/room_enter').send(envelope('room_enter', inst.oauthId))).status).toBe(401);
    const wrong = await post('/webhooks/events/room_enter', envelope('room_enter', inst.oauthId), jwtFor(inst, ROOM + 1));
    expect({ status: wrong.status, code: wrong.body.error?.code }).toEqual({ status: 403, code: 'wrong_room' });
  });

  it('runs an event once: the same signed delivery again is refused (409) and the handler does not run twice', async () => {
    const inst = await installTasks(addon as never, ROOM);
    const token = jwtFor(inst, ROOM);
    const before = seen.length;
    expect((await post('/webhooks/events/room_enter', envelope('room_enter', inst.oauthId), token)).status).toBe(204);
    expect((await post('/webhooks/events/room_enter', envelope('room_enter', inst.oauthId), token)).status).toBe(409);
    expect(seen).toHaveLength(before + 1);
  });

  it('answers a command with its text reply, and 204 when a command answers nothing', async () => {
    const inst = await installTasks(addon as never, ROOM);
    const body = (text: string) => ({ ...envelope('room_message', inst.oauthId), item: { ...items.room_message, message: { message: text, from: sender } } });
    const echo = await post('/webhooks/echo', body('/echo  hi there '), jwtFor(inst, ROOM));
    expect({ status: echo.status, body: echo.body }).toEqual({ status: 200, body: { message: 'echo hi there', message_format: 'text' } });
    expect((await post('/webhooks/quiet', body('/quiet'), jwtFor(inst, ROOM))).status).toBe(204);
  });

  it('an async handler that throws: the room gets a short notice, HipChat a 500 with the request id, the log the error, and the process lives on', async () => {
    const inst = await installTasks(addon as never, ROOM);
    const requestId = `boom-${crypto.randomUUID().slice(0, 8)}`;
    const body = { ...envelope('room_message', inst.oauthId), item: { ...items.room_message, message: { message: '/boom', from: sender } } };
    const res = await post('/webhooks/boom', body, jwtFor(inst, ROOM)).set('X-Request-Id', requestId);
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: 'handler_failed', message: `A handler failed on our side (request ${requestId})` });
    const notices = await queued(addon as never, inst.oauthId, ROOM, 'room_notification');
    expect(notices).toContainEqual(expect.objectContaining({ message: `Sorry, /boom failed on our side. (request ${requestId})`, color: 'red' }));
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'handler failed');
    expect(logged).toContainEqual(expect.objectContaining({ requestId, module: 'listening', err: expect.objectContaining({ message: 'the handler broke' }) }));
    // Still serving.
    expect((await post('/webhooks/echo', { ...body, item: { ...body.item, message: { message: '/echo alive', from: sender } } }, jwtFor(inst, ROOM))).status).toBe(200);
  });

  it("a member's page JWT cannot forge room_deleted or room_unarchived for a room HipChat says otherwise about: 403 event_not_confirmed, no handler runs", async () => {
    const inst = await installTasks(addon as never, ROOM, hipchat);
    await hipchat.emulator.archiveRoom(ROOM);
    const before = seen.length;
    // Any user's JWT from HipChat.auth.withToken is signed with the installation's secret, like a webhook's.
    const deleted = await post('/webhooks/events/room_deleted', envelope('room_deleted', inst.oauthId), jwtFor(inst, ROOM));
    expect({ status: deleted.status, code: deleted.body.error?.code }).toEqual({ status: 403, code: 'event_not_confirmed' });
    const unarchived = await post('/webhooks/events/room_unarchived', envelope('room_unarchived', inst.oauthId), jwtFor(inst, ROOM));
    expect({ status: unarchived.status, code: unarchived.body.error?.code }).toEqual({ status: 403, code: 'event_not_confirmed' });
    expect(seen).toHaveLength(before);
    await hipchat.emulator.unarchiveRoom(ROOM);
  });

  it('an event HipChat cannot confirm (HipChat unreachable) is answered 503 and no handler runs', async () => {
    const inst = await installTasks(addon as never, ROOM, hipchat);
    const before = seen.length;
    const remove = hipchat.faults.add({ target: 'api', fault: { kind: 'drop' } });
    try {
      const res = await post('/webhooks/events/room_created', envelope('room_created', inst.oauthId), jwtFor(inst, ROOM));
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 503, code: 'hipchat_unavailable' });
    } finally {
      remove();
    }
    expect(seen).toHaveLength(before);
  });

  it('declares one webhook per command and per handled event in the descriptor it serves', async () => {
    const descriptor = (await request(addon.url).get('/atlassian-connect.json').expect(200)).body;
    const hooks = descriptor.capabilities.webhook as Array<{ key: string; event: string; pattern?: string; url: string }>;
    expect(hooks).toContainEqual({ key: 'echo-command', name: '/echo command', event: 'room_message', pattern: '^/echo(\\s|$)', url: `${addon.url}/webhooks/echo`, authentication: 'jwt' });
    expect(hooks.filter((hook) => hook.url.includes('/webhooks/events/')).map((hook) => hook.event).sort()).toEqual(
      Object.keys(items).filter((event) => event !== 'room_archived').sort(),
    );
  });
});
