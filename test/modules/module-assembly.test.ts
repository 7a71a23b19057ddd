import { tasksModule } from '../../src/addon/tasks-module';
import { assembleModules } from '../../src/hipchat/modules/assemble-modules';
import { defineModule, type AddonModule } from '../../src/hipchat/modules/addon-module';
import { CommandRegistry } from '../../src/hipchat/modules/command-registry';
import type { ModuleServices } from '../../src/hipchat/modules/module-services';
import { startAddon } from '../../src/runtime';
import { testConfig } from '../helpers/test-config';
import { createTestDatabase } from '../helpers/test-database';

const noCore = () => ({}) as ModuleServices;
const assemble = (modules: AddonModule[]) => assembleModules(modules, noCore, new CommandRegistry());
const withCommand = (key: string, command: string) => defineModule({ key, setup: () => ({ commands: { [command]: () => 'ok' } }) });

describe('putting modules together stops start-up with one clear line', () => {
  it('on two modules with one key', async () => {
    await expect(assemble([withCommand('poll', '/poll'), withCommand('poll', '/vote')])).rejects.toThrow(/^Two modules have the key "poll"$/);
  });

  it('on one command registered twice', async () => {
    await expect(assemble([withCommand('a', '/poll'), withCommand('b', '/poll')])).rejects.toThrow(/^The command \/poll is registered by modules "a" and "b"$/);
  });

  it('on two handlers claiming one pattern (a module pattern equal to a command\'s)', async () => {
    const pattern = defineModule({ key: 'b', setup: () => ({ patterns: [{ key: 'b-poll', pattern: '^/poll(\\s|$)', handler: () => 'b' }] }) });
    await expect(assemble([withCommand('a', '/poll'), pattern])).rejects.toThrow(/^Two handlers claim the pattern \^\/poll\(\\s\|\$\): module "a" \(\/poll\) and module "b" \(b-poll\)$/);
  });

  it('on two descriptor entries with one key, and on two configuration pages', async () => {
    const glance = (key: string) => defineModule({ key, descriptor: { glances: [{ key: 'shared', name: { value: 'S' }, queryUrl: '/g' }] } });
    await expect(assemble([glance('a'), glance('b')])).rejects.toThrow(/^Two glance entries have the key "shared"$/);
    const page = (key: string) => defineModule({ key, descriptor: { configurable: { url: `/${key}` } } });
    await expect(assemble([page('a'), page('b')])).rejects.toThrow(/^Modules "a" and "b" both declare the configurable page/);
  });

  it('on a module key or command HipChat could not take', () => {
    expect(() => defineModule({ key: 'Not OK' })).toThrow(/^Module key "Not OK" must be/);
    return expect(assemble([withCommand('a', 'poll')])).rejects.toThrow(/a command is "\/" and 1–30/);
  });

  it('on a sealed column whose names are not plain SQL names, or without key columns', () => {
    const sealing = (table: string, key: string[]) => () => defineModule({ key: 'vault', sealedColumns: [{ table, column: 'secret', key }] });
    expect(sealing('vault_items; DROP TABLE installations', ['id'])).toThrow(/^Module "vault" declares the sealed column "vault_items; DROP TABLE installations\.secret" \(key: id\): names must be lower-case SQL names/);
    expect(sealing('vault_items', [])).toThrow(/\(key: none\): names must be lower-case SQL names, with at least one key column$/);
    expect(sealing('vault_items', ['id'])).not.toThrow();
  });

  it('otherwise declares one webhook per command and per handled event, and serves glances without queryUrl at /glance/<key>', async () => {
    const module = defineModule({
      key: 'standup',
      descriptor: { glances: [{ key: 'standup', name: { value: 'Stand-up' } }] },
      setup: () => ({ commands: { '/standup': () => 'ok' }, events: { room_enter: () => undefined }, glances: { standup: () => ({ label: { type: 'html', value: 'x' } }) } }),
    });
    const assembled = await assemble([module]);
    expect(assembled.capabilities.webhook).toEqual([
      { key: 'standup-command', name: '/standup command', event: 'room_message', pattern: '^/standup(\\s|$)', url: '/webhooks/standup', authentication: 'jwt' },
      { key: 'event.room_enter', name: 'room_enter', event: 'room_enter', url: '/webhooks/events/room_enter', authentication: 'jwt' },
    ]);
    expect(assembled.capabilities.glance).toEqual([{ key: 'standup', name: { value: 'Stand-up' }, queryUrl: '/glance/standup' }]);
  });
});

describe('start-up refuses a module that handles a room state event without view_room', () => {
  it('stops with one line naming the events and the scope (the listener confirms them with GET /v2/room/{id})', async () => {
    const database = await createTestDatabase();
    try {
      const archive = defineModule({ key: 'archive', descriptor: { scopes: ['send_notification'] }, setup: () => ({ events: { room_archived: () => undefined } }) });
      await expect(startAddon(testConfig(database), { modules: [archive], addon: { key: 'io.example.archive', name: 'Archive' } })).rejects.toThrow(
        /^A module handles room_archived, which HipChat must confirm: add the view_room scope to its descriptor$/,
      );
      const withScope = defineModule({ key: 'archive', descriptor: { scopes: ['view_room'] }, setup: () => ({ events: { room_archived: () => undefined } }) });
      const running = await startAddon(testConfig(database), { modules: [withScope], addon: { key: 'io.example.archive', name: 'Archive' } });
      await running.stop();
    } finally {
      await database.drop();
    }
  });
});

describe("start-up refuses modules whose migrations need another module's tables it was not given first", () => {
  it('stops with one line naming the module to list first (Tasks references gateway_connections)', async () => {
    const database = await createTestDatabase();
    try {
      await expect(startAddon(testConfig(database), { modules: [tasksModule()] })).rejects.toThrow(
        /^The "tasks" module's migrations build on the "gateway" module's tables, and no "gateway" module is given$/,
      );
    } finally {
      await database.drop();
    }
  });
});
