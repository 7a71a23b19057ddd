import type { FileUpload, User, WebhookResult } from '../emulator';
import type { KitContext } from './kit-context';
import { recordActivity, type RoomActivity } from './room-activity';

type Send = (ctx: KitContext, roomId: number) => (...args: never[]) => Promise<WebhookResult[]>;

/**
 * The room events a test can cause, each one line: how the emulator sends it. `by` is who acted; the
 * room's life-cycle events (archive, unarchive, delete) may come from nobody, as through HipChat's admin API.
 */
const EVENTS = {
  enter: (ctx, roomId) => (user: User) => ctx.emulator.enterRoom(roomId, user.id),
  exit: (ctx, roomId) => (user: User) => ctx.emulator.exitRoom(roomId, user.id),
  topic: (ctx, roomId) => (topic: string, by?: User) => ctx.emulator.setTopic(roomId, (by ?? ctx.defaultUser()).id, topic),
  archive: (ctx, roomId) => (by?: User) => ctx.emulator.archiveRoom(roomId, by?.id),
  unarchive: (ctx, roomId) => (by?: User) => ctx.emulator.unarchiveRoom(roomId, by?.id),
  uploadFile: (ctx, roomId) => async (file: FileUpload, by?: User) =>
    (await ctx.emulator.uploadFile(roomId, (by ?? ctx.defaultUser()).id, file)).webhooks,
  notification: (ctx, roomId) => async (message: string | Record<string, unknown>, from?: string) =>
    (await ctx.emulator.sendNotification(roomId, typeof message === 'string' ? { message } : message, from)).webhooks,
  delete: (ctx, roomId) => async (by?: User) => (await ctx.emulator.deleteRoom(roomId, by?.id)).webhooks,
} satisfies Record<string, Send>;

type Events = typeof EVENTS;

/**
 * room.events.enter(user), .exit(user), .topic(text, by?), .archive(by?), .unarchive(by?),
 * .uploadFile({name, …}, by?), .notification(message or body, from?), .delete(by?): each resolves to
 * what appeared once it settled.
 */
export type RoomEvents = {
  [K in keyof Events]: (...args: Parameters<ReturnType<Events[K]>>) => Promise<RoomActivity>;
};

export function roomEvents(ctx: KitContext, roomId: number): RoomEvents {
  const events = {} as Record<string, (...args: never[]) => Promise<RoomActivity>>;
  for (const [name, send] of Object.entries(EVENTS) as Array<[string, Send]>) {
    const fire = send(ctx, roomId);
    events[name] = (...args) => recordActivity(ctx.emulator, roomId, () => fire(...args), () => ctx.settle());
  }
  return events as RoomEvents;
}
