import type { GlanceContent } from '../../hipchat/api/hipchat-messages';

export const TASKS_GLANCE_KEY = 'tasks';

/** Above this many open tasks the lozenge turns red: the room has a backlog. */
export const BACKLOG_THRESHOLD = 10;

/**
 * The Tasks glance for a room with `openCount` open tasks; an archived room's list is frozen, and says
 * so. Pure; holds no task text.
 */
export function buildGlance(openCount: number, options: { archived?: boolean } = {}): GlanceContent {
  const noun = openCount === 1 ? 'open task' : 'open tasks';
  if (options.archived) {
    return {
      label: { type: 'html', value: `<b>${openCount}</b> ${noun} (archived)` },
      status: { type: 'lozenge', value: { label: 'Frozen', type: 'moved' } },
      metadata: { openCount, archived: true },
    };
  }
  return {
    label: { type: 'html', value: `<b>${openCount}</b> ${noun}` },
    status: {
      type: 'lozenge',
      value:
        openCount === 0
          ? { label: 'All done', type: 'success' }
          : { label: `${openCount} open`, type: openCount >= BACKLOG_THRESHOLD ? 'error' : 'current' },
    },
    metadata: { openCount },
  };
}
