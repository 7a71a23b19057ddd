// The room: header, history (live), and the message box. Posting goes through the emulator's own
// postMessage, so slash commands reach add-on webhooks and their replies arrive as notifications.
import { h, clear, append } from './dom.js';
import { api } from './api.js';
import { currentUser, installationsForRoom, conditionContext } from './store.js';
import { renderHistoryItem } from './history-view.js';
import { roomControls } from './room-controls.js';
import { evaluateConditions } from './evaluate-conditions.js';

let view;

function actionsAt(roomId, location) {
  return installationsForRoom(roomId).flatMap((installation) =>
    installation.actions.filter((action) => action.location === location).map((action) => ({ installation, action })),
  );
}

/** Input actions beside the message box (hipchat.input.action), those whose conditions hold for this user and room. */
function inputActionButtons(room, input, onInputAction) {
  return actionsAt(room.id, 'hipchat.input.action')
    .filter(({ action }) => evaluateConditions(action.conditions, conditionContext(room.id)))
    .map(({ installation, action }) =>
      h('button', { type: 'button', class: 'button input-action', dataset: { action: action.key }, disabled: room.is_archived === true, onclick: () => onInputAction(installation, action, input.value) }, action.name),
    );
}

function composer(room, status, onInputAction) {
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
  );
  form.append(...inputActionButtons(room, input, onInputAction), h('button', { type: 'submit', class: 'button button--primary', disabled: room.is_archived === true }, 'Send'));
  return { form, input };
}

/**
 * Renders `room` into `main`. handlers: onAction(installation, action, item) runs a message action,
 * onInputAction(installation, action, text) an input action with the message box's text, onOpenPage(installation, key)
 * opens an external page.
 */
export async function renderRoom(main, room, { onAction, onInputAction, onOpenPage }) {
  const list = h('ol', { class: 'history', 'aria-label': `History of ${room.name}`, 'aria-live': 'polite' });
  const status = h('p', { class: 'composer__status', role: 'alert' });
  const controlStatus = h('p', { class: 'room__status', role: 'status' });
  const { form, input } = composer(room, status, onInputAction);
  if (!currentUser()) {
    input.disabled = true;
    input.placeholder = 'Add a user (top right) to post messages';
  } else if (room.is_archived) {
    // HipChat's answer for an archived room: it takes no new messages.
    input.disabled = true;
    input.placeholder = 'This room is archived: it takes no new messages';
  }
  append(clear(main), [
    h(
      'header',
      { class: 'room__header' },
      h('h1', {}, h('span', { class: 'room__hash', 'aria-hidden': 'true' }, '#'), room.name, room.is_archived && h('span', { class: 'lozenge room__archived' }, 'archived')),
      room.topic && h('p', { class: 'room__topic' }, room.topic),
      roomControls(room, controlStatus, onOpenPage),
      controlStatus,
    ),
    h('div', { class: 'history-scroll' }, list),
    h('div', { class: 'composer-wrap' }, form, status),
  ]);
  view = { roomId: room.id, list, input, pending: [], actions: actionsAt(room.id, 'hipchat.message.action'), onAction };
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
  // Message actions show where their conditions hold for this message, user and room.
  const actions = view.actions.filter(({ action }) => evaluateConditions(action.conditions, conditionContext(view.roomId, { message: item })));
  view.list.append(renderHistoryItem(item, actions, view.onAction));
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
