import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Several middlewares as one: each runs when the one before calls `next()`, and an error (thrown,
 * rejected or passed to `next`) skips the rest. The router then walks one layer instead of several,
 * which counts for the ones every request passes. `next` means what it means to Express: a falsy
 * argument is no error, and a promise rejected without a reason is an error all the same.
 */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error) {
        done(error);
        return;
      }
      const handler = handlers[index];
      index += 1;
      if (handler === undefined) {
        done();
        return;
      }
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch((reason: unknown) => done(reason || new Error('Rejected promise')));
      } catch (thrown) {
        done(thrown);
      }
    };
    step();
  };
}
