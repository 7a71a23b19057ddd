import path from 'node:path';
import { defineModule, type AddonModule } from '../hipchat/modules/addon-module';
import { taskCommand } from './commands/task-command';
import { tasksRoutes } from './tasks-routes';
import { TaskService } from './tasks/task-service';

const icon = { url: '/static/tasks-icon.png', 'url@2x': '/static/tasks-icon@2x.png' };

/**
 * The reference add-on "Tasks" as a module: the /task command (installed and token-connected rooms),
 * the tasks glance, the sidebar, the create-task dialog and message action, and the configuration page.
 */
export function tasksModule(): AddonModule {
  return defineModule({
    key: 'tasks',
    descriptor: {
      scopes: ['send_notification'],
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
      actions: [{ key: 'create-task-action', name: { value: 'Create a task' }, target: 'create-task-dialog', location: 'hipchat.message.action' }],
      configurable: { url: '/configure' },
    },
    migrations: {
      dir: path.join(__dirname, 'migrations'),
      // Before modules, these ran in the shared history as 003 and 005: such databases keep their tables.
      formerVersions: { '001_tasks': '003_tasks', '002_connection_tasks': '005_connection_tasks' },
    },
    setup(core) {
      const tasks = new TaskService(core.db, core.notifications);
      return {
        commands: { '/task': taskCommand(tasks) },
        routes: tasksRoutes(core, tasks),
        background: [tasks.cacheTask],
      };
    },
  });
}
