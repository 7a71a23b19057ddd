import type { CommandHandler } from '../../hipchat/modules/addon-module';
import type { TaskScope } from '../tasks/task';
import type { TaskService } from '../tasks/task-service';
import { parseTaskCommand } from './parse-task-command';
import { runTaskCommand } from './run-task-command';

/**
 * The /task command, in installed rooms and in rooms connected with a notification token (on the
 * connection's own list) alike. Changes run once per signed webhook (ctx.once); reads do not need to.
 */
export function taskCommand(tasks: TaskService): CommandHandler {
  return async (ctx) => {
    // The body's name is the caller's word, so a name shown to the room (the "added by" announcement)
    // is HipChat's, asked only when there is one to show.
    const name = (await announcesAnAdd(tasks, ctx.target, ctx.text)) ? await ctx.displayName() : null;
    return runTaskCommand(tasks, ctx.target, ctx.text, { userId: ctx.user?.id ?? null, name }, ctx.once);
  };
}

/** Whether the message adds a task that will be announced with its author's name. */
async function announcesAnAdd(tasks: TaskService, scope: TaskScope, message: string): Promise<boolean> {
  return parseTaskCommand(message).kind === 'add' && (await tasks.settingsFor(scope)).announceNewTasks;
}
