import { HttpError } from '../../shared/errors';

/**
 * Every reason a request's JWT can be refused. Stable: metrics count refusals by these codes and
 * clients may branch on them.
 */
export const JWT_REFUSAL_CODES = [
  'missing_token',
  'malformed_token',
  'token_too_large',
  'conflicting_tokens',
  'unsupported_algorithm',
  'missing_issuer',
  'unknown_issuer',
  'invalid_signature',
  'missing_exp',
  'invalid_claims',
  'token_expired',
  'token_not_yet_valid',
  'iat_in_future',
  'wrong_room',
  'issuer_mismatch',
  'missing_jti',
  'sender_mismatch',
] as const;

export type JwtRefusalCode = (typeof JWT_REFUSAL_CODES)[number];

/** The refusals about what an authenticated installation may do rather than who it is. */
const FORBIDDEN_CODES: ReadonlySet<JwtRefusalCode> = new Set(['wrong_room', 'issuer_mismatch', 'sender_mismatch']);

/** A refused JWT: 401 (403 for scope refusals) with `WWW-Authenticate: JWT`, rendered by the one error handler. */
export class JwtError extends HttpError {
  declare readonly code: JwtRefusalCode;

  constructor(
    code: JwtRefusalCode,
    message: string,
    /** The unverified `iss`, for logs only; never trust it. */
    readonly issuer?: string,
  ) {
    super(FORBIDDEN_CODES.has(code) ? 403 : 401, code, message, { 'WWW-Authenticate': 'JWT' });
    this.name = 'JwtError';
  }
}
