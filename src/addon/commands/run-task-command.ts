import type { RoomNotification } from '../../hipchat/api/hipchat-messages';
import { HttpError } from '../../shared/errors';
import type { Transactional } from '../../store/transactional';
import { escapeHtml } from '../pages/escape-html';
import type { TaskScope } from '../tasks/task';
import type { Actor, TaskService } from '../tasks/task-service';
import { parseTaskCommand, type TaskCommand } from './parse-task-command';
import { renderHelp, renderList, renderUsageError, reply, taskLine } from './render-task-replies';

type ValidCommand = Exclude<TaskCommand, { kind: 'invalid' }>;
type WriteCommand = Extract<ValidCommand, { kind: 'add' | 'done' | 'undo' | 'delete' | 'assign' }>;

/**
 * Runs a command that changes the list at most once, and answers its reply (the replay guard for a
 * signed webhook: a repeated one is answered the first reply). Without it, the change simply runs.
 */
export type RunWriteOnce = (effect: (within: Transactional | undefined) => Promise<RoomNotification>) => Promise<RoomNotification>;

const runDirectly: RunWriteOnce = (effect) => effect(undefined);

/**
 * Runs one "/task …" message and answers with the notification HipChat posts into the room.
 * Mistakes (bad arguments, unknown numbers) are answered in the room, never as HTTP errors. Commands
 * that only read (list, help) never reach `writeOnce`, so they stay off the replay table.
 */
export async function runTaskCommand(
  tasks: TaskService,
  scope: TaskScope,
  message: string,
  actor: Actor,
  writeOnce: RunWriteOnce = runDirectly,
): Promise<RoomNotification> {
  const settings = await tasks.settingsFor(scope);
  const command = parseTaskCommand(message);
  if (command.kind === 'invalid') return reply(renderUsageError(command.message, command.usage), 'red');
  if (!isWrite(command)) return reply(await read(tasks, scope, command), settings.color);
  return writeOnce(async (within) => {
    try {
      return reply(await write(tasks, scope, command, actor, within), settings.color);
    } catch (error) {
      if (error instanceof HttpError && error.status < 500) {
        // The service names the field ("text: …"); in the room only the explanation matters.
        return reply(escapeHtml(error.message.replace(/^[a-z]+: /, '')), 'red');
      }
      throw error;
    }
  });
}

function isWrite(command: ValidCommand): command is WriteCommand {
  return ['add', 'done', 'undo', 'delete', 'assign'].includes(command.kind);
}

async function read(tasks: TaskService, scope: TaskScope, command: Exclude<ValidCommand, WriteCommand>): Promise<string> {
  switch (command.kind) {
    case 'list':
      return renderList(await tasks.list(scope, { all: command.all }), command.all);
    case 'help':
    case 'unknown':
      return renderHelp();
  }
}

async function write(
  tasks: TaskService,
  scope: TaskScope,
  command: WriteCommand,
  actor: Actor,
  within: Transactional | undefined,
): Promise<string> {
  switch (command.kind) {
    case 'add': {
      const task = await tasks.add(scope, command.text, actor, within);
      return `Added #${task.number}: ${escapeHtml(task.text)}`;
    }
    case 'done':
    case 'undo': {
      const done = command.kind === 'done';
      const { task, changed } = await tasks.update(scope, command.number, { done }, within);
      if (!changed) return `#${task.number} is already ${done ? 'done' : 'open'}: ${escapeHtml(task.text)}`;
      return `${done ? 'Done' : 'Reopened'}: ${taskLine(task)}`;
    }
    case 'delete': {
      const task = await tasks.delete(scope, command.number, within);
      return `Deleted #${task.number}: ${escapeHtml(task.text)}`;
    }
    case 'assign': {
      const { task } = await tasks.update(scope, command.number, { assignee: command.assignee }, within);
      return `Assigned: ${taskLine(task)}`;
    }
  }
}
