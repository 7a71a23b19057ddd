// The HipChat emulator's web client: rooms, history, glances and add-on views, kept live by the
// emulator's event stream. Routes: #/rooms/{id}, #/addons, #/addons/{oauthId}/configure.
import { h, clear, append } from './dom.js';
import { api } from './api.js';
import { store, glanceId, currentUser, setCurrentUser, findRoom, installationsForRoom, resolveTarget } from './store.js';
import { createAddonFrame, setFrameMethods, sendEvent } from './frame-host.js';
import { renderRoom, receiveHistoryItem, appendToMessageBox } from './room-view.js';
import { showGlances, showPanel, sidebarPanelOpen } from './sidebar-view.js';
import { openDialog, closeDialog, currentDialog, dialogOptions } from './dialog-view.js';
import { renderAddons } from './admin-view.js';

const main = document.getElementById('main');
const sidebar = document.getElementById('sidebar');
const roomNav = document.getElementById('rooms');
const userBox = document.getElementById('user');
let route = { view: 'room' };

function parseRoute() {
  const match = /^#\/(rooms|addons)(?:\/([^/]+))?(?:\/(configure))?/.exec(location.hash);
  if (match?.[1] === 'addons') return { view: 'addons', configure: match[3] ? decodeURIComponent(match[2] ?? '') : undefined };
  const roomId = Number(match?.[2]);
  return { view: 'room', roomId: findRoom(roomId) ? roomId : store.state.rooms[0]?.id };
}

async function refreshState() {
  store.state = await api.state();
  if (!store.state.users.some((user) => user.id === store.userId) && store.state.users[0]) setCurrentUser(store.state.users[0].id);
  renderUser();
  renderRoomNav();
}

/** "Ada (@ada) (admin)": who is a group admin, and who owns the open room, as admin rights decide what add-ons allow. */
function userLabel(user) {
  const room = route.view === 'room' ? findRoom(route.roomId) : undefined;
  const roles = [user.is_group_admin ? ' (admin)' : '', room && room.ownerId === user.id ? ' (owner)' : ''].join('');
  return `${user.name} (@${user.mention_name})${roles}`;
}

function renderUser() {
  const select = h(
    'select',
    { id: 'user-select', 'aria-label': 'Signed in as', onchange: (event) => (setCurrentUser(Number(event.target.value)), render()) },
    store.state.users.map((user) => h('option', { value: String(user.id), selected: user.id === currentUser()?.id }, userLabel(user))),
  );
  const name = h('input', { type: 'text', placeholder: 'New user name', 'aria-label': 'New user name', required: true });
  const form = h('form', { class: 'inline-form', onsubmit: async (event) => {
    event.preventDefault();
    const user = await api.createUser(name.value.trim());
    setCurrentUser(user.id);
    await refreshState();
    render();
  } }, name, h('button', { type: 'submit', class: 'button' }, 'Add user'));
  append(clear(userBox), store.state.users.length ? h('label', { class: 'user-picker' }, 'Signed in as ', select) : form);
}

function renderRoomNav() {
  const name = h('input', { type: 'text', placeholder: 'New room', 'aria-label': 'New room name', required: true, maxlength: 50 });
  clear(roomNav).append(
    h('h2', {}, 'Rooms'),
    h('ul', {}, store.state.rooms.map((room) =>
      h('li', {}, h('a', { href: `#/rooms/${room.id}`, class: route.view === 'room' && route.roomId === room.id ? 'active' : '', 'aria-current': route.view === 'room' && route.roomId === room.id ? 'page' : false }, `# ${room.name}`)),
    )),
    h('form', { class: 'inline-form', onsubmit: async (event) => {
      event.preventDefault();
      const room = await api.createRoom(name.value.trim());
      await refreshState();
      location.hash = `#/rooms/${room.id}`;
    } }, name, h('button', { type: 'submit', class: 'button', 'aria-label': 'Add room' }, '+')),
    h('h2', {}, 'Administration'),
    h('ul', {}, h('li', {}, h('a', { href: '#/addons', class: route.view === 'addons' ? 'active' : '' }, 'Add-ons'))),
  );
}

