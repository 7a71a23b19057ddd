import type { z } from 'zod';
import { HipChatError } from '../hipchat-error';

/**
 * Parses control API input (a body, path parameters or a query string) with a zod schema; on failure
 * throws a HipChat-shaped 400 naming the first field at fault, e.g. `userId: must be an integer`.
 */
export function parseControlInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : what;
  throw new HipChatError(400, `${field}: ${issue?.message ?? 'is invalid'}`);
}
