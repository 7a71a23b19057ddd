import { startTestKit, type TestKit } from '../../src/testing';
import { startFakeAddon, type FakeAddon } from '../emulator/helpers/start-fake-addon';

/** The test kit drives the real Tasks add-on through the emulator, over real HTTP, on a real database. */
describe('test kit: say, glance, room events', () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestKit();
  });
  afterAll(() => kit?.stop());

  it('a command said in the room resolves to the reply and to what the outbox delivered', async () => {
    const ada = kit.users.create({ name: 'Ada', admin: true });
    const room = kit.rooms.create('Dev');
    const installation = await kit.install({ room });
    expect(installation.roomId).toBe(room.id);

    const said = await room.say('/task add milk', { as: ada });
    expect(said.message).toMatchObject({ type: 'message', message: '/task add milk', from: { id: ada.id } });
    expect(said.webhooks).toEqual([expect.objectContaining({ status: 200, oauthId: installation.oauthId })]);
    expect(said.reply?.message).toBe('Added #1: milk');
    expect(said.appeared).toEqual([said.message, said.reply]);
    // The glance update went through the add-on's outbox; say() waited for it.
    expect(kit.hipchat.glance(installation.oauthId, room, 'tasks')).toMatchObject({ source: 'push' });
    expect(await room.glance('tasks')).toMatchObject({ source: 'push', content: { label: { value: '<b>1</b> open task' } } });
  });

  it('a user without `as` is an ordinary member, and a global installation reaches every room', async () => {
    const installation = await kit.install();
    const [first, second] = [kit.rooms.create('One'), kit.rooms.create('Two')];
    expect((await first.say('/task add a')).reply?.message).toBe('Added #1: a');
    expect((await second.say('/task add b')).reply?.message).toBe('Added #1: b');
    expect(first.notifications().map((item) => item.message)).toEqual(['Added #1: a']);
    expect(kit.hipchat.tokenRequests()[installation.oauthId]).toBeGreaterThan(0);
    await kit.uninstall(installation);
  });

  it('a message no webhook matches appears alone', async () => {
    const room = kit.rooms.create('Quiet');
    await kit.install({ room });
    const said = await room.say('just chatting');
    expect(said).toMatchObject({ webhooks: [], notifications: [], reply: undefined });
    expect(said.appeared).toEqual([said.message]);
  });

  describe('room events', () => {
    let listener: FakeAddon;
    beforeAll(async () => {
      listener = await startFakeAddon();
      const hook = (event: string) => ({ key: event, event, url: `${listener.url}/webhooks/task`, authentication: 'jwt' });
      listener.descriptor.capabilities.webhook = [hook('room_enter'), hook('room_exit'), hook('room_topic_change')];
    });
    afterAll(() => listener?.close());

    it('enter, exit and topic send their webhooks, signed, to every add-on in the room', async () => {
      const room = kit.rooms.create('Lobby');
      const grace = kit.users.create('Grace');
      await kit.emulator.install(listener.descriptorUrl, { roomId: room.id });

      expect((await room.events.enter(grace)).webhooks).toEqual([expect.objectContaining({ webhookKey: 'room_enter', status: 200 })]);
      expect((await room.events.topic('Release day', grace)).webhooks).toEqual([expect.objectContaining({ webhookKey: 'room_topic_change' })]);
      expect((await room.events.exit(grace)).webhooks).toEqual([expect.objectContaining({ webhookKey: 'room_exit' })]);
      expect(room.model.topic).toBe('Release day');
      const received = listener.received('/webhooks/task');
      expect(received.map((request) => (request.body as { event: string }).event)).toEqual(['room_enter', 'room_topic_change', 'room_exit']);
      expect(received.every((request) => String(request.headers.authorization).startsWith('JWT '))).toBe(true);
    });
  });
});
