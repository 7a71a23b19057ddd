import { JwtError } from './jwt-error';
import { MAX_TOKEN_LENGTH } from './decode-unverified-jwt';

/** The places HipChat puts a JWT, as read from one request. */
export interface JwtSources {
  authorization: string | undefined;
  /** The `signed_request` query parameter (an array if it was repeated). */
  query: unknown;
  /** The `signed_request` field of a POSTed form, if the body is a form. */
  form: unknown;
}

// "JWT <token>" (HipChat) or "JWT token=<token>" (an older library's form).
const JWT_AUTHORIZATION = /^JWT\s+(?:token=)?(\S*)\s*$/i;

/**
 * Picks the one JWT of a request. Several sources are allowed only if they carry the same token:
 * two different ones would let a caller verify one and act on the other.
 */
export function extractJwt(sources: JwtSources): string {
  const found = [...fromAuthorization(sources.authorization), ...fromParameter(sources.query), ...fromParameter(sources.form)];
  for (const token of found) {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new JwtError('token_too_large', `The JWT is longer than ${MAX_TOKEN_LENGTH} characters`);
    }
  }
  const distinct = new Set(found);
  if (distinct.size > 1) throw new JwtError('conflicting_tokens', 'The request carries different JWTs');
  const [token] = distinct;
  if (token === undefined) {
    throw new JwtError('missing_token', 'A JWT is required (Authorization: JWT <token> or signed_request)');
  }
  if (token === '') throw new JwtError('malformed_token', 'The JWT is empty');
  return token;
}

function fromAuthorization(header: string | undefined): string[] {
  if (header === undefined) return [];
  if (header.length > MAX_TOKEN_LENGTH + 16) {
    throw new JwtError('token_too_large', `The JWT is longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  // Other schemes (Bearer, Basic) are not ours to judge; without a JWT elsewhere the token is missing.
  if (!/^JWT(\s|$)/i.test(header)) return [];
  const match = JWT_AUTHORIZATION.exec(header);
  if (!match) throw new JwtError('malformed_token', 'The Authorization header must be "JWT <token>"');
  return [match[1] as string];
}

function fromParameter(value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((item): item is string => typeof item === 'string')) {
    throw new JwtError('malformed_token', 'signed_request must be a string');
  }
  return values;
}