// ---- glances and add-on views -------------------------------------------------------------

function glanceEntries(roomId) {
  return installationsForRoom(roomId).flatMap((installation) =>
    installation.glances.map((glance) => ({ installation, glance, value: store.glances.get(glanceId(installation.oauthId, roomId, glance.key)) })),
  );
}

function showRoomGlances() {
  if (route.view === 'room' && route.roomId !== undefined) showGlances(sidebar, glanceEntries(route.roomId), openGlance);
}

function refreshGlances() {
  if (!sidebarPanelOpen()) showRoomGlances();
}

/** What HipChat did on room open: query every glance with signed_request. */
function queryGlances(roomId, oauthId) {
  const user = currentUser();
  if (!user) return;
  for (const { installation, glance } of glanceEntries(roomId)) {
    if (!glance.queryable || (oauthId && installation.oauthId !== oauthId)) continue;
    const id = glanceId(installation.oauthId, roomId, glance.key);
    api.queryGlance(installation.oauthId, glance.key, roomId, user.id).then(
      (stored) => store.glances.set(id, { content: stored.content }),
      (error) => store.glances.set(id, { error: error.message }),
    ).finally(refreshGlances);
  }
}

function openGlance({ installation, glance }) {
  const target = resolveTarget(installation, glance.target);
  if (target?.kind === 'dialog') void openAddonDialog(installation, target.module.key, {}).catch(showError);
  else if (target?.kind === 'webPanel') void openSidebarView(installation, target.module.key).catch(showError);
}

async function openSidebarView(installation, key, parameters) {
  const panel = installation.webPanels.find((entry) => entry.key === key);
  const user = currentUser();
  if (!panel || !user || route.roomId === undefined) throw new Error(`No sidebar view "${key}"`);
  const roomId = route.roomId;
  const url = await api.signedUrl(installation.oauthId, { kind: 'webPanel', key, roomId, userId: user.id });
  const frame = createAddonFrame(url, { installation, kind: 'webPanel', key, roomId, userId: user.id, parameters, title: panel.name });
  showPanel(sidebar, panel.name, frame, showRoomGlances);
}

async function openAddonDialog(installation, key, { parameters, options, actionKey, roomId = route.roomId, userId = currentUser()?.id }) {
  const dialog = installation.dialogs.find((entry) => entry.key === key);
  if (!dialog || roomId === undefined || userId === undefined) throw new Error(`No dialog "${key}"`);
  const merged = dialogOptions(dialog, options);
  const url = await api.signedUrl(installation.oauthId, { kind: 'dialog', key, roomId, userId });
  const frame = createAddonFrame(url, { installation, kind: 'dialog', key, roomId, userId, parameters, actionKey, title: merged.title });
  openDialog({
    title: merged.title,
    options: merged,
    frame,
    onButton: (action) => {
      // A page that listens decides (closeDialog(true)); one that does not just gets closed.
      if (frame.registered.has('dialog-button-click')) sendEvent(frame, 'dialog-button-click', { action });
      else closeDialog();
    },
  });
}

function messageParameters(item) {
  const sender = item.from.kind === 'user' ? { id: item.from.id, name: item.from.name, mention_name: item.from.mention_name } : { name: item.from.label };
  return { body: item.message, message: item.message, messageId: item.id, date: item.date, roomId: item.roomId, sender };
}

function runMessageAction(installation, action, item) {
  const target = resolveTarget(installation, action.target);
  const parameters = messageParameters(item);
  if (target?.kind === 'dialog') void openAddonDialog(installation, target.module.key, { parameters, actionKey: action.key }).catch(showError);
  else if (target?.kind === 'webPanel') void openSidebarView(installation, target.module.key, parameters).catch(showError);
  else showError(new Error(`Action "${action.name}" has no dialog or sidebar target`));
}

function dialogOf(frame) {
  const dialog = currentDialog();
  return dialog && dialog.frame.installation.oauthId === frame.installation.oauthId ? dialog : undefined;
}

