import type { Task } from '../tasks/task';
import { escapeHtml } from './escape-html';

/** The sidebar's list of open tasks; sidebar.js re-renders it the same way after each change. */
export function sidebarBody(tasks: readonly Task[]): string {
  const items = tasks.map(
    (task) =>
      `<li class="task" data-number="${task.number}"><span class="task-number">#${task.number}</span> ` +
      `<span class="task-text">${escapeHtml(task.text)}</span>` +
      (task.assignee ? ` <span class="task-assignee">@${escapeHtml(task.assignee)}</span>` : '') +
      ` <button type="button" class="complete" data-number="${task.number}">Done</button></li>`,
  );
  return `<main class="sidebar">
<p id="summary" class="summary">${summary(tasks.length)}</p>
<ul id="tasks" class="tasks">${items.join('\n')}</ul>
<p><button type="button" id="refresh">Refresh</button></p>
<p id="status" class="status" role="status"></p>
</main>`;
}

function summary(open: number): string {
  if (open === 0) return 'No open tasks.';
  return `${open} open task${open === 1 ? '' : 's'}`;
}
