import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorBody, HttpError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** Errors become HTTP answers here and only here: `{"error": {"code", "message"}}`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, code, message, headers } = toHttpError(error);
    // A deliberate 5xx (HipChat unreachable or answering badly, a check that cannot be made) is an
    // expected condition anyone can cause: one warn line without a stack. Only the unexpected is an error.
    if (status >= 500 && error instanceof HttpError && status !== 500) logger.warn({ status, code, message }, 'request failed');
    else if (status >= 500) logger.error({ err: error }, 'request failed');
    res.status(status).set(headers).json(errorBody(code, message));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const parserError = error as { type?: string; status?: number; limit?: number };
  switch (parserError.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `The request body is larger than ${parserError.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', 'The request body encoding is not supported');
    case 'request.aborted':
      return new HttpError(400, 'request_aborted', 'The request was aborted');
  }
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return new HttpError(parserError.status, 'bad_request', 'The request could not be read');
  }
  return new HttpError(500, 'internal_error', 'Something went wrong on our side');
}
