/**
 * Joins HipChat's API base with a relative path. The base may come as hipchatApiProvider.url (with a
 * trailing "/") or links.api (without one); the result never contains "//" after the host.
 */
export function joinApiUrl(apiUrl: string, path: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** One path segment (room id or name, webhook key), encoded. */
export const segment = (value: string | number): string => encodeURIComponent(String(value));
