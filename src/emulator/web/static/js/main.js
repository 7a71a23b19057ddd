// The HipChat emulator's web client: rooms, history, glances and add-on views, kept live by the
// emulator's event stream. Routes: #/rooms/{id}, #/private, #/addons, #/addons/{oauthId}/configure|admin.
import { h, clear, append } from './dom.js';
import { api } from './api.js';
import { store, glanceId, currentUser, setCurrentUser, findRoom, installationsForRoom, resolveTarget, conditionContext } from './store.js';
import { evaluateConditions } from './evaluate-conditions.js';
import { renderPrivateChat, receivePrivateMessage } from './private-chat-view.js';
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
  const match = /^#\/(rooms|addons|private)(?:\/([^/]+))?(?:\/(configure|admin))?/.exec(location.hash);
  if (match?.[1] === 'private') return { view: 'private' };
  if (match?.[1] === 'addons') return { view: 'addons', page: match[3], oauthId: match[3] ? decodeURIComponent(match[2] ?? '') : undefined };
  const roomId = Number(match?.[2]);
  return { view: 'room', roomId: findRoom(roomId) ? roomId : store.state.rooms[0]?.id };
}

async function refreshState() {
  store.state = await api.state();
  for (const glance of store.state.userGlances ?? []) store.userGlances.set(`${glance.oauthId} ${glance.userId} ${glance.key}`, { content: glance.content });
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
      const { room } = await api.createRoom(name.value.trim(), currentUser()?.id);
      await refreshState();
      location.hash = `#/rooms/${room.id}`;
    } }, name, h('button', { type: 'submit', class: 'button', 'aria-label': 'Add room' }, '+')),
    h('h2', {}, 'Private chat'),
    h('ul', {}, h('li', {}, h('a', { href: '#/private', class: route.view === 'private' ? 'active' : '' }, 'Private messages'))),
    h('h2', {}, 'Administration'),
    h('ul', {}, h('li', {}, h('a', { href: '#/addons', class: route.view === 'addons' ? 'active' : '' }, 'Add-ons'))),
  );
}

// ---- glances and add-on views -------------------------------------------------------------

/** A value pushed for the signed-in user (POST /v2/addon/ui/user/{id}) wins over the room's value. */
function glanceValue(installation, roomId, key) {
  const user = currentUser();
  const mine = user && store.userGlances.get(`${installation.oauthId} ${user.id} ${key}`);
  return mine ?? store.glances.get(glanceId(installation.oauthId, roomId, key));
}

function glanceEntries(roomId) {
  return installationsForRoom(roomId).flatMap((installation) =>
    installation.glances.map((glance) => ({ installation, glance, value: glanceValue(installation, roomId, glance.key) })),
  );
}

