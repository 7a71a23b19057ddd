// The client's calls: the web state snapshot, and the emulator's documented control API (/_emulator).

async function call(method, path, body) {
  // Relative to the page, so the client also works under the emulator's path prefix.
  const response = await fetch(path.replace(/^\//, ''), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new Error(data?.error?.message ?? `${method} ${path} answered ${response.status}`);
  return data;
}

const installationPath = (oauthId) => `/_emulator/installations/${encodeURIComponent(oauthId)}`;

export const api = {
  state: () => call('GET', '/web/api/state'),
  history: (roomId) => call('GET', `/_emulator/rooms/${roomId}/history`),
  // Rooms made in the client fire room_created, as a person creating a room in HipChat did.
  createRoom: (name, userId) => call('POST', '/_emulator/room-events/created', userId === undefined ? { name } : { name, userId }),
  deleteRoom: (roomId, userId) => call('DELETE', `/_emulator/rooms/${roomId}`, { userId }),
  archiveRoom: (roomId, userId, archived) => call('POST', `/_emulator/rooms/${roomId}/${archived ? 'archive' : 'unarchive'}`, { userId }),
  enterRoom: (roomId, userId) => call('POST', `/_emulator/rooms/${roomId}/enter`, { userId }),
  exitRoom: (roomId, userId) => call('POST', `/_emulator/rooms/${roomId}/exit`, { userId }),
  setTopic: (roomId, userId, topic) => call('PUT', `/_emulator/rooms/${roomId}/topic`, { userId, topic }),
  uploadFile: (roomId, userId, file) => call('POST', `/_emulator/rooms/${roomId}/files`, { userId, ...file }),
  privateChat: (userId) => call('GET', `/_emulator/users/${userId}/private-chat`),
  createUser: (name) => call('POST', '/_emulator/users', { name }),
  postMessage: (roomId, userId, message) => call('POST', `/_emulator/rooms/${roomId}/messages`, { userId, message }),
  install: (descriptorUrl, roomId) => call('POST', '/_emulator/installations', roomId === undefined ? { descriptorUrl } : { descriptorUrl, roomId }),
  uninstall: (oauthId) => call('DELETE', installationPath(oauthId)),
  signedUrl: (oauthId, request) => call('POST', `${installationPath(oauthId)}/signed-url`, request).then((answer) => answer.url),
  mintJwt: (oauthId, userId, roomId) => call('POST', `${installationPath(oauthId)}/jwt`, { userId, roomId }).then((answer) => answer.jwt),
  queryGlance: (oauthId, key, roomId, userId) =>
    call('POST', `${installationPath(oauthId)}/glances/${encodeURIComponent(key)}/query`, { roomId, userId }),
};
