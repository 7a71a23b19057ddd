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

  const hasFaults = (emulator: object) => 'faults' in emulator;
  it('injects faults through the emulator (once it has fault injection)', async () => {
    if (!hasFaults(kit.emulator)) {
      expect(() => kit.hipchat.faults).toThrow(/this emulator has no faults/);
      return;
    }
    const room = kit.rooms.create('Ops');
    await kit.install({ room });
    const remove = kit.hipchat.faults.add({ target: 'api', times: 1, fault: { kind: 'status', status: 429 } });
    await room.say('/task add retry me', { outboxTimeoutMs: 20_000 });
    remove();
    expect(kit.hipchat.requests().filter((request) => request.status === 429)).toHaveLength(1);
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
