import type { RequestHandler } from 'express';
import { redactUrl, type Logger } from '../shared/logger';
import type { Metrics } from './metrics';

/** Label sets seen so far; past this many (which real routes never reach) children are not kept. */
const MAX_LABEL_SETS = 1000;

/**
 * One line per request when it finishes (at debug, or error for a 5xx; the URL without credentials in
 * its query string) and its duration in the HTTP histogram under its route pattern
 * (`/api/tasks/:number`, never the raw path, so hook ids and numbers do not explode the label set;
 * "unmatched" when no route matched). Both come from one clock reading and one `finish` listener, and
 * each label set's histogram child is made once: this runs for every request.
 */
export function requestObserver(logger: Logger, metrics: Metrics): RequestHandler {
  const children = new Map<string, { observe(seconds: number): void }>();
  const observe = (method: string, route: string, status: string, seconds: number) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = metrics.httpDuration.labels({ method, route, status });
      if (children.size < MAX_LABEL_SETS) children.set(key, child);
    }
    child.observe(seconds);
  };
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? req.baseUrl + routePath : 'unmatched';
      observe(req.method, route, String(res.statusCode), seconds);
      const level = res.statusCode >= 500 ? 'error' : 'debug';
      // Most requests log at debug, usually disabled: skip building (and redacting) a line nobody keeps.
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { method: req.method, url: redactUrl(req.originalUrl), status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 },
        'request',
      );
    });
    next();
  };
}
