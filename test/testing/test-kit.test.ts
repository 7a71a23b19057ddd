import { startTestKit, type TestKit } from '../../src/testing';

/** The test kit drives the real Tasks add-on through the emulator, over real HTTP, on a real database. */
describe('test kit: say, glance, room events', () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestKit();
  });
  afterAll(() => kit?.stop());

  it('a command said in the room resolves to the reply and what the outbox delivered', async () => {
    const ada = kit.users.create({ name: 'Ada', admin: true });
    const room = kit.rooms.create('Dev');
    await kit.install({ room });

    const said = await room.say('/task add milk', { as: ada });
    expect(said.message).toMatchObject({ type: 'message', message: '/task add milk' });
    expect(said.webhooks).toEqual([expect.objectContaining({ status: 200 })]);
    expect(said.reply?.message).toBe('Added #1: milk');
    expect(said.appeared[0]).toBe(said.message);

    const glance = await room.glance('tasks');
    expect(glance.content.label.value).toBe('<b>1</b> open task');
  });
});
