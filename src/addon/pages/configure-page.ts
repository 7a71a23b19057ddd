import { NOTIFICATION_COLORS, type TaskSettings } from '../settings/task-settings';
import { escapeHtml } from './escape-html';

/** Per-installation settings; configure.js saves them through PUT /api/settings. */
export function configureBody(settings: TaskSettings): string {
  const options = NOTIFICATION_COLORS.map(
    (color) => `<option value="${color}"${color === settings.color ? ' selected' : ''}>${escapeHtml(color)}</option>`,
  ).join('');
  return `<main class="configure">
<h1>Tasks settings</h1>
<form id="settings" method="post" action="/api/settings">
<p><label><input type="checkbox" id="announce" name="announceNewTasks"${settings.announceNewTasks ? ' checked' : ''}> Announce new tasks in the room</label></p>
<p><label for="color">Notification colour</label> <select id="color" name="color">${options}</select></p>
<p class="actions"><button type="submit">Save</button></p>
</form>
<p id="status" class="status" role="status"></p>
</main>`;
}
