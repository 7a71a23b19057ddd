// The room's own controls, each causing one of HipChat's room events through the control API: enter and
// leave (room_enter/room_exit), set the topic (room_topic_change), upload a file (room_file_upload),
// archive or unarchive (room_archived/room_unarchived) and delete (room_deleted); plus the add-ons'
// external pages (externalPage modules) as links.
import { h } from './dom.js';
import { api } from './api.js';
import { currentUser, installationsForRoom } from './store.js';

const MAX_UPLOAD_BYTES = 600_000;

function sent(event, result) {
  const webhooks = Array.isArray(result) ? result : result?.webhooks ?? [];
  return `${event}: sent to ${webhooks.length} webhook${webhooks.length === 1 ? '' : 's'}`;
}

function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** Buttons and forms for `room`; results and errors go to `status`; onOpenPage(installation, key) opens an external page. */
export function roomControls(room, status, onOpenPage) {
  const run = (event, work) => async () => {
    const user = currentUser();
    if (!user) return;
    status.textContent = '';
    try {
      status.textContent = sent(event, await work(user));
    } catch (error) {
      status.textContent = error.message;
    }
  };
  const topic = h('input', { type: 'text', 'aria-label': 'Room topic', value: room.topic, maxlength: 250, disabled: room.is_archived === true });
  const topicForm = h('form', { class: 'inline-form room__topic-form', onsubmit: (event) => {
    event.preventDefault();
    void run('room_topic_change', (user) => api.setTopic(room.id, user.id, topic.value))();
  } }, topic, h('button', { type: 'submit', class: 'button', disabled: room.is_archived === true }, 'Set topic'));
  const fileInput = h('input', { type: 'file', 'aria-label': 'File to upload', hidden: true, onchange: () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    fileInput.value = '';
    if (file.size > MAX_UPLOAD_BYTES) {
      status.textContent = `The emulator holds files up to ${MAX_UPLOAD_BYTES} bytes`;
      return;
    }
    void run('room_file_upload', async (user) => api.uploadFile(room.id, user.id, { name: file.name, contentType: file.type || undefined, contentBase64: await fileToBase64(file) }))();
  } });
  const pages = installationsForRoom(room.id).flatMap((installation) => installation.externalPages.map((page) => ({ installation, page })));
  return h(
    'div',
    { class: 'room__controls' },
    h('button', { type: 'button', class: 'link-button', onclick: run('room_enter', (user) => api.enterRoom(room.id, user.id)) }, 'Enter room'),
    h('button', { type: 'button', class: 'link-button', onclick: run('room_exit', (user) => api.exitRoom(room.id, user.id)) }, 'Leave room'),
    topicForm,
    fileInput,
    h('button', { type: 'button', class: 'link-button', disabled: room.is_archived === true, onclick: () => fileInput.click() }, 'Upload file'),
    h('button', { type: 'button', class: 'link-button', onclick: run(room.is_archived ? 'room_unarchived' : 'room_archived', (user) => api.archiveRoom(room.id, user.id, !room.is_archived)) }, room.is_archived ? 'Unarchive room' : 'Archive room'),
    h('button', { type: 'button', class: 'link-button link-button--danger', onclick: async () => {
      if (!window.confirm(`Delete room ${room.name}? Its own add-on installations are uninstalled.`)) return;
      await run('room_deleted', (user) => api.deleteRoom(room.id, user.id))();
    } }, 'Delete room'),
    pages.length > 0 && h('span', { class: 'room__pages' }, 'Pages: ', pages.map(({ installation, page }) =>
      h('a', { href: '#', class: 'external-page', dataset: { page: page.key }, onclick: (event) => (event.preventDefault(), onOpenPage(installation, page.key)) }, page.name),
    )),
  );
}
