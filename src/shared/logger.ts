import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger };

/**
 * Paths whose values are secrets wherever they appear in a log line. Redaction is the safety net:
 * code should not log secrets in the first place.
 */
export const REDACTED_PATHS = [
  'oauthSecret',
  '*.oauthSecret',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'token',
  '*.token',
  'jwt',
  '*.jwt',
  'roomToken',
  '*.roomToken',
  'authToken',
  '*.authToken',
  'hookId',
  '*.hookId',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
];

export { redactUrl } from './redact-url';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line written while a request is handled carries its id, whichever module logs it.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination,
  );
}
