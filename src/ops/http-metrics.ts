import type { RequestHandler } from 'express';
import type { Metrics } from './metrics';

/**
 * Times every request under its route pattern (`/api/tasks/:number`), never the raw path, so hook ids
 * and numbers do not explode the label set. Requests that matched no route count as "unmatched".
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? req.baseUrl + routePath : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
