// The room: header, history (live), and the message box. Posting goes through the emulator's own
// postMessage, so slash commands reach add-on webhooks and their replies arrive as notifications.
import { h, clear, append } from './dom.js';
import { api } from './api.js';
import { currentUser, installationsForRoom } from './store.js';
import { renderHistoryItem } from './history-view.js';

let view;

function messageActions(roomId) {
  return installationsForRoom(roomId).flatMap((installation) =>
    installation.actions.filter((action) => action.location === 'hipchat.message.action').map((action) => ({ installation, action })),
  );
}

function composer(room, status) {
  const input = h('input', { id: 'message-input', type: 'text', autocomplete: 'off', 'aria-label': 'Message', placeholder: `Send a message to ${room.name}` });
  const form = h(
    'form',
    {
      class: 'composer',
      onsubmit: async (event) => {
        event.preventDefault();
        const text = input.value.trim();
        const user = currentUser();
        if (!text || !user) return;
        input.value = '';
        status.textContent = '';
        try {
          await api.postMessage(room.id, user.id, text);
        } catch (error) {
          status.textContent = error.message;
        }
      },
    },
    input,
    h('button', { type: 'submit', class: 'button button--primary' }, 'Send'),
  );
  return { form, input };
}

/** Renders `room` into `main`; onAction(installation, action, item) runs a message action. */
export async function renderRoom(main, room, onAction) {
  const list = h('ol', { class: 'history', 'aria-label': `History of ${room.name}`, 'aria-live': 'polite' });
  const status = h('p', { class: 'composer__status', role: 'alert' });
  const { form, input } = composer(room, status);
  if (!currentUser()) {
    input.disabled = true;
    input.placeholder = 'Add a user (top right) to post messages';
  }
  append(clear(main), [
    h('header', { class: 'room__header' }, h('h1', {}, h('span', { class: 'room__hash', 'aria-hidden': 'true' }, '#'), room.name), room.topic && h('p', { class: 'room__topic' }, room.topic)),
    h('div', { class: 'history-scroll' }, list),
    h('div', { class: 'composer-wrap' }, form, status),
  ]);
  view = { roomId: room.id, list, input, pending: [], actions: messageActions(room.id), onAction };
  const current = view;
  const items = await api.history(room.id);
  if (view !== current) return;
  for (const item of items) appendItem(item);
  const pending = current.pending;
  current.pending = undefined;
  for (const item of pending) appendItem(item);
  input.focus();
}

function appendItem(item) {
  if (view.list.querySelector(`[data-id="${CSS.escape(item.id)}"]`)) return;
  const scroller = view.list.parentElement;
  const atBottom = !scroller || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  view.list.append(renderHistoryItem(item, view.actions, view.onAction));
  if (atBottom && scroller) scroller.scrollTop = scroller.scrollHeight;
}

/** A live history item: shown if its room is open (queued while the history is loading). */
export function receiveHistoryItem(item) {
  if (!view || !view.list.isConnected || item.roomId !== view.roomId) return;
  if (view.pending) view.pending.push(item);
  else appendItem(item);
}

/** HipChat.chat.appendMessage: adds text to the message box. */
export function appendToMessageBox(text) {
  if (!view?.input.isConnected) throw new Error('No room is open');
  const value = view.input.value;
  view.input.value = value && !value.endsWith(' ') ? `${value} ${text}` : `${value}${text}`;
  view.input.focus();
}
