import type { RequestHandler } from 'express';
import { redactUrl, type Logger } from '../shared/logger';

/** One line per request when it finishes; the URL is logged without credentials in its query string. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : 'debug';
      // Most requests log at debug, usually disabled: skip building (and redacting) a line nobody keeps.
      if (!logger.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger[level](
        { method: req.method, url: redactUrl(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
