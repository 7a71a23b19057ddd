import type { CommandHandler } from '../../hipchat/commands/command-handler';

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
