const REDACTED = '[REDACTED]';

/** Path segments whose next segment is a secret: /hooks/{hook id}, /byo/{command secret}/command. */
const SECRET_PATH_PREFIXES = new Set(['hooks', 'byo']);

/** Query parameters that carry a credential (compared after the normalisation below). */
const SECRET_PARAMS = new Set(['signed_request', 'auth_token', 'access_token', 'jwt', 'token', 'installable_url', 'oauth_secret', 'client_secret']);
const SECRET_PARAM_WORDS = /token|secret|signed|jwt|password|credential|api_?key/;

/** A JWT wherever it appears (HipChat's tokens start with the base64 of '{"'). */
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** A path separator as a router or a proxy may read it: '/', '\', or either percent-encoded. */
const SEPARATOR = /(\/|\\|%2f|%5c)/i;

/**
 * A URL as logged, without its secrets. Redaction works on the same normalisation Express routes on,
 * and more: path segments are compared percent-decoded and without regard to case (Express matches
 * `/HOOKS/x` and `/ho%6Fks/x`… the former routes, and both carry the secret), encoded slashes count
 * as separators, query names are percent- and '+'-decoded and compared in lower case (Express's query
 * parser decodes `signed%5Frequest` to `signed_request`), and any JWT-shaped value is replaced anyway.
 */
export function redactUrl(url: string): string {
  const queryAt = url.search(/[?#]/);
  const target = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  return (redactPath(target) + redactQuery(query)).replace(JWT_SHAPE, REDACTED);
}

function redactPath(target: string): string {
  // An absolute-form request target (GET http://host/hooks/x HTTP/1.1) routes like its path; userinfo is a secret.
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*/i.exec(target)?.[0] ?? '';
  const parts = target.slice(origin.length).split(SEPARATOR);
  let redactNext = false;
  for (let i = 0; i < parts.length; i += 2) {
    const segment = normalise(parts[i] ?? '');
    if (redactNext && segment !== '' && segment !== '.') {
      // The secret runs to the next real '/': Express reads an encoded separator as part of the parameter.
      parts[i] = REDACTED;
      while (i + 1 < parts.length && parts[i + 1] !== '/') {
        parts[i + 1] = '';
        parts[i + 2] = '';
        i += 2;
      }
      redactNext = false;
    } else if (SECRET_PATH_PREFIXES.has(segment)) {
      redactNext = true;
    }
  }
  return origin.replace(/\/\/[^/@]*@/, `//${REDACTED}@`) + parts.join('');
}

function redactQuery(query: string): string {
  if (query === '') return '';
  return query[0] + query.slice(1).split('&').map(redactPair).join('&');
}

function redactPair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq === -1) return pair;
  const name = normalise(pair.slice(0, eq).replace(/\+/g, ' ')).replace(/\[.*$/, '').trim();
  return SECRET_PARAMS.has(name) || SECRET_PARAM_WORDS.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
}

/** Percent-decoded (repeatedly, so %2568 counts as 'h' too) and lower-cased; never throws on bad escapes. */
function normalise(text: string): string {
  let current = text;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(current); i++) {
    current = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return current.toLowerCase();
}
