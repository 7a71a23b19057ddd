import { z } from 'zod';

export const NOTIFICATION_COLORS = ['yellow', 'green', 'red', 'purple', 'gray', 'random'] as const;
export type NotificationColor = (typeof NOTIFICATION_COLORS)[number];

/** Per-installation settings, edited on the configuration page. */
export interface TaskSettings {
  /** Also post a (notifying) room notification for every new task. */
  announceNewTasks: boolean;
  /** Colour of the add-on's replies and announcements. */
  color: NotificationColor;
  /** Send people a private message of their open tasks in a room when they enter it (at most once a day). */
  remindOnEnter: boolean;
}

export const DEFAULT_SETTINGS: TaskSettings = { announceNewTasks: false, color: 'yellow', remindOnEnter: false };

/** PUT /api/settings: any of the fields, at least one. */
export const settingsUpdateSchema = z
  .strictObject({
    announceNewTasks: z.boolean().optional(),
    color: z.enum(NOTIFICATION_COLORS).optional(),
    remindOnEnter: z.boolean().optional(),
  })
  .refine((value) => value.announceNewTasks !== undefined || value.color !== undefined || value.remindOnEnter !== undefined, {
    message: 'must set announceNewTasks, color or remindOnEnter',
  });

export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;
