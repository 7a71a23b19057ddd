import { z } from 'zod';
import { storedIdOrTextSchema, storedIdSchema } from '../../shared/validate';

/** HipChat's ten webhook events (HIPCHAT-PROTOCOL.md §6). */
export const WEBHOOK_EVENTS = [
  'room_archived',
  'room_created',
  'room_deleted',
  'room_enter',
  'room_exit',
  'room_file_upload',
  'room_message',
  'room_notification',
  'room_topic_change',
  'room_unarchived',
] as const;

export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

// Only what handlers read is checked; HipChat sent more (links, webhook_id, mentions…), kept as is.
const NAME = z.string().max(200);
const roomSchema = z.looseObject({ id: storedIdSchema, name: NAME.optional() });
/** A person HipChat names in a payload. Ids may come as digits (older clients); name fields are optional. */
const personSchema = z.looseObject({ id: storedIdOrTextSchema, name: NAME.optional(), mention_name: NAME.optional() });

// Room messages are at most 10 000 characters (HipChat's own send limit); nothing longer is one.
const messageSchema = z.looseObject({
  id: z.string().max(100).optional(),
  date: z.string().max(100).optional(),
  message: z.string().max(10_000),
  // HipChat always sent `from`; a body without it is still attributed to the JWT's user (see requireJwt).
  from: z
    .looseObject({ id: storedIdOrTextSchema.optional(), name: NAME.optional(), mention_name: NAME.optional() })
    .optional(),
});

// room_notification: shaped like a room message, but `from` is the sender's label (a string). [1]
const notificationSchema = messageSchema.extend({ from: z.string().max(200).optional() });

// room_file_upload: the reference gives {name, size, url, thumb_url}; only name and url are required
// here (the safer reading: a handler gets no size it cannot trust to be there). [1/inferred]
const fileSchema = z.looseObject({
  name: z.string().max(1000),
  size: z.number().int().nonnegative().optional(),
  url: z.string().max(2000),
  // null for a file that is no image (the emulator's reading); refusing it would lose the upload.
  thumb_url: z.string().max(2000).nullable().optional(),
});

function envelope<E extends WebhookEventName, I extends z.ZodType>(event: E, item: I) {
  return z.looseObject({
    event: z.literal(event),
    item,
    // requireJwt holds it against the JWT's issuer; build-your-own rooms send their integration's id.
    oauth_client_id: z.string().max(100).optional(),
    webhook_id: z.union([z.number(), z.string().max(100)]).optional(),
  });
}

const withSender = z.looseObject({ room: roomSchema, sender: personSchema });
// Archive, create, delete and unarchive name the room, and the person who did it where there was one
// (the reference is unsure whether every one carries a sender: optional is the safer reading). [inferred]
const roomChange = z.looseObject({ room: roomSchema, sender: personSchema.optional() });

/** One schema per event; the listener layer and the build-your-own path parse with these. */
export const webhookSchemas = {
  room_archived: envelope('room_archived', roomChange),
  room_created: envelope('room_created', roomChange),
  room_deleted: envelope('room_deleted', roomChange),
  room_enter: envelope('room_enter', withSender),
  room_exit: envelope('room_exit', withSender),
  room_file_upload: envelope('room_file_upload', withSender.extend({ file: fileSchema })),
  // `message` first: a body without one is refused naming item.message.
  room_message: envelope('room_message', z.looseObject({ message: messageSchema, room: roomSchema })),
  room_notification: envelope('room_notification', z.looseObject({ message: notificationSchema, room: roomSchema })),
  room_topic_change: envelope('room_topic_change', withSender.extend({ topic: z.string().max(1000) })),
  room_unarchived: envelope('room_unarchived', roomChange),
} satisfies Record<WebhookEventName, z.ZodType>;

/** The validated body of a webhook of event E. */
export type WebhookPayload<E extends WebhookEventName = WebhookEventName> = z.infer<(typeof webhookSchemas)[E]>;

export function isWebhookEvent(value: unknown): value is WebhookEventName {
  return typeof value === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}
