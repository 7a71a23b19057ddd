import { z } from 'zod';
import { parseInput } from '../../shared/validate';
import { WEBHOOK_EVENTS } from '../events/webhook-events';

/**
 * What the add-on sends to HipChat's REST API, validated before anything is queued, so a bad payload
 * is refused at once (400 naming the field) instead of failing later in the delivery worker.
 */

const COLORS = ['yellow', 'green', 'red', 'purple', 'gray', 'random'] as const;
const LOZENGE_TYPES = ['default', 'success', 'error', 'current', 'complete', 'moved'] as const;
/** Module keys (webhooks, glances): 1–40 characters of [A-Za-z0-9_.-]. */
const MODULE_KEY = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1–40 characters of A–Z, a–z, 0–9, "_", "." or "-"');
const URL_STRING = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

const cardIcon = z.object({ url: URL_STRING, 'url@2x': URL_STRING.optional() });
const cardThumbnail = z.object({
  url: URL_STRING,
  'url@2x': URL_STRING.optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});

// HipChat's card schema required id, style and title; requiring them here is the safer reading. Fields
// HipChat does not define are refused rather than forwarded (an unknown, deeply nested one crashed the
// serialisation of the queued call).
const cardSchema = z.strictObject({
  style: z.enum(['application', 'link', 'image', 'media', 'file']),
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(500),
  url: URL_STRING.optional(),
  format: z.enum(['compact', 'medium']).optional(),
  description: z
    .union([z.string().max(1000), z.object({ value: z.string().max(1000), format: z.enum(['html', 'text']) })])
    .optional(),
  thumbnail: cardThumbnail.optional(),
  icon: cardIcon.optional(),
  date: z.number().int().optional(),
  activity: z.object({ html: z.string().min(1), icon: z.union([URL_STRING, cardIcon]).optional() }).optional(),
  attributes: z
    .array(
      z.object({
        label: z.string().max(50).optional(),
        value: z.object({
          label: z.string().min(1).max(500),
          style: z.string().optional(),
          url: URL_STRING.optional(),
          icon: cardIcon.optional(),
        }),
      }),
    )
    .max(20)
    .optional(),
});

export type Card = z.infer<typeof cardSchema>;

/** A notification's or message's text, as HipChat bounds it. */
export const messageText = z.string().min(1, 'must be 1–10000 characters').max(10_000, 'must be 1–10000 characters');

export const roomNotificationSchema = z.strictObject({
  message: messageText,
  message_format: z.enum(['html', 'text']).optional(),
  color: z.enum(COLORS).optional(),
  notify: z.boolean().optional(),
  // Sources disagree on 25 or 64 characters; 64 is the hard limit, 25 the recommended length.
  from: z.string().max(64, 'must be at most 64 characters (25 recommended)').optional(),
  card: cardSchema.optional(),
  attach_to: z.string().min(1).max(100).optional(),
});

export type RoomNotification = {
  message: string;
  message_format?: 'html' | 'text';
  color?: 'yellow' | 'green' | 'red' | 'purple' | 'gray' | 'random';
  notify?: boolean;
  from?: string;
  card?: Card;
  attach_to?: string;
};

/** A room message (`POST /v2/room/{id}/message`, sent as the add-on): HipChat allows 1–1000 characters. */
export const roomMessageSchema = z.strictObject({
  message: z.string().min(1, 'must be 1–1000 characters').max(1000, 'must be 1–1000 characters'),
});

export type RoomMessage = { message: string };

/** A private message (`POST /v2/user/{id_or_email}/message`, scope send_message): 1–10000 characters. */
export const privateMessageSchema = z.strictObject({
  message: messageText,
  message_format: z.enum(['html', 'text']).optional(),
  notify: z.boolean().optional(),
});

export type PrivateMessage = z.infer<typeof privateMessageSchema>;

/** A room topic (`PUT /v2/room/{id}/topic`): 1–250 characters. */
export const roomTopicSchema = z.strictObject({
  topic: z.string().min(1, 'must be 1–250 characters').max(250, 'must be 1–250 characters'),
});

const glanceStatusSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('lozenge'),
    value: z.strictObject({ label: z.string().min(1).max(100), type: z.enum(LOZENGE_TYPES) }),
  }),
  z.strictObject({ type: z.literal('icon'), value: cardIcon }),
]);

export const glanceContentSchema = z.strictObject({
  label: z.strictObject({ type: z.literal('html'), value: z.string().max(1000) }),
  status: glanceStatusSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export type GlanceContent = {
  label: { type: 'html'; value: string };
  status?:
    | {
        type: 'lozenge';
        value: { label: string; type: 'default' | 'success' | 'error' | 'current' | 'complete' | 'moved' };
      }
    | { type: 'icon'; value: { url: string; 'url@2x'?: string } };
  metadata?: Record<string, unknown>;
};

export const glanceUpdateSchema = z
  .array(z.strictObject({ key: MODULE_KEY, content: glanceContentSchema }))
  .min(1, 'must list at least one glance');

export type GlanceUpdate = Array<{ key: string; content: GlanceContent }>;


export const roomWebhookSchema = z.strictObject({
  url: URL_STRING,
  event: z.enum(WEBHOOK_EVENTS),
  pattern: z.string().max(512).optional(),
  name: z.string().min(1).max(100).optional(),
  authentication: z.enum(['jwt', 'none']).optional(),
});

export type RoomWebhook = z.infer<typeof roomWebhookSchema>;

export function parseRoomNotification(input: unknown): RoomNotification {
  return parseInput(roomNotificationSchema, input, 'notification');
}

export function parseRoomMessage(input: unknown): RoomMessage {
  return parseInput(roomMessageSchema, input, 'message');
}

export function parsePrivateMessage(input: unknown): PrivateMessage {
  return parseInput(privateMessageSchema, input, 'message');
}

export function parseRoomTopic(input: unknown): { topic: string } {
  return parseInput(roomTopicSchema, input, 'topic');
}

export function parseGlanceUpdate(input: unknown): GlanceUpdate {
  return parseInput(glanceUpdateSchema, input, 'glance');
}

export function parseRoomWebhook(input: unknown): RoomWebhook {
  return parseInput(roomWebhookSchema, input, 'webhook');
}

export function parseModuleKey(input: unknown, what = 'key'): string {
  return parseInput(MODULE_KEY, input, what);
}
