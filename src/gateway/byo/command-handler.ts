import type { RoomNotification } from '../../hipchat/api/hipchat-messages';
import type { DeliveryTarget } from '../../hipchat/delivery/delivery-target';

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

/** Until an add-on registers a handler for token-connected rooms, commands are answered politely. */
export const commandsNotAvailable: CommandHandler = {
  async handle(_scope, text) {
    const command = text.trim().split(/\s+/, 1)[0] ?? '';
    return {
      message: `${command || 'Commands'} ${command ? 'is' : 'are'} not available in rooms connected with a notification token yet.`,
      message_format: 'text',
      color: 'gray',
      notify: false,
    };
  },
};
