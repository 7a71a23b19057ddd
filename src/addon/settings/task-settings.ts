import { z } from 'zod';

export const NOTIFICATION_COLORS = ['yellow', 'green', 'red', 'purple', 'gray', 'random'] as const;
export type NotificationColor = (typeof NOTIFICATION_COLORS)[number];

/** Per-installation settings, edited on the configuration page. */
export interface TaskSettings {
  /** Also post a (notifying) room notification for every new task. */
  announceNewTasks: boolean;
  /** Colour of the add-on's replies and announcements. */
  color: NotificationColor;
}

export const DEFAULT_SETTINGS: TaskSettings = { announceNewTasks: false, color: 'yellow' };

/** PUT /api/settings: either field, at least one. */
export const settingsUpdateSchema = z
  .strictObject({
    announceNewTasks: z.boolean().optional(),
    color: z.enum(NOTIFICATION_COLORS).optional(),
  })
  .refine((value) => value.announceNewTasks !== undefined || value.color !== undefined, {
    message: 'must set announceNewTasks or color',
  });

export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;
