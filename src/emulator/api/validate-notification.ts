import type { HistoryItem, MessageColor, Sender } from '../model/types';

export interface ValidNotification {
  message: string;
  message_format: 'html' | 'text';
  color: MessageColor | 'random';
  notify: boolean;
  from?: string;
  card?: Record<string, unknown>;
  attach_to?: string;
}

export type FieldResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const COLORS = ['yellow', 'green', 'red', 'purple', 'gray', 'random'] as const;
const CARD_STYLES = ['application', 'link', 'image', 'media', 'file'] as const;
/**
 * HipChat's docs disagree on `from`: 64 characters in the API reference, 25 in older pages. The
 * emulator accepts up to 64; 25 is the documented safe limit add-ons should keep under.
 */
export const FROM_MAX_LENGTH = 64;

function fail<T>(field: string, message: string): FieldResult<T> {
  return { ok: false, field, message: `${field}: ${message}` };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function checkString(value: unknown, field: string, min: number, max: number): string | undefined {
  if (typeof value !== 'string') return `${field}: must be a string`;
  if (value.length < min || value.length > max) return `${field}: length must be between ${min} and ${max}`;
  return undefined;
}

function checkIcon(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return undefined;
  const icon = asRecord(value);
  if (!icon) return `${field}: must be a URL string or {url, url@2x}`;
  return checkString(icon.url, `${field}.url`, 1, 2000);
}

/**
 * Card rules from the API reference. Which fields each style requires is only partly documented;
 * the emulator chooses the strict reading: every card needs `style`, `id` and `title`; `link`,
 * `image`, `media` and `file` need a `url`; `image` also needs a `thumbnail`.
 */
export function validateCard(value: unknown): FieldResult<Record<string, unknown>> {
  const card = asRecord(value);
  if (!card) return fail('card', 'must be an object');
  if (typeof card.style !== 'string' || !(CARD_STYLES as readonly string[]).includes(card.style)) {
    return fail('card.style', `must be one of ${CARD_STYLES.join(', ')}`);
  }
  const problems: Array<[string, string | undefined]> = [
    ['card.id', checkString(card.id, 'card.id', 1, 500)],
    ['card.title', checkString(card.title, 'card.title', 1, 500)],
  ];
  if (card.style !== 'application' || card.url !== undefined) problems.push(['card.url', checkString(card.url, 'card.url', 1, 2000)]);
  if (card.style === 'image' || card.thumbnail !== undefined) {
    const thumbnail = asRecord(card.thumbnail);
    problems.push(['card.thumbnail', thumbnail ? checkString(thumbnail.url, 'card.thumbnail.url', 1, 2000) : 'card.thumbnail: must be an object {url}']);
  }
  if (card.format !== undefined && card.format !== 'compact' && card.format !== 'medium') problems.push(['card.format', 'card.format: must be compact or medium']);
  if (card.description !== undefined) {
    const description = asRecord(card.description);
    if (typeof card.description === 'string') problems.push(['card.description', checkString(card.description, 'card.description', 1, 1000)]);
    else if (!description) problems.push(['card.description', 'card.description: must be a string or {value, format}']);
    else {
      problems.push(['card.description.value', checkString(description.value, 'card.description.value', 1, 1000)]);
      if (description.format !== 'html' && description.format !== 'text') problems.push(['card.description.format', 'card.description.format: must be html or text']);
    }
  }
  problems.push(['card.icon', checkIcon(card.icon, 'card.icon')]);
  if (card.activity !== undefined) {
    const activity = asRecord(card.activity);
    problems.push(['card.activity', activity ? checkString(activity.html, 'card.activity.html', 1, 1000) : 'card.activity: must be an object {html, icon?}']);
    if (activity) problems.push(['card.activity.icon', checkIcon(activity.icon, 'card.activity.icon')]);
  }
  if (card.attributes !== undefined) {
    if (!Array.isArray(card.attributes)) problems.push(['card.attributes', 'card.attributes: must be an array']);
    else
      card.attributes.forEach((attribute: unknown, index) => {
        const field = `card.attributes[${index}]`;
        const record = asRecord(attribute);
        const value = asRecord(record?.value);
        if (!record || !value) problems.push([field, `${field}: must be {label?, value: {label, url?, style?, icon?}}`]);
        else {
          if (record.label !== undefined) problems.push([`${field}.label`, checkString(record.label, `${field}.label`, 1, 50)]);
          problems.push([`${field}.value.label`, checkString(value.label, `${field}.value.label`, 1, 50)]);
        }
      });
  }
  const first = problems.find(([, problem]) => problem !== undefined);
  if (first) return { ok: false, field: first[0], message: first[1] ?? first[0] };
  return { ok: true, value: card };
}

/** Validates a send-notification body (REST endpoint and webhook replies). Pure. */
export function validateNotification(body: unknown, roomHasMessage: (id: string) => boolean): FieldResult<ValidNotification> {
  const input = asRecord(body);
  if (!input) return fail('body', 'must be a JSON object');
  const messageProblem = checkString(input.message, 'message', 1, 10_000);
  if (messageProblem) return { ok: false, field: 'message', message: input.message === undefined ? 'message: is required' : messageProblem };
  const format = input.message_format ?? 'html';
  if (format !== 'html' && format !== 'text') return fail('message_format', 'must be html or text');
  const color = input.color ?? 'yellow';
  if (typeof color !== 'string' || !(COLORS as readonly string[]).includes(color)) return fail('color', `must be one of ${COLORS.join(', ')}`);
  // The docs list notify as "STR | BOO"; the emulator accepts only a JSON boolean (the safer reading).
  const notify = input.notify ?? false;
  if (typeof notify !== 'boolean') return fail('notify', 'must be a boolean');
  if (input.from !== undefined) {
    const problem = checkString(input.from, 'from', 0, FROM_MAX_LENGTH);
    if (problem) return { ok: false, field: 'from', message: problem };
  }
  let card: Record<string, unknown> | undefined;
  if (input.card !== undefined) {
    const result = validateCard(input.card);
    if (!result.ok) return result;
    card = result.value;
  }
  if (input.attach_to !== undefined) {
    if (typeof input.attach_to !== 'string' || input.attach_to.length === 0) return fail('attach_to', 'must be a message id');
    if (!roomHasMessage(input.attach_to)) return fail('attach_to', 'no message with that id in this room');
  }
  const value: ValidNotification = { message: input.message as string, message_format: format, color: color as ValidNotification['color'], notify };
  if (typeof input.from === 'string') value.from = input.from;
  if (card) value.card = card;
  if (typeof input.attach_to === 'string') value.attach_to = input.attach_to;
  return { ok: true, value };
}

/** `random` is resolved when the notification is stored, as HipChat did. */
export function resolveColor(color: ValidNotification['color'], pick: () => number = Math.random): MessageColor {
  if (color !== 'random') return color;
  const palette: MessageColor[] = ['yellow', 'green', 'red', 'purple', 'gray'];
  return palette[Math.floor(pick() * palette.length)] ?? 'yellow';
}

/** The history item a valid notification becomes in `roomId`, sent by `from`. */
export function notificationItem(roomId: number, from: Sender, notification: ValidNotification): Omit<HistoryItem, 'id' | 'date'> {
  return {
    roomId,
    type: 'notification',
    from,
    message: notification.message,
    message_format: notification.message_format,
    color: resolveColor(notification.color),
    notify: notification.notify,
    mentions: [],
    ...(notification.card ? { card: notification.card } : {}),
    ...(notification.attach_to ? { attach_to: notification.attach_to } : {}),
  };
}
