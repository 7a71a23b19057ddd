// A modal dialog around an add-on iframe. The client draws the title and the buttons from the
// descriptor's options, as HipChat did; a button click becomes a `dialog-button-click` event.
import { h } from './dom.js';
import { disposeFrame } from './frame-host.js';

const CSS_SIZE = /^\d+(\.\d+)?(px|%|em|rem|vh|vw)?$/;
let current;

function size(value, fallback) {
  const text = String(value ?? '');
  if (!CSS_SIZE.test(text)) return fallback;
  return /^\d+(\.\d+)?$/.test(text) ? `${text}px` : text;
}

function text(value) {
  if (typeof value === 'string') return value;
  return typeof value?.value === 'string' ? value.value : undefined;
}

function button(value) {
  const key = typeof value?.key === 'string' ? value.key : undefined;
  return key ? { key, name: text(value.name) ?? key } : undefined;
}

/** The descriptor's dialog ({title, options}) with HipChat.dialog.open's `options` laid over it. */
export function dialogOptions(dialog, overrides) {
  const base = dialog.options ?? {};
  const raw = overrides && typeof overrides === 'object' ? overrides : {};
  const primary = raw.primaryAction !== undefined ? button(raw.primaryAction) : base.primaryAction;
  return {
    title: text(raw.title) ?? dialog.title,
    width: raw.size?.width ?? base.width,
    height: raw.size?.height ?? base.height,
    primaryAction: primary ? { ...primary, enabled: (raw.primaryAction ?? base.primaryAction)?.enabled !== false } : undefined,
    secondaryActions: Array.isArray(raw.secondaryActions) ? raw.secondaryActions.map(button).filter(Boolean) : base.secondaryActions ?? [],
  };
}

export function currentDialog() {
  return current;
}

/** options: {width, height, primaryAction: {key, name, enabled}, secondaryActions: [{key, name}]}. */
export function openDialog({ title, options, frame, onButton }) {
  closeDialog();
  const heading = h('h2', { id: 'dialog-title' }, title);
  const primary = options.primaryAction
    ? h('button', { type: 'button', class: 'button button--primary', disabled: options.primaryAction.enabled === false, onclick: () => onButton(options.primaryAction.key) }, options.primaryAction.name)
    : null;
  const secondary = (options.secondaryActions ?? []).map((action) =>
    h('button', { type: 'button', class: 'link-button', onclick: () => onButton(action.key) }, action.name),
  );
  const body = h('div', { class: 'modal__body', style: `height: ${size(options.height, '320px')}` }, frame.iframe);
  const modal = h(
    'div',
    { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'dialog-title', style: `width: ${size(options.width, '600px')}` },
    h('header', { class: 'modal__header' }, heading, h('button', { type: 'button', class: 'modal__close', 'aria-label': 'Close dialog', onclick: closeDialog }, '×')),
    body,
    (primary || secondary.length > 0) && h('footer', { class: 'modal__footer' }, secondary, primary),
  );
  const backdrop = h('div', { class: 'modal-backdrop' }, modal);
  document.body.append(backdrop);
  current = {
    frame,
    setTitle: (text) => (heading.textContent = String(text)),
    updatePrimaryAction: (update) => {
      if (!primary) return;
      if (update.enabled !== undefined) primary.disabled = !update.enabled;
      if (typeof update.name === 'string') primary.textContent = update.name;
    },
    remove: () => {
      backdrop.remove();
      disposeFrame(frame);
    },
  };
  return current;
}

export function closeDialog() {
  current?.remove();
  current = undefined;
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && current) closeDialog();
});
