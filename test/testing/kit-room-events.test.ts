import { defineModule, type EventContext } from '../../src/index';
import { startTestKit, type TestKit } from '../../src/testing';

/**
 * The kit's room events reach a module written on the public API alone: archive, unarchive, a file
 * upload, a notification, the room's deletion, and a room created as a person does (room_created and
 * room_deleted go to group-wide installations, so the module is installed globally).
 */
describe('test kit: every room event reaches a module', () => {
  const seen: Array<{ event: string; room: number; user?: string; detail?: string }> = [];
  const record = async (ctx: EventContext) => {
    const item = ctx.payload.item as { file?: { name: string }; message?: { message?: string } };
    const detail = item.file?.name ?? item.message?.message;
    seen.push({ event: ctx.event, room: ctx.room.id, ...(ctx.user ? { user: ctx.user.id } : {}), ...(detail ? { detail } : {}) });
  };
  const watcher = defineModule({
    key: 'watcher',
    // view_room: the core asks HipChat (GET /v2/room/{id}) to confirm archive, unarchive, create and delete events.
    descriptor: { scopes: ['send_notification', 'view_room'] },
    setup: () => ({
      events: {
        room_archived: record,
        room_unarchived: record,
        room_notification: record,
        room_deleted: record,
        room_created: record,
        room_file_upload: async (ctx) => {
          await record(ctx);
          await ctx.notify({ message: `Stored ${ctx.payload.item.file.name}`, message_format: 'text' });
        },
      },
    }),
  });
  let kit: TestKit;

  beforeAll(async () => {
    kit = await startTestKit({ modules: [watcher], addon: { key: 'io.example.watcher', name: 'Watcher' } });
    await kit.install();
  }, 60_000);
  afterAll(() => kit?.stop());
  beforeEach(() => seen.splice(0));

  it('room.events.notification, .uploadFile, .archive, .unarchive and .delete, each answered and each seen by the handler', async () => {
    const ada = kit.users.create({ name: 'Ada', admin: true });
    const room = kit.rooms.create('Ops');
    const user = String(ada.id);

    const notified = await room.events.notification('Build 42 passed', 'CI');
    expect(notified.webhooks).toEqual([expect.objectContaining({ status: 204 })]);
    expect(notified.notifications.map((item) => item.message)).toEqual(['Build 42 passed']);

    const uploaded = await room.events.uploadFile({ name: 'plan.pdf', size: 1024 }, ada);
    expect(uploaded.webhooks).toEqual([expect.objectContaining({ status: 204 })]);
    // The handler's notification went out through the add-on's outbox before the event resolved.
    expect(uploaded.reply?.message).toBe('Stored plan.pdf');

    expect((await room.events.archive(ada)).webhooks).toEqual([expect.objectContaining({ status: 204 })]);
    expect(room.model.is_archived).toBe(true);
    expect((await room.events.unarchive()).webhooks).toEqual([expect.objectContaining({ status: 204 })]);
    expect(room.model.is_archived).toBe(false);
    expect((await room.events.delete(ada)).webhooks).toEqual([expect.objectContaining({ status: 204 })]);
    expect(kit.emulator.rooms().some((each) => each.id === room.id)).toBe(false);

    expect(seen).toEqual([
      { event: 'room_notification', room: room.id, detail: 'Build 42 passed' },
      { event: 'room_file_upload', room: room.id, user, detail: 'plan.pdf' },
      { event: 'room_archived', room: room.id, user },
      // Nobody acted (as through HipChat's admin API): no sender, no user.
      { event: 'room_unarchived', room: room.id },
      { event: 'room_deleted', room: room.id, user },
    ]);
  });

  it('kit.rooms.createWithEvent makes `by` the owner and sends room_created', async () => {
    const olive = kit.users.create('Olive');
    const { room, webhooks } = await kit.rooms.createWithEvent({ name: 'Launch', topic: 'T-minus 3' }, { by: olive });
    expect(webhooks).toEqual([expect.objectContaining({ status: 204 })]);
    expect(room.model).toMatchObject({ name: 'Launch', topic: 'T-minus 3', ownerId: olive.id });
    expect(seen).toEqual([{ event: 'room_created', room: room.id, user: String(olive.id) }]);
  });
});
