import { startTestAddon, type TestAddon } from '../helpers/test-addon';
import { command, glancePushes, installTasks } from './tasks-fixtures';
import type { NewInstallation } from '../../src/hipchat/installations/installation';

let addon: TestAddon;
let inst: NewInstallation;
let room = 100;

beforeAll(async () => {
  addon = await startTestAddon();
  inst = await installTasks(addon);
});
afterAll(() => addon.destroy());
// Each test gets a fresh room of the same global installation.
beforeEach(() => {
  room += 1;
});

describe('/task command (webhook)', () => {
  it('adds a task, numbers it and replies as a non-notifying room notification', async () => {
    const reply = await command(addon, inst, room, '/task add Write the docs');
    expect(reply).toEqual({ message: 'Added #1: Write the docs', message_format: 'html', color: 'yellow', notify: false });
    expect((await command(addon, inst, room, '/task add Review')).message).toBe('Added #2: Review');
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([1, 2]);
  });

  it('lists open tasks, and all with "list all"', async () => {
    await command(addon, inst, room, '/task add One');
    await command(addon, inst, room, '/task add Two');
    await command(addon, inst, room, '/task done 1');
    expect((await command(addon, inst, room, '/task list')).message).toBe('<b>Open tasks</b> (1)<br><b>#2</b> Two');
    expect((await command(addon, inst, room, '/task list all')).message).toBe(
      '<b>Tasks</b> (1 open, 1 done)<br><b>#2</b> Two<br><b>#1</b> <i>One</i> (done)',
    );
  });

  it('says so when there is nothing to list', async () => {
    expect((await command(addon, inst, room, '/task list')).message).toBe('No open tasks. 🎉');
  });

  it('marks done and undoes, pushing the glance each time', async () => {
    await command(addon, inst, room, '/task add Ship it');
    expect((await command(addon, inst, room, '/task done #1')).message).toBe('Done: <b>#1</b> <i>Ship it</i> (done)');
    expect((await command(addon, inst, room, '/task done 1')).message).toBe('#1 is already done: Ship it');
    expect((await command(addon, inst, room, '/task undo 1')).message).toBe('Reopened: <b>#1</b> Ship it');
    // add, done, undo pushed; the repeated done changed nothing and pushed nothing.
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([1, 0, 1]);
  });

  it('deletes without ever reusing the number', async () => {
    await command(addon, inst, room, '/task add First');
    await command(addon, inst, room, '/task add Second');
    expect((await command(addon, inst, room, '/task delete 2')).message).toBe('Deleted #2: Second');
    expect((await command(addon, inst, room, '/task add Third')).message).toBe('Added #3: Third');
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([1, 2, 1, 2]);
  });

  it('assigns to a mention and pushes', async () => {
    await command(addon, inst, room, '/task add Fix the build');
    expect((await command(addon, inst, room, '/task assign 1 @grace')).message).toBe('Assigned: <b>#1</b> Fix the build → @grace');
    expect((await command(addon, inst, room, '/task list')).message).toContain('→ @grace');
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([1, 1]);
  });

  it.each(['done 7', 'undo 7', 'delete 7', 'assign 7 @ada'])('answers /task %s for an unknown number in red', async (args) => {
    await command(addon, inst, room, '/task add Only one');
    const reply = await command(addon, inst, room, `/task ${args}`);
    expect(reply).toMatchObject({ message: 'There is no task #7 in this room.', color: 'red', notify: false });
  });

  it('answers bad arguments with the usage, in red, and changes nothing', async () => {
    expect(await command(addon, inst, room, '/task done abc')).toMatchObject({
      message: '&quot;abc&quot; is not a task number. Usage: <code>/task done &lt;number&gt;</code>',
      color: 'red',
    });
    expect((await command(addon, inst, room, '/task add')).message).toContain('The task text is empty.');
    expect((await command(addon, inst, room, `/task add ${'y'.repeat(501)}`)).message).toBe(
      'The task text is too long (501 characters; at most 500). Usage: <code>/task add &lt;text&gt;</code>',
    );
    expect((await command(addon, inst, room, '/task assign 1 @all')).color).toBe('red');
    expect(await glancePushes(addon, inst.oauthId, room)).toEqual([]);
  });

  it('answers help to /task help, /task and unknown sub-commands', async () => {
    for (const text of ['/task help', '/task', '/task frobnicate']) {
      const reply = await command(addon, inst, room, text);
      expect(reply.message).toContain('<code>/task add &lt;text&gt;</code>');
      expect(reply.message).toContain('<code>/task assign &lt;number&gt; @mention</code>');
    }
  });
});
