// The client's in-memory view of the emulator: refreshed from /web/api/state and the event stream.

export const store = {
  state: { rooms: [], users: [], installations: [], group: { name: '' } },
  userId: Number(localStorage.getItem('emulator.userId')) || undefined,
  /** Latest glance values by `${oauthId} ${roomId} ${key}`: {content} or {error}. */
  glances: new Map(),
  /** Glance values pushed for one user (POST /v2/addon/ui/user/{id}) by `${oauthId} ${userId} ${key}`: {content}. */
  userGlances: new Map(),
};

export const glanceId = (oauthId, roomId, key) => `${oauthId} ${roomId} ${key}`;

export function currentUser() {
  return store.state.users.find((user) => user.id === store.userId) ?? store.state.users[0];
}

export function setCurrentUser(userId) {
  store.userId = userId;
  localStorage.setItem('emulator.userId', String(userId));
}

export function findRoom(roomId) {
  return store.state.rooms.find((room) => room.id === roomId);
}

export function findInstallation(oauthId) {
  return store.state.installations.find((installation) => installation.oauthId === oauthId);
}

/** Active installations that apply to a room: the room's own and the group-wide ones. */
export function installationsForRoom(roomId) {
  const room = findRoom(roomId);
  if (!room) return [];
  return store.state.installations.filter(
    (installation) => installation.active && installation.groupId === room.groupId && (installation.roomId === undefined || installation.roomId === roomId),
  );
}

/** What a module key refers to in an installation: a webPanel, a dialog, an external page, or nothing known. */
export function resolveTarget(installation, key) {
  const dialog = installation.dialogs.find((entry) => entry.key === key);
  if (dialog) return { kind: 'dialog', module: dialog };
  const panel = installation.webPanels.find((entry) => entry.key === key);
  if (panel) return { kind: 'webPanel', module: panel };
  const page = (installation.externalPages ?? []).find((entry) => entry.key === key);
  if (page) return { kind: 'externalPage', module: page };
  return undefined;
}

/** What descriptor conditions are evaluated against (see evaluate-conditions.js), for the signed-in user. */
export function conditionContext(roomId, extra = {}) {
  const user = currentUser();
  const room = findRoom(roomId);
  return {
    ...(room ? { room: { privacy: room.privacy, ownerId: room.ownerId } } : {}),
    ...(user ? { user: { id: user.id, is_group_admin: user.is_group_admin, is_guest: user.is_guest } } : {}),
    ...extra,
  };
}
