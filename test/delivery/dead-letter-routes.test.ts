import request from 'supertest';
import type { Emulator } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';

const ADMIN_TOKEN = 'admin-token-for-dead-letters';

describe('dead letters: list and replay (operators, admin token)', () => {
  let kit: TestKit;
  let hipchat: Emulator;
  let addon: RunningAddon;

  beforeAll(async () => {
    kit = await startTestKit({ env: { ADMIN_TOKEN } });
    ({ emulator: hipchat, addon } = kit);
  });
  afterAll(() => kit?.stop());

  it('refuses callers without the admin token', async () => {
    expect((await request(addon.url).get('/api/admin/dead-letters')).status).toBe(401);
    const wrong = await request(addon.url).get('/api/admin/dead-letters').set('authorization', 'Bearer not-the-admin-token');
    expect(wrong.status).toBe(401);
  });

  it("lists a call HipChat refused with its error message, and replays it on request", async () => {
    const room = hipchat.createRoom('Real');
    const installation = await hipchat.install(`${addon.url}/atlassian-connect.json`);
    // A room HipChat does not know: it answers 404, which is not retried but dead-lettered.
    const { deliveryId } = await addon.services.notifications.sendRoomNotification(
      { kind: 'installation', oauthId: installation.oauthId, roomId: room.id + 999 },
      { message: 'to nowhere' },
    );
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await eventually('the dead letter', async () => (await addon.services.notifications.getDelivery(deliveryId))?.state === 'failed');

    const listed = await request(addon.url).get('/api/admin/dead-letters').set(admin);
    expect(listed.status).toBe(200);
    const letter = listed.body.deadLetters.find((d: { id: string }) => d.id === deliveryId);
    expect(letter).toMatchObject({ state: 'failed', attempts: 1 });
    expect(letter.lastError).toMatch(/404|not found/i);
    expect(JSON.stringify(listed.body)).not.toContain(installation.oauthSecret);

    const callsBefore = hipchat.stats().apiRequests;
    const replayed = await request(addon.url).post(`/api/admin/dead-letters/${deliveryId}/replay`).set(admin);
    expect(replayed.status).toBe(202);
    await eventually('HipChat to be called again', () => hipchat.stats().apiRequests > callsBefore);
    await eventually('the replay to be dead-lettered again', async () => (await addon.services.notifications.getDelivery(deliveryId))?.state === 'failed');

    expect((await request(addon.url).post('/api/admin/dead-letters/not-a-uuid/replay').set(admin)).status).toBe(400);
    const unknown = await request(addon.url).post('/api/admin/dead-letters/00000000-0000-4000-8000-000000000000/replay').set(admin);
    expect(unknown.status).toBe(404);
  });
});
