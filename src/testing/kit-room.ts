import type { HistoryItem, Room, StoredGlance, User } from '../emulator';
import type { KitContext, SettleOptions } from './kit-context';
import { openPage, type OpenedPage, type OpenPageOptions, type PageLike, type PageName } from './open-page';
import { recordActivity, type RoomActivity } from './room-activity';
import { roomEvents, type RoomEvents } from './room-events';

export interface SayOptions extends SettleOptions {
  /** Who says it; default an ordinary member created by the kit. */
  as?: User;
}

export interface SayResult extends RoomActivity {
  /** The message as it appeared in the room. */
  message: HistoryItem;
}

/** A room of the emulated HipChat, driven as its users would. */
export interface KitRoom {
  readonly id: number;
  readonly name: string;
  /** The room as HipChat has it now (topic, owner, …). */
  readonly model: Room;
  /**
   * Posts `text` as a user: HipChat records it and sends the matching webhooks (JWT-signed) to the
   * add-on; resolves once the add-on answered and its outbox emptied, with what appeared in the room.
   */
  say(text: string, options?: SayOptions): Promise<SayResult>;
  /** The glance as HipChat shows it in this room: the last one pushed, else asked of the add-on as `as`. */
  glance(key: string, options?: { as?: User } & SettleOptions): Promise<StoredGlance>;
  /** Room events (enter, exit, topic change, …) with their webhooks; each resolves to what appeared. */
  readonly events: RoomEvents;
  /** The add-on's page for this room as HipChat framed it (a signed URL, and a page if a browser is given). */
  openPage<P extends PageLike>(name: PageName, options: Omit<OpenPageOptions<P>, 'room'>): Promise<OpenedPage<P>>;
  history(): HistoryItem[];
  notifications(): HistoryItem[];
}

export function createKitRoom(ctx: KitContext, room: Room): KitRoom {
  const { emulator } = ctx;
  return {
    id: room.id,
    name: room.name,
    get model() {
      return emulator.state.requireRoom(room.id);
    },
    async say(text, options = {}) {
      const user = options.as ?? ctx.defaultUser();
      let message: HistoryItem | undefined;
      const activity = await recordActivity(
        emulator,
        room.id,
        async () => {
          const posted = await emulator.postMessage(room.id, user.id, text);
          message = posted.message;
          return posted.webhooks;
        },
        () => ctx.settle(options),
      );
      return { ...activity, message: message as HistoryItem };
    },
    async glance(key, options = {}) {
      await ctx.settle(options);
      const { oauthId } = ctx.installationFor(room.id);
      const shown = emulator.getGlance(oauthId, room.id, key);
      if (shown) return shown;
      return emulator.queryGlance(oauthId, room.id, (options.as ?? ctx.defaultUser()).id, key);
    },
    events: roomEvents(ctx, room.id),
    openPage: (name, options) => openPage(emulator, ctx.installationFor(room.id).oauthId, name, { ...options, room }, ctx.trackPage),
    history: () => emulator.history(room.id),
    notifications: () => emulator.history(room.id).filter((item) => item.type === 'notification'),
  };
}
