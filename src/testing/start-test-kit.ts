import { startEmulator, type Emulator, type EmulatorOptions, type Installation, type UninstallResult, type User, type WebhookResult } from '../emulator';
import type { AddonIdentity } from '../hipchat/descriptor/compose-descriptor';
import type { AddonModule } from '../hipchat/modules/addon-module';
import type { RunningAddon } from '../runtime';
import type { Logger } from '../shared/logger';
import { hipChatSide, type HipChatSide } from './hipchat-side';
import { createKitDatabase, type KitDatabase, type KitDatabaseOption } from './kit-database';
import type { KitContext, SettleOptions } from './kit-context';
import { createKitRoom, type KitRoom } from './kit-room';
import { launchAddon } from './launch-addon';
import { openPage, type OpenedPage, type OpenPageOptions, type PageLike, type PageName } from './open-page';
import { waitForOutbox } from './wait-for-outbox';

export interface TestKitOptions {
  /** The add-on modules to run; without it, the built-in ones (Tasks and the gateway). */
  modules?: readonly AddonModule[];
  /** Who the add-on is (key, name…); without it, atlassian-connect.json at the project root. */
  addon?: AddonIdentity;
  /** Environment for the add-on's configuration (see .env.example), over the kit's test defaults. */
  env?: Record<string, string>;
  /** Default: a fresh PGlite in a temporary directory, or a fresh Postgres database if TEST_DATABASE_URL is set. */
  database?: KitDatabaseOption;
  /** Options for the emulated HipChat (limits, token lifetime, seed data). */
  emulator?: EmulatorOptions;
  /** Where the add-on serves its descriptor; default /atlassian-connect.json. */
  descriptorPath?: string;
  /** How long an action waits for the add-on's outbox to empty; default 5000 ms. */
  outboxTimeoutMs?: number;
  logger?: Logger;
}

export interface UserInput {
  name: string;
  mention?: string;
  /** A group admin (may configure add-ons in every room). */
  admin?: boolean;
}

export interface RoomInput {
  name: string;
  topic?: string;
  privacy?: 'public' | 'private';
  owner?: User;
}

export interface TestKit {
  readonly emulator: Emulator;
  readonly addon: RunningAddon;
  readonly database: KitDatabase;
  readonly users: { create(input: string | UserInput): User };
  readonly rooms: {
    /** A room that exists from the start (no webhook). */
    create(input: string | RoomInput): KitRoom;
    /**
     * A room created as a person does in HipChat (`by`, default an ordinary member, becomes its owner):
     * room_created goes to the group-wide installations; resolves once it settled.
     */
    createWithEvent(input: string | RoomInput, options?: { by?: User }): Promise<{ room: KitRoom; webhooks: WebhookResult[] }>;
  };
  /** Installs the add-on through HipChat's install flow, into `room` or (without one) for the whole group. */
  install(options?: { room?: { id: number } }): Promise<Installation>;
  /** Uninstalls as HipChat does (revokes the client, then tells the add-on); default the latest installation. */
  uninstall(installation?: Installation): Promise<UninstallResult>;
  /** A page of the add-on as HipChat framed it for `as` in `room`. */
  openPage<P extends PageLike>(name: PageName, options: OpenPageOptions<P>): Promise<OpenedPage<P>>;
  /** What HipChat received (history, glances, API and token requests), fault injection and limits. */
  readonly hipchat: HipChatSide;
  /** Waits until the add-on's outbox is empty (every queued call to HipChat answered). */
  settle(options?: SettleOptions): Promise<void>;
  /** Stops the add-on and the emulator, closes opened pages and drops the database. */
  stop(): Promise<void>;
}

/** An emulated HipChat and the add-on on loopback with a database of its own, ready for a test to drive. */
export async function startTestKit(options: TestKitOptions = {}): Promise<TestKit> {
  const database = await createKitDatabase(options.database);
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator(options.emulator);
    const addon = await launchAddon({ database, ...pick(options, 'env', 'logger', 'modules', 'addon') });
    return assembleKit(options, database, emulator, addon);
  } catch (error) {
    await emulator?.close();
    await database.drop();
    throw error;
  }
}

function pick<T extends object, K extends keyof T>(source: T, ...keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]])) as Partial<Pick<T, K>>;
}

function assembleKit(options: TestKitOptions, database: KitDatabase, emulator: Emulator, addon: RunningAddon): TestKit {
  const installations: Installation[] = [];
  const pages: PageLike[] = [];
  let member: User | undefined;
  const ctx: KitContext = {
    emulator,
    settle: (settle = {}) =>
      settle.waitForOutbox === false ? Promise.resolve() : waitForOutbox(addon.services.db, settle.outboxTimeoutMs ?? options.outboxTimeoutMs ?? 5000),
    installationFor: (roomId) => {
      const active = emulator.state.installationsForRoom(roomId);
      const found = active.find((each) => each.roomId === roomId) ?? active[active.length - 1];
      if (!found) throw new Error(`test kit: the add-on is not installed where room ${roomId} is; call kit.install() first`);
      return found;
    },
    defaultUser: () => (member ??= emulator.createUser({ name: 'Test Member', mention_name: 'member' })),
    trackPage: (page) => pages.push(page),
  };
  let stopping: Promise<void> | undefined;
  return {
    emulator,
    addon,
    database,
    users: {
      create: (input) => {
        const user = typeof input === 'string' ? { name: input } : input;
        return emulator.createUser({ name: user.name, ...(user.mention ? { mention_name: user.mention } : {}), is_group_admin: user.admin ?? false });
      },
    },
    rooms: {
      create: (input) => createKitRoom(ctx, emulator.createRoom(roomFields(input))),
      async createWithEvent(input, createOptions = {}) {
        const { room, webhooks } = await emulator.createRoomWithEvent(roomFields(input), (createOptions.by ?? ctx.defaultUser()).id);
        await ctx.settle();
        return { room: createKitRoom(ctx, room), webhooks };
      },
    },
    async install(installOptions = {}) {
      const url = new URL(options.descriptorPath ?? '/atlassian-connect.json', addon.url).toString();
      const installation = await emulator.install(url, installOptions.room ? { roomId: installOptions.room.id } : {});
      installations.push(installation);
      return installation;
    },
    async uninstall(installation = installations[installations.length - 1]) {
      if (!installation) throw new Error('test kit: nothing to uninstall; call kit.install() first');
      return emulator.uninstall(installation.oauthId);
    },
    openPage: (name, pageOptions) => openPage(emulator, ctx.installationFor(pageOptions.room.id).oauthId, name, pageOptions, ctx.trackPage),
    hipchat: hipChatSide(emulator),
    settle: ctx.settle,
    stop: () => (stopping ??= stopAll(pages, addon, emulator, database)),
  };
}

function roomFields(input: string | RoomInput): { name: string; topic?: string; privacy?: 'public' | 'private'; ownerId?: number } {
  const { owner, ...rest } = typeof input === 'string' ? { name: input } : input;
  return { ...rest, ...(owner ? { ownerId: owner.id } : {}) };
}

/** Everything is closed even when one part fails to; the first failure is reported. */
async function stopAll(pages: PageLike[], addon: RunningAddon, emulator: Emulator, database: KitDatabase): Promise<void> {
  const results = await Promise.allSettled(pages.map((page) => page.close()));
  results.push(...(await Promise.allSettled([addon.stop()])));
  results.push(...(await Promise.allSettled([emulator.close()])));
  results.push(...(await Promise.allSettled([database.drop()])));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}
