import path from 'node:path';
import { defineModule, type AddonModule } from '../hipchat/modules/addon-module';
import { taskCommand } from './commands/task-command';
import { remindOnEnter } from './events/remind-on-enter';
import { roomLifecycle } from './events/room-lifecycle';
import { tasksRoutes } from './tasks-routes';
import { TaskService } from './tasks/task-service';

const icon = { url: '/static/tasks-icon.png', 'url@2x': '/static/tasks-icon@2x.png' };

/**
 * The reference add-on "Tasks" as a module: the /task command (installed and token-connected rooms),
 * the tasks glance, the sidebar, the create-task dialog with its message and input actions, the
 * configuration page, the opt-in room_enter reminder, and archived rooms' frozen lists.
 */
export function tasksModule(): AddonModule {
  return defineModule({
    key: 'tasks',
    descriptor: {
      // send_message: the opt-in room_enter reminder is a private message.
      scopes: ['send_notification', 'send_message'],
      glances: [{ key: 'tasks', name: { value: 'Tasks' }, queryUrl: '/glance/tasks', target: 'tasks-sidebar', icon }],
      webPanels: [{ key: 'tasks-sidebar', name: { value: 'Tasks' }, location: 'hipchat.sidebar.right', url: '/sidebar' }],
      dialogs: [
        {
          key: 'create-task-dialog',
          title: { value: 'Create a task' },
          url: '/dialog/create-task',
          options: {
            size: { width: '500px', height: '260px' },
            primaryAction: { key: 'create', name: { value: 'Create' }, enabled: true },
            secondaryActions: [{ key: 'cancel', name: { value: 'Cancel' } }],
          },
        },
      ],
      actions: [
        { key: 'create-task-action', name: { value: 'Create a task' }, target: 'create-task-dialog', location: 'hipchat.message.action' },
        // The composer's text reaches the dialog as `message` of its parameters (dialog.js prefills it).
        { key: 'add-as-task', name: { value: 'Add as task' }, target: 'create-task-dialog', location: 'hipchat.input.action' },
      ],
      configurable: { url: '/configure' },
    },
    migrations: {
      dir: path.join(__dirname, 'migrations'),
      // Before modules, these ran in the shared history as 003 and 005: such databases keep their tables.
      formerVersions: { '001_tasks': '003_tasks', '002_connection_tasks': '005_connection_tasks' },
      // 002 references gateway_connections: a token-connected room's list cascades from its connection.
      after: ['gateway'],
    },
    setup(core) {
      const tasks = new TaskService(core.db, core.notifications);
      return {
        commands: { '/task': taskCommand(tasks) },
        events: { room_enter: remindOnEnter(tasks), ...roomLifecycle(tasks) },
        routes: tasksRoutes(core, tasks),
        background: [tasks.cacheTask],
      };
    },
  });
}
