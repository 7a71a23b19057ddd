// The Add-ons page: install from a descriptor URL (globally or in one room), uninstall, the add-on's
// configuration page (configurable.url) and, for group admins, its admin page (adminPage.url) in a signed iframe.
import { h, clear } from './dom.js';
import { api } from './api.js';
import { store, findRoom } from './store.js';
import { createAddonFrame, disposeFrame } from './frame-host.js';

let configurationFrame;
// One status line for the page, kept across re-renders (installation events re-render the list).
const status = h('p', { class: 'status', role: 'status' });

function scopeLabel(installation) {
  if (installation.roomId === undefined) return 'Global (every room)';
  return `Room: ${findRoom(installation.roomId)?.name ?? installation.roomId}`;
}

function installForm(status) {
  const urlInput = h('input', { id: 'descriptor-url', type: 'url', required: true, placeholder: 'http://127.0.0.1:3000/atlassian-connect.json', autocomplete: 'off' });
  const scope = h(
    'select',
    { id: 'install-scope' },
    h('option', { value: '' }, 'Whole group (global)'),
    store.state.rooms.map((room) => h('option', { value: String(room.id) }, `Room: ${room.name}`)),
  );
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Install');
  return h(
    'form',
    {
      class: 'install-form',
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        status.className = 'status';
        status.textContent = 'Installing…';
        try {
          const installation = await api.install(urlInput.value.trim(), scope.value ? Number(scope.value) : undefined);
          status.textContent = `Installed ${installation.addonName}.`;
          status.className = 'status status--ok';
          urlInput.value = '';
        } catch (error) {
          status.textContent = error.message;
          status.className = 'status status--error';
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('label', { for: 'descriptor-url' }, 'Descriptor URL'),
    h('div', { class: 'install-form__row' }, urlInput, h('label', { for: 'install-scope', class: 'visually-hidden' }, 'Install in'), scope, submit),
  );
}

function installationRow(installation, status, user) {
  const uninstall = h('button', {
    type: 'button',
    class: 'button button--danger',
    onclick: async () => {
      uninstall.disabled = true;
      try {
        await api.uninstall(installation.oauthId);
        status.textContent = `Uninstalled ${installation.addonName}.`;
        status.className = 'status status--ok';
      } catch (error) {
        status.textContent = error.message;
        status.className = 'status status--error';
        uninstall.disabled = false;
      }
    },
  }, 'Uninstall');
  return h(
    'tr',
    { dataset: { oauthId: installation.oauthId } },
    h('td', {}, h('strong', {}, installation.addonName), h('div', { class: 'muted' }, h('code', {}, installation.addonKey))),
    h('td', {}, scopeLabel(installation), !installation.active && h('div', { class: 'muted' }, 'installing…')),
    h('td', { class: 'cell-url' }, installation.descriptorUrl),
    h(
      'td',
      { class: 'cell-actions' },
      installation.configurable && h('a', { class: 'button', href: `#/addons/${encodeURIComponent(installation.oauthId)}/configure` }, 'Configure'),
      // HipChat showed the admin page in the group's administration, to group admins only.
      installation.adminPage && user?.is_group_admin && h('a', { class: 'button', href: `#/addons/${encodeURIComponent(installation.oauthId)}/admin` }, 'Admin page'),
      uninstall,
    ),
  );
}

async function configurationSection(installation, kind, roomId, userId) {
  const title = kind === 'adminPage' ? `Administer ${installation.addonName}` : `Configure ${installation.addonName}`;
  const url = await api.signedUrl(installation.oauthId, { kind, roomId, userId });
  configurationFrame = createAddonFrame(url, { installation, kind, roomId, userId, title });
  return h(
    'section',
    { class: 'configure' },
    h('header', { class: 'configure__header' }, h('h2', {}, title), h('a', { class: 'link-button', href: '#/addons' }, 'Close')),
    configurationFrame.iframe,
  );
}

/** page 'configure' or 'admin' of installation `oauthId`: show that page below the list. */
export async function renderAddons(main, { page: pageName, oauthId, roomId, user }) {
  const userId = user?.id;
  disposeFrame(configurationFrame);
  configurationFrame = undefined;
  const installations = store.state.installations;
  const table = installations.length
    ? h(
        'table',
        { class: 'addons' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Add-on'), h('th', {}, 'Installed in'), h('th', {}, 'Descriptor'), h('th', {}, ''))),
        h('tbody', {}, installations.map((installation) => installationRow(installation, status, user))),
      )
    : h('p', { class: 'empty' }, 'No add-on is installed yet.');
  const page = h(
    'div',
    { class: 'page' },
    h('h1', {}, 'Add-ons'),
    h('section', { class: 'panel' }, h('h2', {}, 'Install an add-on'), installForm(status), status),
    h('section', { class: 'panel' }, h('h2', {}, 'Installed'), table),
  );
  clear(main).append(page);
  const installation = installations.find((entry) => entry.oauthId === oauthId);
  const kind = pageName === 'admin' ? (installation?.adminPage && user?.is_group_admin ? 'adminPage' : undefined) : installation?.configurable ? 'configurable' : undefined;
  if (installation && kind && roomId !== undefined && userId !== undefined) {
    try {
      page.append(await configurationSection(installation, kind, installation.roomId ?? roomId, userId));
    } catch (error) {
      status.textContent = error.message;
      status.className = 'status status--error';
    }
  }
}
