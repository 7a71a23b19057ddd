// One history item: a user's message (always text) or an add-on notification (colour, curated
// HTML or text, or a card), with the "…" menu of message actions.
import { h, formatTime, httpUrl } from './dom.js';
import { sanitizeHtml } from './sanitize-html.js';

const COLORS = new Set(['yellow', 'green', 'red', 'purple', 'gray']);
const LOZENGES = new Set(['success', 'error', 'current', 'complete', 'moved']);

export function lozenge(label, type) {
  const style = String(type ?? '').replace(/^lozenge-?/, '');
  return h('span', { class: `lozenge lozenge--${LOZENGES.has(style) ? style : 'default'}` }, String(label ?? ''));
}

function richText(value) {
  if (value && typeof value === 'object') return value.format === 'html' ? sanitizeHtml(value.value) : String(value.value ?? '');
  return typeof value === 'string' ? value : null;
}

function renderCard(card) {
  const url = httpUrl(card.url);
  const icon = httpUrl(card.icon?.url);
  const thumbnail = httpUrl(card.thumbnail?.url);
  const title = url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, String(card.title ?? '')) : String(card.title ?? '');
  const attributes = Array.isArray(card.attributes) ? card.attributes : [];
  return h(
    'div',
    { class: `card card--${String(card.style ?? 'application')}` },
    thumbnail && h('img', { class: 'card__thumbnail', src: thumbnail, alt: '' }),
    h(
      'div',
      { class: 'card__main' },
      h('div', { class: 'card__title' }, icon && h('img', { class: 'card__icon', src: icon, alt: '' }), title),
      card.description !== undefined && h('div', { class: 'card__description' }, richText(card.description)),
      attributes.length > 0 &&
        h(
          'dl',
          { class: 'card__attributes' },
          attributes.map((attribute) => [
            h('dt', {}, String(attribute.label ?? '')),
            h('dd', {}, attribute.value?.style ? lozenge(attribute.value.label, attribute.value.style) : String(attribute.value?.label ?? '')),
          ]),
        ),
      card.activity?.html && h('div', { class: 'card__activity' }, sanitizeHtml(card.activity.html)),
    ),
  );
}

function actionMenu(item, actions, onAction) {
  const menu = h(
    'ul',
    { class: 'menu', role: 'menu', hidden: true },
    actions.map(({ installation, action }) =>
      h('li', { role: 'none' }, h('button', { type: 'button', role: 'menuitem', onclick: () => ((menu.hidden = true), onAction(installation, action, item)) }, action.name)),
    ),
  );
  const toggle = h('button', {
    type: 'button',
    class: 'msg__actions',
    title: 'Message actions',
    'aria-label': 'Message actions',
    'aria-haspopup': 'menu',
    onclick: (event) => {
      event.stopPropagation();
      const wasHidden = menu.hidden;
      document.querySelectorAll('.menu').forEach((other) => (other.hidden = true));
      menu.hidden = !wasHidden;
    },
  }, '…');
  return h('div', { class: 'msg__menu' }, toggle, menu);
}

function renderFile(file) {
  const url = httpUrl(file.url);
  const label = `📎 ${String(file.name)} (${Number(file.size) || 0} bytes)`;
  return h('div', { class: 'msg__file' }, url ? h('a', { href: url, download: String(file.name), rel: 'noopener noreferrer' }, label) : label);
}

function initials(name) {
  return String(name).split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0]?.toUpperCase()).join('') || '?';
}

/** `actions`: [{installation, action}] of hipchat.message.action modules for this room. */
export function renderHistoryItem(item, actions, onAction) {
  const from = item.from.kind === 'user' ? item.from.name : item.from.label;
  const isNotification = item.type === 'notification';
  const color = COLORS.has(item.color) ? item.color : 'yellow';
  const body = item.message_format === 'html' ? sanitizeHtml(item.message) : item.message;
  return h(
    'li',
    { class: `msg msg--${item.type}${isNotification ? ` msg--${color}` : ''}`, dataset: { id: item.id } },
    h('div', { class: `avatar${isNotification ? ' avatar--addon' : ''}`, 'aria-hidden': 'true' }, initials(from)),
    h(
      'div',
      { class: 'msg__content' },
      h('div', { class: 'msg__meta' }, h('span', { class: 'msg__from' }, from), h('time', { datetime: item.date }, formatTime(item.date))),
      item.card ? renderCard(item.card) : h('div', { class: 'msg__body' }, body),
      item.file && renderFile(item.file),
    ),
    actions.length > 0 && actionMenu(item, actions, onAction),
  );
}
