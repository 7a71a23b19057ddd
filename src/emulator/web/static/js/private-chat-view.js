// The signed-in user's private chat: what add-ons sent with POST /v2/user/{id_or_email}/message, live.
import { h, clear, formatTime } from './dom.js';
import { api } from './api.js';
import { sanitizeHtml } from './sanitize-html.js';

let view;

function renderPrivateMessage(message) {
  const from = message.from.kind === 'user' ? message.from.name : message.from.label;
  const body = message.message_format === 'html' ? sanitizeHtml(message.message) : message.message;
  return h(
    'li',
    { class: 'msg msg--private', dataset: { id: message.id } },
    h('div', { class: 'avatar avatar--addon', 'aria-hidden': 'true' }, String(from).slice(0, 1).toUpperCase()),
    h('div', { class: 'msg__content' }, h('div', { class: 'msg__meta' }, h('span', { class: 'msg__from' }, from), h('time', { datetime: message.date }, formatTime(message.date))), h('div', { class: 'msg__body' }, body)),
  );
}

/** Renders `user`'s private chat into `main`. */
export async function renderPrivateChat(main, user) {
  const list = h('ol', { class: 'history', 'aria-label': 'Private messages', 'aria-live': 'polite' });
  clear(main).append(
    h('header', { class: 'room__header' }, h('h1', {}, 'Private chat'), h('p', { class: 'room__topic' }, user ? `Messages add-ons sent to ${user.name}` : 'No user yet')),
    h('div', { class: 'history-scroll' }, list),
  );
  view = { list, userId: user?.id };
  if (!user) return;
  const current = view;
  const messages = await api.privateChat(user.id);
  if (view !== current) return;
  for (const message of messages) receivePrivateMessage(message, user);
}

/** A live private message: shown if that user's private chat is open. */
export function receivePrivateMessage(message, user) {
  if (!view || !view.list.isConnected || !user || message.userId !== user.id || message.userId !== view.userId) return;
  if (view.list.querySelector(`[data-id="${CSS.escape(message.id)}"]`)) return;
  view.list.append(renderPrivateMessage(message));
}
