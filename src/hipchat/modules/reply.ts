import type { RoomNotification } from '../api/hipchat-messages';

/** What a command handler answers: a notification, plain text, or nothing (HipChat then posts nothing). */
export type CommandAnswer = RoomNotification | string | void | undefined;

/** Plain text becomes a text notification; a notification is kept as it is. */
export function toNotification(message: string | RoomNotification): RoomNotification {
  return typeof message === 'string' ? { message, message_format: 'text' } : message;
}

/**
 * Thrown by a context method a room lacks (a room connected with a notification token has no
 * installation: no REST client, glances or private messages). The dispatcher says so in the room.
 */
export class NotAvailableHere extends Error {
  constructor(readonly what: string) {
    super(`${what} is not available in rooms connected with a notification token`);
    this.name = 'NotAvailableHere';
  }
}

/** The room's answer when a command needs what a token-connected room lacks. */
export function notAvailableReply(command: string, error: NotAvailableHere): RoomNotification {
  return {
    message: `${command} needs ${error.what}, which rooms connected with a notification token do not have. Install the add-on in this room to use it.`,
    message_format: 'text',
    color: 'gray',
    notify: false,
  };
}

/** The short notice a room gets when a handler failed; the details stay in the log under the request id. */
export function handlerFailedNotice(what: string, requestId: string | undefined): RoomNotification {
  return {
    message: `Sorry, ${what} failed on our side.${requestId ? ` (request ${requestId})` : ''}`,
    message_format: 'text',
    color: 'red',
    notify: false,
  };
}
