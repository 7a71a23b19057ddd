import fs from 'node:fs';
import { startTestKit, type TestKit } from '../../src/testing';

const refused = (url: string) => fetch(url).then(() => false, () => true);

describe('test kit: HipChat misbehaving, limits, teardown', () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestKit({ outboxTimeoutMs: 1500 });
  });
  afterAll(() => kit?.stop());

  it('fails clearly when what the add-on queued for HipChat cannot be delivered, and settles once HipChat is back', async () => {
    const room = kit.rooms.create('Dev');
    await kit.install({ room });
    await kit.emulator.goOffline(); // HipChat's API is unreachable; its webhooks still reach the add-on
    await expect(room.say('/task add milk')).rejects.toThrow(/outbox still had calls for HipChat pending after 1500 ms:\n {2}room_glance /);
    const unsettled = await room.say('/task add eggs', { waitForOutbox: false });
    expect(unsettled.reply?.message).toBe('Added #2: eggs');
    await kit.emulator.goOnline();
    await kit.settle({ outboxTimeoutMs: 20_000 });
    expect((await room.glance('tasks')).content.label.value).toBe('<b>2</b> open tasks');
  });

  it("sets HipChat's rate limits", () => {
    kit.hipchat.setLimits({ floodControl: { limit: 2, windowMs: 60_000 } });
    expect(kit.emulator.limits.floodControl).toMatchObject({ limit: 2, windowMs: 60_000 });
  });

  it('a 429 from HipChat injected through the kit: the outbox retries and the glance still arrives', async () => {
    const room = kit.rooms.create('Ops');
    const installation = await kit.install({ room });
    await kit.settle();
    kit.emulator.clearRequests();
    // As HipChat answered a 429: its rate-limit headers say the window is spent until a second from now.
    const spent = (nowMs: number) => ({
      'X-Ratelimit-Limit': '100',
      'X-Ratelimit-Remaining': '0',
      'X-Ratelimit-Reset': String((nowMs + 1000) / 1000),
      'Retry-After': '1',
    });
    const remove = kit.hipchat.faults.add({ target: 'api', times: 1, fault: { kind: 'status', status: 429, headers: spent } });
    await room.say('/task add retry me', { outboxTimeoutMs: 20_000 });
    remove();
    const calls = kit.hipchat.requests().filter((request) => request.target === 'api' && request.oauthId === installation.oauthId);
    expect(calls.map((request) => request.status)).toEqual([429, 204]);
    expect(calls[0]).toMatchObject({ fault: 'status', path: calls[1]?.path });
    expect(kit.hipchat.glance(installation.oauthId, room, 'tasks')?.content).toMatchObject({ label: { value: '<b>1</b> open task' } });
  });

  it('an outage injected through the kit (every call answered 503) holds the outbox until the fault is removed', async () => {
    const room = kit.rooms.create('Outage');
    await kit.install({ room });
    const remove = kit.hipchat.faults.add({ target: 'all', fault: { kind: 'status', status: 503 } });
    try {
      await expect(room.say('/task add during the outage')).rejects.toThrow(/outbox still had calls for HipChat pending after 1500 ms/);
      expect(kit.hipchat.requests().some((request) => request.status === 503 && request.fault === 'status')).toBe(true);
    } finally {
      remove();
    }
    await kit.settle({ outboxTimeoutMs: 20_000 });
    expect((await room.glance('tasks')).content.label.value).toBe('<b>1</b> open task');
    kit.hipchat.faults.clear();
  });

  it('stop() closes the add-on and the emulator and removes the database', async () => {
    const other = await startTestKit();
    const { addon, emulator, database } = other;
    await other.stop();
    expect(await refused(`${addon.url}/healthz`)).toBe(true);
    expect(await refused(`${emulator.url}/v2/capabilities`)).toBe(true);
    if (database.databaseUrl === undefined) expect(fs.existsSync(database.pgliteDir)).toBe(false);
    await other.stop(); // twice is harmless
  });
});
