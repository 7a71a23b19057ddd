import { NOTIFICATION_COLORS, type TaskSettings } from '../settings/task-settings';
import type { ConfigureAccess } from './configure-access';
import { escapeHtml } from './escape-html';

/** Where new hooks go: the installation's own room, or (a global installation) a room the admin names. */
export interface HookRoomChoice {
  global: boolean;
  /** The room the page was opened from, if any: the default for a global installation. */
  contextRoomId: number | null;
}

/**
 * Per-installation settings and incoming hooks; configure.js saves them through the JSON API. A user who
 * is not a room admin sees the settings read-only and no hooks (their URLs are secrets).
 */
export function configureBody(settings: TaskSettings, hookRoom: HookRoomChoice, access: ConfigureAccess): string {
  const note = access.note === null ? '' : `<p id="read-only-note" class="note" role="note">${escapeHtml(access.note)}</p>\n`;
  return `<main class="configure">
<h1>Tasks settings</h1>
${note}${settingsForm(settings, access.canEditSettings)}
<p id="status" class="status" role="status"></p>
${access.canManageHooks ? hooksSection(hookRoom, access.mayChooseHookRoom) : ''}
</main>`;
}

function settingsForm(settings: TaskSettings, editable: boolean): string {
  const options = NOTIFICATION_COLORS.map(
    (color) => `<option value="${color}"${color === settings.color ? ' selected' : ''}>${escapeHtml(color)}</option>`,
  ).join('');
  return `<form id="settings" method="post" action="/api/settings"${editable ? '' : ' data-read-only="true"'}>
<fieldset${editable ? '' : ' disabled'}>
<p><label><input type="checkbox" id="announce" name="announceNewTasks"${settings.announceNewTasks ? ' checked' : ''}> Announce new tasks in the room</label></p>
<p><label><input type="checkbox" id="remind" name="remindOnEnter"${settings.remindOnEnter ? ' checked' : ''}> Remind people of their open tasks when they enter a room (a private message, at most once a day)</label></p>
<p><label for="color">Notification colour</label> <select id="color" name="color">${options}</select></p>
${editable ? '<p class="actions"><button type="submit">Save</button></p>\n' : ''}</fieldset>
</form>`;
}

/** Hooks are listed and revoked by hooks-section code in configure.js (GET/POST/DELETE /api/hooks). */
function hooksSection(hookRoom: HookRoomChoice, mayChooseRoom: boolean): string {
  const roomField =
    hookRoom.global && mayChooseRoom
      ? ` <label for="hook-room">Room id</label> <input id="hook-room" name="roomId" type="number" min="1" required${
          hookRoom.contextRoomId ? ` value="${hookRoom.contextRoomId}"` : ''
        }>`
      : '';
  return `<section class="hooks" aria-labelledby="hooks-title">
<h2 id="hooks-title">Incoming hooks</h2>
<p class="hint">Other systems (CI, monitoring, deploy scripts) can post to a hook's URL; each post becomes a
notification in the room, delivered at the pace HipChat allows and never lost.</p>
<form id="new-hook">
<p><label for="hook-label">Label</label> <input id="hook-label" name="label" maxlength="100" placeholder="CI builds">${roomField}
<button type="submit">Create hook</button></p>
</form>
<p id="hook-created" class="hook-created" hidden>Hook created. Its URL is shown only now: <code id="hook-url"></code></p>
<p id="hooks-status" class="status" role="status"></p>
<table id="hooks"><thead><tr><th>Label</th><th>Room</th><th>Created</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody></tbody></table>
</section>`;
}
