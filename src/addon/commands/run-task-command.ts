import type { RoomNotification } from '../../hipchat/api/hipchat-messages';
import { HttpError } from '../../shared/errors';
import { escapeHtml } from '../pages/escape-html';
import type { TaskScope } from '../tasks/task';
import type { Actor, TaskService } from '../tasks/task-service';
import { parseTaskCommand, type TaskCommand } from './parse-task-command';
import { renderHelp, renderList, renderUsageError, reply, taskLine } from './render-task-replies';

/**
 * Runs one "/task …" message and answers with the notification HipChat posts into the room.
 * Mistakes (bad arguments, unknown numbers) are answered in the room, never as HTTP errors.
 */
export async function runTaskCommand(tasks: TaskService, scope: TaskScope, message: string, actor: Actor): Promise<RoomNotification> {
  const settings = await tasks.settingsFor(scope);
  const command = parseTaskCommand(message);
  if (command.kind === 'invalid') return reply(renderUsageError(command.message, command.usage), 'red');
  try {
    return reply(await answer(tasks, scope, command, actor), settings.color);
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) {
      // The service names the field ("text: …"); in the room only the explanation matters.
      return reply(escapeHtml(error.message.replace(/^[a-z]+: /, '')), 'red');
    }
    throw error;
  }
}

async function answer(tasks: TaskService, scope: TaskScope, command: Exclude<TaskCommand, { kind: 'invalid' }>, actor: Actor): Promise<string> {
  switch (command.kind) {
    case 'add': {
      const task = await tasks.add(scope, command.text, actor);
      return `Added #${task.number}: ${escapeHtml(task.text)}`;
    }
    case 'list':
      return renderList(await tasks.list(scope, { all: command.all }), command.all);
    case 'done':
    case 'undo': {
      const done = command.kind === 'done';
      const { task, changed } = await tasks.update(scope, command.number, { done });
      if (!changed) return `#${task.number} is already ${done ? 'done' : 'open'}: ${escapeHtml(task.text)}`;
      return `${done ? 'Done' : 'Reopened'}: ${taskLine(task)}`;
    }
    case 'delete': {
      const task = await tasks.delete(scope, command.number);
      return `Deleted #${task.number}: ${escapeHtml(task.text)}`;
    }
    case 'assign': {
      const { task } = await tasks.update(scope, command.number, { assignee: command.assignee });
      return `Assigned: ${taskLine(task)}`;
    }
    case 'help':
    case 'unknown':
      return renderHelp();
  }
}
