import type { RoomNotification } from '../../hipchat/api/hipchat-messages';
import type { CommandDispatcher } from '../../hipchat/modules/command-registry';
import { forbidden, notFound } from '../../shared/errors';
import type { ConnectionStore } from '../connections/connection-store';
import { hashSecret, isUrlSecretShaped } from '../url-secret';
import { commandsNotAvailable } from './commands-not-available';
import { parseRoomMessageWebhook } from './parse-room-message-webhook';

/**
 * A build-your-own integration's slash command, posted to `/byo/{commandSecret}/command`. The protocol
 * reference does not say how HipChat signed these posts, so the unguessable secret in the path is what
 * authenticates them. The answer is the notification HipChat shows in the room.
 *
 * There is no JWT here to hold the body's sender against (unlike an installation's webhook, where a
 * `from.id` other than the JWT's sub is refused): the whole body is believed as far as the URL secret is.
 * Only HipChat and whoever connected the room (an admin: the server's, or a room admin on the
 * configuration page) ever see that URL, so a room member cannot post a message "from" someone else.
 */
export async function runByoCommand(
  deps: { connections: ConnectionStore; commands: CommandDispatcher },
  commandSecret: string,
  body: unknown,
): Promise<RoomNotification | undefined> {
  const connection = isUrlSecretShaped(commandSecret)
    ? await deps.connections.findByCommandSecretHash(hashSecret(commandSecret))
    : undefined;
  if (!connection) throw notFound('No such command URL', 'command_not_found');
  const event = parseRoomMessageWebhook(body);
  if (event.roomId !== connection.roomId) {
    throw forbidden(`This command URL belongs to another room than ${event.roomId}`, 'wrong_room');
  }
  const scope = { kind: 'room_token' as const, connectionId: connection.id, roomId: connection.roomId };
  // The same command registry as installed rooms; a command no module has is answered politely.
  return (await deps.commands.runInTokenRoom(scope, event.text, event.sender)) ?? commandsNotAvailable.handle(scope, event.text, event.sender);
}
