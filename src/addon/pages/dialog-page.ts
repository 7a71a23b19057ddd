import { MAX_TASK_TEXT } from '../tasks/task';
import { escapeHtml } from './escape-html';

/** The create-task dialog: prefilled from ?text= here, or from the message action by dialog.js. */
export function dialogBody(prefill: string): string {
  return `<main class="dialog">
<form id="create-task" method="post" action="/api/tasks">
<label for="text">Task</label>
<textarea id="text" name="text" rows="4" maxlength="${MAX_TASK_TEXT}" required>${escapeHtml(prefill)}</textarea>
<p class="actions"><button type="submit" id="create">Create</button></p>
</form>
<p id="status" class="status" role="status"></p>
</main>`;
}
