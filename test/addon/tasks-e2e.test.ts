import type { Emulator, Room, User } from '../../src/emulator';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';

/** Polls until `condition` holds; fails with `what` after a few seconds. */
async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Tasks end to end: the real add-on installed into the HipChat emulator, driven as a room user would. */
describe('Tasks through the HipChat emulator', () => {
  let kit: TestKit;
  let emulator: Emulator;
  let addon: RunningAddon;
  let room: Room;
  let otherRoom: Room;
  let ada: User;

  beforeAll(async () => {
    kit = await startTestKit({ emulator: { host: '127.0.0.1' }, env: { HIPCHAT_ALLOWED_HOSTS: '127.0.0.1' } });
    ({ emulator, addon } = kit);
    room = emulator.createRoom('Dev');
    otherRoom = emulator.createRoom('Ops');
    // Ada configures the add-on in the second test: HipChat says she is a group admin.
    ada = emulator.createUser({ name: 'Ada', mention_name: 'ada', is_group_admin: true });
  });
  afterAll(() => kit?.stop());

  it('install → /task add → reply in the room → glance pushed, rooms kept apart → uninstall removes the tasks', async () => {
    const installation = await emulator.install(`${addon.url}/atlassian-connect.json`);
    const pushed = (roomId: number) => emulator.getGlance(installation.oauthId, roomId, 'tasks');

    const { webhooks } = await emulator.postMessage(room.id, ada.id, '/task add Write <b>docs</b>');
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]).toMatchObject({ status: 200, oauthId: installation.oauthId });
    expect(webhooks[0]?.replyError).toBeUndefined();
    const reply = await emulator.waitForHistory(room.id, (item) => item.type === 'notification');
    expect(reply).toMatchObject({ message: 'Added #1: Write &lt;b&gt;docs&lt;/b&gt;', message_format: 'html', notify: false });

    // The glance update went through the outbox and HipChat's REST API.
    await eventually('the glance push', () => pushed(room.id)?.source === 'push');
    expect(pushed(room.id)?.content).toMatchObject({ label: { value: '<b>1</b> open task' }, metadata: { openCount: 1 } });

    // HipChat's own query of the glance agrees.
    const queried = await emulator.queryGlance(installation.oauthId, room.id, ada.id, 'tasks');
    expect(queried.content.label.value).toBe('<b>1</b> open task');

    // Another room of the same global installation has its own list and numbers.
    await emulator.postMessage(otherRoom.id, ada.id, '/task add Rotate keys');
    const otherReply = await emulator.waitForHistory(otherRoom.id, (item) => item.type === 'notification');
    expect(otherReply.message).toBe('Added #1: Rotate keys');

    await emulator.postMessage(room.id, ada.id, '/task done 1');
    await emulator.waitForHistory(room.id, (item) => item.type === 'notification' && item.message.startsWith('Done:'));
    await eventually('the glance to drop to 0', () => pushed(room.id)?.content.label.value === '<b>0</b> open tasks');

    // The sidebar as HipChat frames it (signed URL) shows the room's tasks.
    await emulator.postMessage(room.id, ada.id, '/task add Sidebar <i>check</i>');
    const sidebarUrl = emulator.signedUrl(installation.oauthId, { kind: 'webPanel', key: 'tasks-sidebar', roomId: room.id, userId: ada.id });
    const sidebar = await fetch(sidebarUrl);
    expect(sidebar.status).toBe(200);
    const html = await sidebar.text();
    expect(html).toContain('Sidebar &lt;i&gt;check&lt;/i&gt;');
    expect(html).not.toContain('Rotate keys');
    expect(html).toContain(`<script src="${emulator.url}/atlassian-connect/all.js"></script>`);

    await emulator.uninstall(installation.oauthId);
    await eventually('the installation to be removed', async () => !(await addon.services.installations.get(installation.oauthId)));
    const { rows } = await addon.services.db.query('SELECT 1 FROM tasks WHERE list_owner = $1', [installation.oauthId]);
    expect(rows).toHaveLength(0);
  });

  it('announces new tasks in the room when the configuration says so', async () => {
    const installation = await emulator.install(`${addon.url}/atlassian-connect.json`, { roomId: room.id });
    const token = emulator.mintJwt(installation.oauthId, { userId: ada.id, roomId: room.id });
    const saved = await fetch(`${addon.url}/api/settings`, {
      method: 'PUT',
      headers: { Authorization: `JWT ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ announceNewTasks: true, color: 'green' }),
    });
    expect(saved.status).toBe(200);

    // Each change takes a fresh token, as the pages get one from HipChat.auth.withToken.
    const fresh = emulator.mintJwt(installation.oauthId, { userId: ada.id, roomId: room.id });
    const created = await fetch(`${addon.url}/api/tasks`, {
      method: 'POST',
      headers: { Authorization: `JWT ${fresh}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'From the dialog' }),
    });
    expect(created.status).toBe(201);
    const announcement = await emulator.waitForHistory(
      room.id,
      (item) => item.type === 'notification' && item.message.includes('From the dialog'),
    );
    expect(announcement).toMatchObject({ message: '<b>New task #1</b>: From the dialog', color: 'green', notify: true });
    await emulator.uninstall(installation.oauthId);
  });
});
