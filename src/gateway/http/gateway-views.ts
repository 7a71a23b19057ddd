import type { Connection } from '../connections/connection-store';
import type { Hook } from '../hooks/hook-store';

/** A connection as the API shows it: never its token or command secret. */
export function connectionView(connection: Connection) {
  return {
    id: connection.id,
    hipchatUrl: connection.apiUrl,
    roomId: connection.roomId,
    roomName: connection.roomName,
    oauthId: connection.oauthId,
    tokenRefusedAt: connection.tokenRefusedAt,
    createdAt: connection.createdAt,
  };
}

/** A hook as the API shows it: its URL only once, at creation. */
export function hookView(hook: Hook) {
  return {
    id: hook.id,
    kind: hook.target.kind,
    roomId: hook.target.roomId,
    connectionId: hook.target.kind === 'room_token' ? hook.target.connectionId : null,
    oauthId: hook.oauthId,
    label: hook.label,
    createdAt: hook.createdAt,
  };
}
