import type { z } from 'zod';
import { badRequest } from './errors';

/** Parses untrusted input with a zod schema; on failure throws a 400 that names the first field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : what;
  throw badRequest(`${field}: ${issue?.message ?? 'is invalid'}`, 'invalid_request');
}
