import type { User, WebhookResult } from '../emulator';
import type { KitContext } from './kit-context';
import { recordActivity, type RoomActivity } from './room-activity';

type Send = (ctx: KitContext, roomId: number) => (...args: never[]) => Promise<WebhookResult[]>;

/** The room events a test can cause, each one line: how the emulator sends it. */
const EVENTS = {
  enter: (ctx, roomId) => (user: User) => ctx.emulator.enterRoom(roomId, user.id),
  exit: (ctx, roomId) => (user: User) => ctx.emulator.exitRoom(roomId, user.id),
  topic: (ctx, roomId) => (topic: string, by?: User) => ctx.emulator.setTopic(roomId, (by ?? ctx.defaultUser()).id, topic),
} satisfies Record<string, Send>;

type Events = typeof EVENTS;

/** room.events.enter(user), .exit(user), .topic(text, by?): each resolves to what appeared once it settled. */
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
