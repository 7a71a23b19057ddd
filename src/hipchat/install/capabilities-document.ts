import { z } from 'zod';
import { HttpError } from '../../shared/errors';

/** What the add-on takes from HipChat's capabilities document for one installation. */
export interface HipChatEndpoints {
  capabilitiesUrl: string;
  /** capabilities.oauth2Provider.tokenUrl */
  tokenUrl: string;
  /** capabilities.hipchatApiProvider.url, with exactly one trailing slash. */
  apiUrl: string;
  /**
   * links.subdomain ?? links.homepage ?? the capabilities URL's origin, without query, fragment or trailing
   * slash: where HipChat serves all.js (`<base>/atlassian-connect/all.js`). The path is kept because a
   * HipChat Server behind a path (`https://chat.example.com/hipchat`) serves all.js under it.
   */
  hipchatBaseUrl: string;
}

const absoluteUrl = z.string().max(2000).refine(isAbsoluteHttpUrl, 'must be an absolute http(s) URL');

const capabilitiesDocumentSchema = z.object({
  links: z.object({
    self: z.string(),
    homepage: absoluteUrl.optional(),
    subdomain: absoluteUrl.optional(),
  }),
  capabilities: z.object({
    oauth2Provider: z.object({ tokenUrl: absoluteUrl }),
    hipchatApiProvider: z.object({ url: absoluteUrl }),
  }),
});

/**
 * Reads the parts of a capabilities document the add-on needs. Pure. `links.self` must equal the URL
 * the document was fetched from, exactly: that is what shows the document describes itself and was not
 * copied onto another URL (atlassian-connect-express-hipchat and the Sentry add-on check the same).
 */
export function readCapabilitiesDocument(document: unknown, fetchedUrl: string): HipChatEndpoints {
  const parsed = capabilitiesDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'document';
    throw new HttpError(502, 'invalid_capabilities', `HipChat's capabilities document is invalid: ${field}: ${issue?.message ?? 'is invalid'}`);
  }
  const { links, capabilities } = parsed.data;
  if (links.self !== fetchedUrl) {
    throw new HttpError(
      403,
      'capabilities_self_mismatch',
      `The capabilities document at ${fetchedUrl} names itself ${links.self}; links.self must equal the capabilities URL`,
    );
  }
  return {
    capabilitiesUrl: fetchedUrl,
    tokenUrl: capabilities.oauth2Provider.tokenUrl,
    apiUrl: normaliseApiUrl(capabilities.hipchatApiProvider.url),
    hipchatBaseUrl: hipchatBaseUrl(links.subdomain ?? links.homepage, fetchedUrl),
  };
}

function hipchatBaseUrl(link: string | undefined, fetchedUrl: string): string {
  if (link === undefined) return new URL(fetchedUrl).origin;
  const url = new URL(link);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** HipChat's API base with exactly one trailing slash, so `apiUrl + 'room/…'` never produces `//`. */
export function normaliseApiUrl(url: string): string {
  return url.replace(/\/+$/, '') + '/';
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
