import { z } from 'zod';

const INTEGER = 'must be an integer';

/** An id as a JSON number or as its digits (path parameters and query strings are text). */
export const integerSchema = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)], { error: INTEGER });

export const nonEmptyStringSchema = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });

export const booleanSchema = z.boolean({ error: 'must be true or false' });

export const roomIdParamsSchema = z.object({ roomId: integerSchema });
export const userIdParamsSchema = z.object({ userId: integerSchema });