/** Glances whose conditions hold (glance_matches reads the value's metadata); every glance is still queried. */
function showRoomGlances() {
  if (route.view !== 'room' || route.roomId === undefined) return;
  const roomId = route.roomId;
  const visible = glanceEntries(roomId).filter(({ glance, value }) => evaluateConditions(glance.conditions, conditionContext(roomId, { glance: { metadata: value?.content?.metadata } })));
  showGlances(sidebar, visible, openGlance);
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

/** Opens what a glance or action targets: a dialog, a sidebar webPanel or an external page. */
function openTarget(installation, key, { parameters, actionKey } = {}) {
  const target = resolveTarget(installation, key);
  if (target?.kind === 'dialog') void openAddonDialog(installation, target.module.key, { parameters, actionKey }).catch(showError);
  else if (target?.kind === 'webPanel') void openSidebarView(installation, target.module.key, parameters).catch(showError);
  else if (target?.kind === 'externalPage') openExternalPage(installation, target.module.key);
  else showError(new Error(`"${key}" is no dialog, sidebar view or external page of ${installation.addonName}`));
}

function openGlance({ installation, glance }) {
  openTarget(installation, glance.target);
}

/** An externalPage module: the signed page in a new tab (opened at once, so no pop-up blocker steps in). */
function openExternalPage(installation, key) {
  const user = currentUser();
  if (!user || route.roomId === undefined) return;
  const tab = window.open('about:blank', '_blank');
  api.signedUrl(installation.oauthId, { kind: 'externalPage', key, roomId: route.roomId, userId: user.id }).then(
    (url) => (tab ? (tab.location.href = url) : window.open(url, '_blank', 'noopener')),
    (error) => (tab?.close(), showError(error)),
  );
}

async function openSidebarView(installation, key, parameters) {
  const panel = installation.webPanels.find((entry) => entry.key === key);
  const user = currentUser();
  if (!panel || !user || route.roomId === undefined) throw new Error(`No sidebar view "${key}"`);
  // A web panel's conditions hide it for this user and room (the add-on still authorises on its server).
  if (!evaluateConditions(panel.conditions, conditionContext(route.roomId))) throw new Error(`The sidebar view "${panel.name}" is not available here`);
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
  openTarget(installation, action.target, { parameters: messageParameters(item), actionKey: action.key });
}

/**
 * An input action: its target opens with the message box's text as `message` (the emulator's reading of
 * HipChat's input actions; `receive-parameters` and the action key's event carry it).
 */
function runInputAction(installation, action, text) {
  openTarget(installation, action.target, { parameters: { message: text, roomId: route.roomId }, actionKey: action.key });
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
  if (route.view === 'addons' || route.view === 'private') {
    clear(sidebar);
    sidebar.hidden = true;
    if (route.view === 'private') await renderPrivateChat(main, currentUser());
    else await renderAddons(main, { page: route.page, oauthId: route.oauthId, roomId: store.state.rooms[0]?.id, user: currentUser() });
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
  await renderRoom(main, room, { onAction: runMessageAction, onInputAction: runInputAction, onOpenPage: openExternalPage });
}

/**
 * Subscribes to the event stream; resolves once it is connected (or has failed once, so the page still
 * shows), so that state and history read afterwards miss nothing posted in between.
 */
function listen() {
  const events = new EventSource('web/api/events');
  const connected = new Promise((resolve) => {
    events.addEventListener('open', resolve, { once: true });
    events.addEventListener('error', resolve, { once: true });
  });
  // Set by an error, cleared by the next open: what was sent in between (during an emulated outage, or
  // while the page was drawn without a stream that failed at first) was missed, so draw everything again.
  let missedEvents = false;
  events.addEventListener('error', () => (missedEvents = true));
  events.addEventListener('open', () => {
    if (missedEvents) void refreshState().then(render);
    missedEvents = false;
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
  events.addEventListener('private', (event) => receivePrivateMessage(JSON.parse(event.data), currentUser()));
  events.addEventListener('userGlance', (event) => {
    const glance = JSON.parse(event.data);
    store.userGlances.set(`${glance.oauthId} ${glance.userId} ${glance.key}`, { content: glance.content });
    refreshGlances();
  });
  // refreshState redraws the user switcher, whose labels say who is admin and who owns the room.
  events.addEventListener('installation', async (event) => {
    const { change, installation } = JSON.parse(event.data);
    await refreshState();
    if (route.view === 'addons') {
      if (route.page === undefined || change === 'removed') await render();
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
  return connected;
}

/** A link to the view already open (the room shown by default, say) changes the address only: no redraw, no lost draft. */
function onHashChange() {
  const next = parseRoute();
  if (next.view === route.view && next.roomId === route.roomId && next.page === route.page && next.oauthId === route.oauthId) return;
  void render().catch(showError);
}

document.addEventListener('click', () => document.querySelectorAll('.menu').forEach((menu) => (menu.hidden = true)));
window.addEventListener('hashchange', onHashChange);

listen()
  .then(refreshState)
  .then(render)
  .catch(showError);
