import { isStoredId } from '../../shared/validate';

/**
 * Where tasks live: one room, seen through its list's owner. An installation (a global one spans many
 * rooms) or a room connected by a notification token (its build-your-own slash command); the same room
 * seen through both keeps two lists. Same shape as the DeliveryTarget replies go to.
 */
export type TaskScope =
  | { kind: 'installation'; oauthId: string; roomId: number }
  | { kind: 'room_token'; connectionId: string; roomId: number };

/** The stored key of a list's owner (tasks.list_owner): an oauthId, or "connection:<id>". */
export function listOwner(scope: TaskScope): string {
  return scope.kind === 'installation' ? scope.oauthId : `connection:${scope.connectionId}`;
}

export interface Task {
  number: number;
  text: string;
  done: boolean;
  /** Mention name without "@", or null. */
  assignee: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MAX_TASK_TEXT = 500;

/** Mention names HipChat allowed (letters, digits, "_", ".", "-"); @all and @here notify everyone, so never assignees. */
const MENTION_NAME = /^[A-Za-z0-9_.-]{1,50}$/;
const BROADCAST_MENTIONS = new Set(['all', 'here']);

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Task text as stored: control characters dropped and runs of white space (newlines included)
 * collapsed, since a task is one line; then 1–500 characters (code points, as Postgres counts them).
 */
export function checkTaskText(raw: string): Checked<string> {
  // eslint-disable-next-line no-control-regex
  const text = raw.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').replace(/\s+/g, ' ').trim();
  const length = [...text].length;
  if (length === 0) return { ok: false, message: 'The task text is empty.' };
  if (length > MAX_TASK_TEXT) {
    return { ok: false, message: `The task text is too long (${length} characters; at most ${MAX_TASK_TEXT}).` };
  }
  return { ok: true, value: text };
}

/** "@ada" or "ada" → "ada". */
export function checkAssignee(raw: string): Checked<string> {
  const name = raw.startsWith('@') ? raw.slice(1) : raw;
  if (!MENTION_NAME.test(name)) {
    return { ok: false, message: 'An assignee must be a mention name such as @ada.' };
  }
  if (BROADCAST_MENTIONS.has(name.toLowerCase())) {
    return { ok: false, message: `@${name} cannot be assigned a task; name one person.` };
  }
  return { ok: true, value: name };
}

/** Task numbers as people type them: "3" or "#3"; positive and within Postgres' integer. */
export function parseTaskNumber(raw: string): number | undefined {
  const match = /^#?(\d{1,10})$/.exec(raw);
  const number = match ? Number(match[1]) : NaN;
  return isStoredId(number) ? number : undefined;
}
