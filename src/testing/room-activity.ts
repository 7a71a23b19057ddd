import type { Emulator, HistoryItem, WebhookResult } from '../emulator';

/** What appeared in a room because of one action (a message said, a room event), once it settled. */
export interface RoomActivity {
  /** Everything that appeared in the room, in order (the user's message, if any, first). */
  appeared: HistoryItem[];
  /** Every notification that appeared: the add-on's webhook reply and what its outbox delivered. */
  notifications: HistoryItem[];
  /** The first notification that appeared, typically the reply to a command. */
  reply: HistoryItem | undefined;
  /** The add-on's answers to the webhooks HipChat sent for the action. */
  webhooks: WebhookResult[];
}

/**
 * Runs `action` (which sends webhooks), then waits until things settle (`settle`: the add-on's outbox is
 * empty), and reports what appeared in the room meanwhile.
 */
export async function recordActivity(
  emulator: Emulator,
  roomId: number,
  action: () => Promise<WebhookResult[]>,
  settle: () => Promise<void>,
): Promise<RoomActivity> {
  const appeared: HistoryItem[] = [];
  const onItem = (item: HistoryItem) => {
    if (item.roomId === roomId) appeared.push(item);
  };
  emulator.events.on('history', onItem);
  try {
    const webhooks = await action();
    await settle();
    const notifications = appeared.filter((item) => item.type === 'notification');
    return { appeared: [...appeared], notifications, reply: notifications[0], webhooks };
  } finally {
    emulator.events.off('history', onItem);
  }
}
