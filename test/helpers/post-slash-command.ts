import type { Room, User } from '../../src/emulator';

/** A room_message webhook as HipChat sends it, signed with `jwt`, posted straight to one add-on instance. */
export function postSlashCommand(addonUrl: string, jwt: string, oauthId: string, room: Room, user: User, text: string): Promise<Response> {
  return fetch(`${addonUrl}/webhooks/task`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `JWT ${jwt}` },
    body: JSON.stringify({
      event: 'room_message',
      item: {
        message: { id: crypto.randomUUID(), date: new Date().toISOString(), from: { id: user.id, mention_name: user.mention_name, name: user.name }, message: text, type: 'message', mentions: [] },
        room: { id: room.id, name: room.name },
      },
      oauth_client_id: oauthId,
      webhook_id: 1,
    }),
  });
}
