/** '/hipchat/' → '/hipchat'; undefined, '' and '/' → ''. Refuses what is not a plain path. */
export function normalisePathPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) throw new Error(`pathPrefix must be a path such as /hipchat, got "${prefix}"`);
  return trimmed;
}
