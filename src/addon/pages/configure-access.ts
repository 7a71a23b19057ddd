import type { RoomAdminDecision } from '../../hipchat/authz/decide-room-admin';
import type { RoomAdminAuthority } from '../../hipchat/authz/room-admin-authority';
import type { HipChatContext } from '../../hipchat/jwt/hipchat-context';
import { HttpError } from '../../shared/errors';

/** What the configuration page lets this user do. The API checks again on every change regardless. */
export interface ConfigureAccess {
  canEditSettings: boolean;
  canManageHooks: boolean;
  /** A group admin of a global installation may make hooks for any room; everyone else for the page's room. */
  mayChooseHookRoom: boolean;
  /** Why something is read-only, shown on the page; null when nothing is. */
  note: string | null;
}

const READ_ONLY_NOTE = "Only a room admin (this room's owner or a HipChat group admin) can change these settings or manage incoming hooks.";

/** Settings apply to the installation's room (every room, for a global one); hooks to the page's room. */
export async function configureAccess(roomAdmins: Pick<RoomAdminAuthority, 'decide'>, context: HipChatContext): Promise<ConfigureAccess> {
  let settings: RoomAdminDecision;
  let hooks: RoomAdminDecision;
  try {
    settings = await roomAdmins.decide(context, context.installation.roomId);
    hooks = await roomAdmins.decide(context, context.roomId);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    // Fail closed: the page still shows the settings, read-only, and says why.
    return { canEditSettings: false, canManageHooks: false, mayChooseHookRoom: false, note: `${READ_ONLY_NOTE} (${error.message})` };
  }
  const groupAdmin = settings.allowed && settings.role === 'group_admin';
  const note = settings.allowed
    ? null
    : hooks.allowed
      ? 'These settings apply to every room; only a HipChat group admin can change them. You can manage the incoming hooks of this room.'
      : READ_ONLY_NOTE;
  return {
    canEditSettings: settings.allowed,
    canManageHooks: hooks.allowed,
    mayChooseHookRoom: groupAdmin && context.installation.roomId === null,
    note,
  };
}
