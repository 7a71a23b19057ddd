import { JwtError } from './jwt-error';

/** HipChat's tokens are a few hundred bytes; anything over this is refused before it is decoded. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

export interface UnverifiedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Splits and parses a compact JWT WITHOUT checking its signature, only so that `iss` can be read to
 * find the installation whose secret verifies it. Nothing read here may be trusted.
 */
export function decodeUnverifiedJwt(token: string): UnverifiedJwt {
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new JwtError('token_too_large', `The JWT is longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  const parts = token.split('.');
  // An empty signature is well-formed (alg "none"); it is refused later as an unsupported algorithm.
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part)) || !parts[0] || !parts[1]) {
    throw new JwtError('malformed_token', 'The JWT must be three base64url segments separated by dots');
  }
  return { header: parseSegment(parts[0] as string, 'header'), payload: parseSegment(parts[1] as string, 'payload') };
}

function parseSegment(segment: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed_token', `The JWT ${name} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtError('malformed_token', `The JWT ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** The unverified issuer, when it is a plausible one; used for the installation look-up and logs. */
export function unverifiedIssuer(payload: Record<string, unknown>): string | undefined {
  const iss = payload.iss;
  return typeof iss === 'string' && iss.length > 0 && iss.length <= 200 ? iss : undefined;
}