setFrameMethods({
  'auth.withToken': (frame) => api.mintJwt(frame.installation.oauthId, frame.userId, frame.roomId),
  'dialog.open': (frame, args) => openAddonDialog(frame.installation, String(args?.key ?? ''), { parameters: args?.parameters, options: args?.options, roomId: frame.roomId, userId: frame.userId }),
  'dialog.close': (frame) => void (dialogOf(frame) && closeDialog()),
  'dialog.update': (frame, args) => void (args?.title !== undefined && dialogOf(frame)?.setTitle(dialogOptions({ title: '' }, args).title)),
  'dialog.updatePrimaryAction': (frame, args) => void dialogOf(frame)?.updatePrimaryAction({ enabled: args?.enabled, name: typeof args?.name === 'object' ? args.name?.value : args?.name }),
  'sidebar.openView': (frame, args) => openSidebarView(frame.installation, String(args?.key ?? ''), args?.parameters),
  'sidebar.closeView': () => showRoomGlances(),
  'chat.appendMessage': (_frame, text) => appendToMessageBox(String(text ?? '')),
});

function showError(error) {
  const toast = h('div', { class: 'toast', role: 'alert' }, error.message);
  document.body.append(toast);
  setTimeout(() => toast.remove(), 6000);
}

// ---- routing and live updates --------------------------------------------------------------

async function render() {
  route = parseRoute();
  renderRoomNav();
  renderUser();
  if (route.view === 'addons') {
    clear(sidebar);
    sidebar.hidden = true;
    await renderAddons(main, { configureOauthId: route.configure, roomId: store.state.rooms[0]?.id, userId: currentUser()?.id });
    return;
  }
  sidebar.hidden = false;
  const room = findRoom(route.roomId);
  if (!room) {
    clear(main).append(h('div', { class: 'page empty' }, h('h1', {}, 'No rooms yet'), h('p', {}, 'Create a room with the form on the left.')));
    clear(sidebar);
    return;
  }
  showRoomGlances();
  queryGlances(room.id);
  await renderRoom(main, room, runMessageAction);
}

function listen() {
  const events = new EventSource('web/api/events');
  let connectedBefore = false;
  events.addEventListener('open', () => {
    // After a reconnect (an emulated outage), events may have been missed: draw everything again.
    if (connectedBefore) void refreshState().then(render);
    connectedBefore = true;
  });
  events.addEventListener('history', (event) => receiveHistoryItem(JSON.parse(event.data)));
  events.addEventListener('glance', (event) => {
    const glance = JSON.parse(event.data);
    store.glances.set(glanceId(glance.oauthId, glance.roomId, glance.key), { content: glance.content });
    refreshGlances();
  });
  events.addEventListener('room', async (event) => {
    const room = JSON.parse(event.data);
    await refreshState();
    // A new first room, or a new topic for the open one.
    if (route.view === 'room' && (route.roomId === undefined || route.roomId === room.id)) await render();
  });
  events.addEventListener('user', () => void refreshState());
  // refreshState redraws the user switcher, whose labels say who is admin and who owns the room.
  events.addEventListener('installation', async (event) => {
    const { change, installation } = JSON.parse(event.data);
    await refreshState();
    if (route.view === 'addons') {
      if (route.configure === undefined || change === 'removed') await render();
      return;
    }
    if (change === 'added') return;
    if (change === 'removed') {
      for (const key of store.glances.keys()) if (key.startsWith(`${installation.oauthId} `)) store.glances.delete(key);
      if (currentDialog()?.frame.installation.oauthId === installation.oauthId) closeDialog();
    }
    // Message actions and glances of the room change with its installations.
    await render();
  });
}

document.addEventListener('click', () => document.querySelectorAll('.menu').forEach((menu) => (menu.hidden = true)));
window.addEventListener('hashchange', () => void render().catch(showError));

refreshState()
  .then(() => {
    listen();
    return render();
  })
  .catch(showError);
