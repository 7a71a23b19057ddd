import type { HipChatContext } from '../hipchat/jwt/hipchat-context';

/**
 * Who manages connections and hooks: the server's admin (ADMIN_TOKEN), who may manage everything, or
 * an installation's configuration page (a verified HipChat JWT), which may manage only its own rooms.
 */
export type GatewayCaller = { kind: 'admin' } | { kind: 'installation'; context: HipChatContext };

/** The oauthId whose things a caller may see and change; undefined = all (admin). */
export function ownerOf(caller: GatewayCaller): string | undefined {
  return caller.kind === 'admin' ? undefined : caller.context.oauthId;
}
