import axios, { type AxiosInstance } from 'axios';
import { HttpError } from '../../shared/errors';

/**
 * GETs a JSON document from HipChat (capabilities document, browser flow's installable_url) with the
 * add-on's HTTP client: bounded time and size, no redirects followed. Any failure becomes a 502 that
 * says what went wrong; the URL must already have been checked as trusted. A `secretUrl` (the one-time
 * installable_url: whoever holds it can fetch the OAuth secret) is named by its origin only, and the
 * HTTP client's error (which carries the URL) is not kept as the cause, since 502s are logged.
 */
export async function fetchHipChatJson(http: AxiosInstance, url: string, what: string, options: { secretUrl?: boolean } = {}): Promise<unknown> {
  const shown = options.secretUrl ? `${new URL(url).origin}/[REDACTED]` : url;
  let response;
  try {
    response = await http.get<string>(url, {
      headers: { accept: 'application/json' },
      responseType: 'text',
      validateStatus: () => true,
    });
  } catch (error) {
    const cause = options.secretUrl ? {} : { cause: error };
    throw new HttpError(502, 'hipchat_unreachable', `${what} at ${shown} could not be fetched: ${describe(error)}`, {}, cause);
  }
  if (response.status >= 300 && response.status < 400) {
    throw new HttpError(502, 'hipchat_redirected', `${what} at ${shown} answered a redirect (HTTP ${response.status}); redirects are not followed`);
  }
  if (response.status !== 200) {
    throw new HttpError(502, 'hipchat_bad_answer', `${what} at ${shown} answered HTTP ${response.status}`);
  }
  try {
    return JSON.parse(response.data) as unknown;
  } catch {
    throw new HttpError(502, 'hipchat_bad_answer', `${what} at ${shown} is not JSON`);
  }
}

function describe(error: unknown): string {
  if (axios.isAxiosError(error)) return error.code ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
