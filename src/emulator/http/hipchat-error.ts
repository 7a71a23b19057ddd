import type { NextFunction, Request, Response } from 'express';

const STATUS_TYPES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The one error the emulator's HTTP layer throws; rendered as HipChat's `{"error": {code, message, type}}`. */
export class HipChatError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HipChatError';
  }
}

export function hipChatErrorBody(status: number, message: string): { error: { code: number; message: string; type: string } } {
  return { error: { code: status, message, type: STATUS_TYPES[status] ?? 'Error' } };
}

export function sendHipChatError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json(hipChatErrorBody(status, message));
}

/** Express error handler: the only place errors become HTTP answers. */
export function renderHipChatError(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof HipChatError) {
    sendHipChatError(res, error.status, error.message, error.headers);
    return;
  }
  // body-parser errors (malformed JSON, too large) carry a status.
  const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
  const message = status === 500 ? 'Internal emulator error' : status === 413 ? 'Request body too large' : 'Malformed request body';
  if (status === 500) console.error('[emulator] unexpected error', error);
  sendHipChatError(res, status, message);
}
