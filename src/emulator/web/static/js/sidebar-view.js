// The right sidebar: every installed add-on's glances, or one add-on's webPanel in an iframe.
import { h, clear, httpUrl } from './dom.js';
import { sanitizeHtml } from './sanitize-html.js';
import { lozenge } from './history-view.js';
import { disposeFrame } from './frame-host.js';

let openFrame;

function glanceStatus(content) {
  const status = content?.status;
  if (status?.type === 'lozenge') return lozenge(status.value?.label, status.value?.type);
  const icon = status?.type === 'icon' ? httpUrl(status.value?.url) : undefined;
  return icon ? h('img', { class: 'glance__status-icon', src: icon, alt: '' }) : null;
}

/** entries: [{installation, glance, value: {content}|{error}|undefined}]; onOpen(entry) on click. */
export function showGlances(sidebar, entries, onOpen) {
  disposeFrame(openFrame);
  openFrame = undefined;
  const list = entries.map((entry) => {
    const { glance, value } = entry;
    const icon = httpUrl(glance.iconUrl);
    let label;
    if (value?.content) label = h('span', { class: 'glance__label' }, sanitizeHtml(value.content.label?.value ?? ''));
    else if (value?.error) label = h('span', { class: 'glance__label glance__label--error', title: value.error }, 'Unavailable');
    else label = h('span', { class: 'glance__label glance__label--muted' }, glance.queryable ? 'Loading…' : '');
    return h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'glance', dataset: { glance: glance.key, addon: entry.installation.addonKey }, disabled: !glance.target, onclick: () => onOpen(entry) },
        icon ? h('img', { class: 'glance__icon', src: icon, alt: '' }) : h('span', { class: 'glance__icon glance__icon--blank', 'aria-hidden': 'true' }),
        h('span', { class: 'glance__text' }, h('span', { class: 'glance__name' }, glance.name), label),
        glanceStatus(value?.content),
      ),
    );
  });
  clear(sidebar).append(
    h('header', { class: 'sidebar__header' }, h('h2', {}, 'Glances')),
    list.length > 0
      ? h('ul', { class: 'glances' }, list)
      : h('p', { class: 'empty' }, 'No add-on in this room has a glance. Install one under ', h('a', { href: '#/addons' }, 'Add-ons'), '.'),
  );
}

/** Shows a webPanel's iframe with a way back to the glances. */
export function showPanel(sidebar, title, frame, onBack) {
  disposeFrame(openFrame);
  openFrame = frame;
  clear(sidebar).append(
    h(
      'header',
      { class: 'sidebar__header' },
      h('button', { type: 'button', class: 'link-button', 'aria-label': 'Back to glances', onclick: onBack }, '‹ Back'),
      h('h2', {}, title),
    ),
    h('div', { class: 'sidebar__panel' }, frame.iframe),
  );
}

export function sidebarPanelOpen() {
  return openFrame !== undefined;
}
