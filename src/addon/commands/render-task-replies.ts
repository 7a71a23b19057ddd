import type { RoomNotification } from '../../hipchat/api/hipchat-messages';
import { escapeHtml } from '../pages/escape-html';
import type { NotificationColor } from '../settings/task-settings';
import type { Task } from '../tasks/task';
import { USAGE } from './parse-task-command';

/** HipChat refuses notifications over 10,000 characters; a long list stops well before. */
const LIST_BUDGET = 9_000;

/** A webhook reply: HipChat posts it as a notification that does not ping anyone. */
export function reply(message: string, color: NotificationColor): RoomNotification {
  return { message, message_format: 'html', color, notify: false };
}

/** One task as a line of notification HTML; the text is always escaped. */
export function taskLine(task: Task): string {
  const assignee = task.assignee ? ` → @${escapeHtml(task.assignee)}` : '';
  const text = task.done ? `<i>${escapeHtml(task.text)}</i> (done)` : escapeHtml(task.text);
  return `<b>#${task.number}</b> ${text}${assignee}`;
}

export function renderList(tasks: readonly Task[], all: boolean): string {
  if (tasks.length === 0) {
    return all ? 'This room has no tasks yet. Add one with <code>/task add &lt;text&gt;</code>.' : 'No open tasks. 🎉';
  }
  const open = tasks.filter((task) => !task.done).length;
  const title = all ? `<b>Tasks</b> (${open} open, ${tasks.length - open} done)` : `<b>Open tasks</b> (${open})`;
  const lines = linesThatFit(title, tasks);
  const more = tasks.length - lines.length;
  const tail = more > 0 ? `<br>… and ${more} more (open the Tasks sidebar to see them all)` : '';
  return `${title}<br>${lines.join('<br>')}${tail}`;
}

/** As many task lines as fit in one notification after the title (each joined with a 4-character <br>). */
function linesThatFit(title: string, tasks: readonly Task[]): string[] {
  const lines: string[] = [];
  let length = title.length;
  for (const task of tasks) {
    const line = taskLine(task);
    if (length + line.length + 4 > LIST_BUDGET) break;
    lines.push(line);
    length += line.length + 4;
  }
  return lines;
}

export function renderHelp(): string {
  const commands: Array<[string, string]> = [
    [USAGE.add, 'add a task'],
    [USAGE.list, 'list open tasks (all: done ones too)'],
    [USAGE.done, 'mark a task done'],
    [USAGE.undo, 'reopen a task'],
    [USAGE.delete, 'delete a task'],
    [USAGE.assign, 'assign a task'],
    [USAGE.help, 'show this help'],
  ];
  const lines = commands.map(([usage, what]) => `<code>${escapeHtml(usage)}</code> ${what}`);
  return `<b>Tasks</b><br>${lines.join('<br>')}`;
}

export function renderUsageError(message: string, usage: string): string {
  return `${escapeHtml(message)} Usage: <code>${escapeHtml(usage)}</code>`;
}

/** The room_enter reminder (a private message): the person's open tasks in the room, as many as fit. */
export function renderReminder(roomName: string, tasks: readonly Task[]): string {
  const title = `You have <b>${tasks.length}</b> open task${tasks.length === 1 ? '' : 's'} in <b>${escapeHtml(roomName)}</b>:`;
  const lines = linesThatFit(title, tasks);
  const more = tasks.length - lines.length;
  return `${title}<br>${lines.join('<br>')}${more > 0 ? `<br>… and ${more} more` : ''}`;
}
