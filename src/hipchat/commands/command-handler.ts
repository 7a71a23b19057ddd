import type { RoomNotification } from '../api/hipchat-messages';
import type { DeliveryTarget } from '../delivery/delivery-target';

/**
 * Where a slash command runs: a room reached through an installation, or through a connection's room
 * token (build-your-own). Same shape as the DeliveryTarget that replies would be sent to.
 */
export type CommandScope = DeliveryTarget;

export interface CommandSender {
  id: number;
  name: string;
  mentionName: string;
}

/** Runs one slash command (the whole message text, e.g. "/task add Milk") and answers with a notification. */
export interface CommandHandler {
  handle(scope: CommandScope, text: string, sender: CommandSender): Promise<RoomNotification>;
}
