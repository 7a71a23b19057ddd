import { HttpError } from '../../src/shared/errors';
import type { EmulatedHipChat } from '../helpers/hipchat-emulator';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { install, messagesIn, openStack, pendingCount, room, startHipChat, waitFor, type Stack } from './delivery-harness';

describe('outbox delivery against the emulator', () => {
  let database: TestDatabase;
  let stack: Stack;
  let hipchat: EmulatedHipChat;

  beforeAll(async () => {
    hipchat = await startHipChat();
    database = await createTestDatabase();
    stack = await openStack(database);
  });
  afterAll(async () => {
    await stack.close();
    await hipchat.close();
    await database.drop();
  });

  it('delivers a room notification to {apiUrl}room/{id}/notification with a bearer token', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const { deliveryId } = await stack.notifications.sendRoomNotification(room(oauthId, 11), {
      message: 'hello',
      color: 'green',
    });
    expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(async () => (await stack.notifications.getDelivery(deliveryId))?.state === 'delivered');
    const got = hipchat.received().find((r) => r.roomId === 11);
    expect(got).toMatchObject({ method: 'POST', path: '/v2/room/11/notification', body: { message: 'hello', color: 'green' } });
    const delivery = await stack.notifications.getDelivery(deliveryId);
    expect(delivery).toMatchObject({ attempts: 1, lastError: null, deliveredAt: expect.any(Date) });
  });

  it('sends messages, glances and webhook changes to their endpoints (no "//" in any URL)', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const target = room(oauthId, 12);
    await stack.notifications.sendRoomMessage(target, { message: 'as the add-on' });
    const glance = await stack.notifications.updateRoomGlance(target, [
      { key: 'tasks.glance', content: { label: { type: 'html', value: '<b>3</b> tasks' } } },
    ]);
    await stack.notifications.createRoomWebhook(target, 'hook-1', { url: 'https://addon.example/hook', event: 'room_message' });
    const last = await stack.notifications.deleteRoomWebhook(target, 'hook-1');
    await waitFor(async () => (await stack.notifications.getDelivery(last.deliveryId))?.state === 'delivered');
    await waitFor(async () => (await stack.notifications.getDelivery(glance.deliveryId))?.state === 'delivered');
    const calls = hipchat.received().filter((r) => r.roomId === 12).map((r) => `${r.method} ${r.path}`);
    // The glance has a queue of its own (it never waits behind messages); the rest keep their order.
    expect(calls.filter((call) => !call.includes('/addon/ui/'))).toEqual([
      'POST /v2/room/12/message',
      'PUT /v2/room/12/extension/webhook/hook-1',
      'DELETE /v2/room/12/extension/webhook/hook-1',
    ]);
    expect(calls.filter((call) => call.includes('/addon/ui/'))).toEqual(['POST /v2/addon/ui/room/12']);
  });

  it('keeps each room in order while many rooms are delivered at once', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const rooms = [21, 22, 23, 24, 25];
    for (let i = 0; i < 20; i++) {
      await Promise.all(rooms.map((r) => stack.notifications.sendRoomNotification(room(oauthId, r), { message: `m${i}` })));
    }
    await waitFor(async () => (await pendingCount(stack.db)) === 0);
    const expected = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const r of rooms) expect(messagesIn(hipchat, r)).toEqual(expected);
  });

  it('dead-letters a 400 with HipChat\'s message, moves on in the room, and replays it on request', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    hipchat.failNext(1, 400, 'Message body is not valid');
    const first = await stack.notifications.sendRoomNotification(room(oauthId, 31), { message: 'refused' });
    const second = await stack.notifications.sendRoomNotification(room(oauthId, 31), { message: 'after' });
    await waitFor(async () => (await stack.notifications.getDelivery(second.deliveryId))?.state === 'delivered');
    const failed = await stack.notifications.getDelivery(first.deliveryId);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed?.lastError).toContain('Message body is not valid');
    const dead = await stack.notifications.listDeadLetters();
    expect(dead.map((d) => d.id)).toContain(first.deliveryId);
    expect(dead.find((d) => d.id === first.deliveryId)).toMatchObject({ operation: 'room_notification', target: { roomId: 31 } });

    await stack.notifications.replay(first.deliveryId);
    await waitFor(async () => (await stack.notifications.getDelivery(first.deliveryId))?.state === 'delivered');
    expect(messagesIn(hipchat, 31)).toEqual(['after', 'refused']);
    await expect(stack.notifications.replay(first.deliveryId)).rejects.toMatchObject({ status: 404 });
  });

  it('does not retry 403 or 404 either', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    hipchat.failNext(1, 403, 'Forbidden: missing scope');
    const { deliveryId } = await stack.notifications.sendRoomNotification(room(oauthId, 32), { message: 'x' });
    await waitFor(async () => (await stack.notifications.getDelivery(deliveryId))?.state === 'failed');
    expect((await stack.notifications.getDelivery(deliveryId))?.attempts).toBe(1);
  });

  it('on a 401 fetches a new token and resends once', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const warm = await stack.notifications.sendRoomNotification(room(oauthId, 41), { message: 'warm' });
    await waitFor(async () => (await stack.notifications.getDelivery(warm.deliveryId))?.state === 'delivered');
    const before = hipchat.tokenRequestsFor(oauthId);
    // HipChat no longer accepts the token the add-on holds: its next call is refused 401.
    hipchat.failNext(1, 401, 'Invalid OAuth session');
    const { deliveryId } = await stack.notifications.sendRoomNotification(room(oauthId, 41), { message: 'after revoke' });
    await waitFor(async () => (await stack.notifications.getDelivery(deliveryId))?.state === 'delivered');
    expect(hipchat.tokenRequestsFor(oauthId)).toBe(before + 1);
    expect(messagesIn(hipchat, 41)).toEqual(['warm', 'after revoke']);
  });

  it('dead-letters when HipChat answers 401 again with the new token', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    hipchat.failNext(2, 401, 'Invalid OAuth session');
    const { deliveryId } = await stack.notifications.sendRoomNotification(room(oauthId, 42), { message: 'x' });
    await waitFor(async () => (await stack.notifications.getDelivery(deliveryId))?.state === 'failed');
    expect((await stack.notifications.getDelivery(deliveryId))?.lastError).toContain('Invalid OAuth session');
  });

  it('survives HipChat being down (connection refused, then 5xx) and delivers everything in order', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const warm = await stack.notifications.sendRoomNotification(room(oauthId, 51), { message: 'm0' });
    await waitFor(async () => (await stack.notifications.getDelivery(warm.deliveryId))?.state === 'delivered');
    const retried: string[] = [];
    stack.events.on('retried', (event) => retried.push(event.error));
    await hipchat.goOffline();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      for (const r of [51, 52]) ids.push((await stack.notifications.sendRoomNotification(room(oauthId, r), { message: `m${i}` })).deliveryId);
    }
    await waitFor(() => retried.some((e) => e.includes('ECONNREFUSED')), 8_000, 'a refused connection');
    hipchat.failNext(3, 503, 'Service Unavailable');
    await hipchat.goOnline();
    await waitFor(async () => {
      const all = await Promise.all(ids.map((id) => stack.notifications.getDelivery(id)));
      return all.every((d) => d?.state === 'delivered');
    });
    expect(retried.some((e) => e.includes('503'))).toBe(true);
    expect(messagesIn(hipchat, 51)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(messagesIn(hipchat, 52)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('queues within the caller\'s transaction: rolled back → nothing sent, committed → sent', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    await expect(
      stack.db.transaction(async (tx) => {
        await stack.notifications.sendRoomNotification(room(oauthId, 61), { message: 'rolled back' }, { tx });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const committed = await stack.db.transaction((tx) =>
      stack.notifications.sendRoomNotification(room(oauthId, 61), { message: 'committed' }, { tx }),
    );
    await waitFor(async () => (await stack.notifications.getDelivery(committed.deliveryId))?.state === 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messagesIn(hipchat, 61)).toEqual(['committed']);
  });

  it('refuses an invalid payload at once with a 400 naming the field, queuing nothing', async () => {
    const { oauthId } = await install(hipchat, stack.installations);
    const before = await stack.db.query('SELECT id FROM outbox');
    const attempt = stack.notifications.sendRoomNotification(room(oauthId, 71), { message: 'x', color: 'blue' as 'red' });
    await expect(attempt).rejects.toBeInstanceOf(HttpError);
    await expect(attempt).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^color/) });
    await expect(
      stack.notifications.updateRoomGlance(room(oauthId, 71), [{ key: 'bad key!', content: { label: { type: 'html', value: 'x' } } }]),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^0\.key/) });
    await expect(stack.notifications.sendRoomNotification(room(oauthId, 0), { message: 'x' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^roomId/),
    });
    expect((await stack.db.query('SELECT id FROM outbox')).rowCount).toBe(before.rowCount);
  });

  it('answers 404 for an unknown installation, and an uninstall removes pending work', async () => {
    await expect(
      stack.notifications.sendRoomNotification(room('00000000-0000-4000-8000-000000000000', 1), { message: 'x' }),
    ).rejects.toMatchObject({ status: 404 });
    const { oauthId } = await install(hipchat, stack.installations);
    await stack.task.stop();
    try {
      await stack.notifications.sendRoomNotification(room(oauthId, 81), { message: 'never' });
      await stack.installations.delete(oauthId);
      const { rows } = await stack.db.query('SELECT id FROM outbox WHERE oauth_id = $1', [oauthId]);
      expect(rows).toHaveLength(0);
    } finally {
      await stack.task.start();
    }
  });
});
