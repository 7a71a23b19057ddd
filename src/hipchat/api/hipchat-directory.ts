import { z } from 'zod';

// HipChat's answers are validated at the edge like any other input; only the fields used are required.
const userSchema = z.looseObject({
  id: z.number().int(),
  is_group_admin: z.boolean(),
  is_guest: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  name: z.string().optional(),
});

const roomSchema = z.looseObject({
  id: z.number().int(),
  owner: z.looseObject({ id: z.number().int() }).nullable().optional(),
});

/** `GET /v2/user/{id}`: whether the user is a group admin. A deleted or guest user never counts as one. */
export function readGroupAdmin(body: unknown): boolean | undefined {
  const user = userSchema.safeParse(body);
  if (!user.success) return undefined;
  return user.data.is_group_admin && user.data.is_deleted !== true && user.data.is_guest !== true;
}

/** `GET /v2/room/{id}`: the owner's user id as a string (like a JWT's sub); null when the room has none. */
export function readRoomOwnerId(body: unknown): string | null | undefined {
  const room = roomSchema.safeParse(body);
  if (!room.success) return undefined;
  return room.data.owner ? String(room.data.owner.id) : null;
}

/** `GET /v2/user/{id}`: the user's display name as HipChat shows it (undefined when it cannot be read). */
export function readUserName(body: unknown): string | undefined {
  const user = userSchema.safeParse(body);
  return user.success ? user.data.name : undefined;
}
