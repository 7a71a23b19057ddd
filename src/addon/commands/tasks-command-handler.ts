import type { CommandHandler } from '../../hipchat/commands/command-handler';
import type { TaskService } from '../tasks/task-service';
import { runTaskCommand } from './run-task-command';

/**
 * The build-your-own slash command of token-connected rooms runs the same "/task …" commands as the
 * installed add-on, on the connection's own list. Any other message gets the /task help, as an
 * installed room's unknown sub-command does.
 */
export function tasksCommandHandler(tasks: TaskService): CommandHandler {
  return {
    handle(scope, text, sender) {
      return runTaskCommand(tasks, scope, text, { userId: String(sender.id), name: sender.name });
    },
  };
}
