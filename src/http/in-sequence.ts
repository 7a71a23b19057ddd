import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Several middlewares as one: each runs when the one before calls `next()`, and an error (thrown,
 * rejected or passed to `next`) skips the rest. The router then walks one layer instead of several,
 * which counts for the ones every request passes.
 */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const step = (error?: unknown): void => {
      const handler = handlers[index];
      index += 1;
      if (error !== undefined || handler === undefined) {
        done(error);
        return;
      }
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch(done);
      } catch (thrown) {
        done(thrown);
      }
    };
    step();
  };
}
