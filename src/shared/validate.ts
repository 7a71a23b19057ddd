import { z } from 'zod';
import { badRequest } from './errors';

/** Parses untrusted input with a zod schema; on failure throws a 400 that names the first field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : what;
  throw badRequest(`${field}: ${issue?.message ?? 'is invalid'}`, 'invalid_request');
}

/**
 * Every HipChat id the add-on stores (room, group, task number, counters) lives in a Postgres `integer`
 * column (see src/store/migrations): larger values would make the query fail, so they are refused at
 * the edge. HipChat's ids start at 1.
 */
export const MAX_STORED_ID = 2_147_483_647;

const ID_MESSAGE = `must be a whole number from 1 to ${MAX_STORED_ID}`;

/** Whether `value` fits an id column: a whole number from 1 to 2^31−1. */
export function isStoredId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_STORED_ID;
}

/** A JSON number that fits an id column (room, group, task number, user id). */
export const storedIdSchema = z.number({ error: ID_MESSAGE }).refine(isStoredId, { message: ID_MESSAGE });

/** The same id written in a path or query string: digits only, then the same range. */
export const storedIdTextSchema = z
  .string({ error: ID_MESSAGE })
  .regex(/^\d{1,10}$/, ID_MESSAGE)
  .transform(Number)
  .refine(isStoredId, { message: ID_MESSAGE });

/** Either form, where a sender may write the id as a number or as its digits. */
export const storedIdOrTextSchema = z.union([storedIdSchema, storedIdTextSchema], { error: ID_MESSAGE });
