import net from 'node:net';

export type UrlTrust = { trusted: true; url: URL } | { trusted: false; reason: string };

/**
 * Decides whether a URL may be treated as HipChat's: the capabilities URL, the token and API URLs it
 * names, and the browser flow's installable_url and redirect_url.
 *
 * - The hostname (port ignored) must match one of `patterns` (HIPCHAT_ALLOWED_HOSTS). A pattern is an
 *   exact host name or IP address, or `*.` followed by a domain: `*.hipchat.com` matches one or more
 *   labels before `.hipchat.com` (`a.hipchat.com`, `a.b.hipchat.com`) but not `hipchat.com` itself,
 *   which must be listed on its own. A wildcard never matches an IP address.
 * - https is required, except on loopback hosts (127.0.0.0/8, ::1, localhost), where http is allowed
 *   for local trials and tests.
 * - URLs carrying user:password are refused: nothing HipChat sends has them, and they are a classic way
 *   to make a URL look like it points elsewhere.
 */
export function checkTrustedUrl(raw: string, patterns: readonly string[]): UrlTrust {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { trusted: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { trusted: false, reason: `uses ${url.protocol} (only https is allowed)` };
  }
  if (url.username !== '' || url.password !== '') {
    return { trusted: false, reason: 'carries credentials in the URL' };
  }
  const host = normaliseHost(url.hostname);
  if (!patterns.some((pattern) => hostMatches(host, pattern))) {
    return { trusted: false, reason: `is on ${host}, which is not in HIPCHAT_ALLOWED_HOSTS` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(host)) {
    return { trusted: false, reason: `uses http on ${host}; https is required except on loopback hosts` };
  }
  return { trusted: true, url };
}

export function isTrustedUrl(raw: string, patterns: readonly string[]): boolean {
  return checkTrustedUrl(raw, patterns).trusted;
}

/** Exact or `*.`-prefixed host match, case-insensitive; see checkTrustedUrl for the rules. */
export function hostMatches(hostname: string, pattern: string): boolean {
  const host = normaliseHost(hostname);
  const wanted = normaliseHost(pattern);
  if (!wanted.startsWith('*.')) return host === wanted;
  if (net.isIP(host) !== 0) return false;
  const suffix = wanted.slice(1);
  return host.length > suffix.length && host.endsWith(suffix) && !host.slice(0, -suffix.length).endsWith('.');
}

export function isLoopbackHost(hostname: string): boolean {
  const host = normaliseHost(hostname);
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** Lower case, IPv6 brackets removed, one trailing dot (the DNS root) removed. */
function normaliseHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}
