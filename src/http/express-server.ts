import http from 'node:http';
import type { Express } from 'express';

type RequestConstructor = typeof http.IncomingMessage;
type ResponseConstructor = typeof http.ServerResponse;

/**
 * An HTTP server for an Express app whose requests and responses are made with the app's own
 * prototypes (`app.request`, `app.response`) from the start.
 *
 * Express's `app.handle` moves every request and response onto those prototypes with
 * `Object.setPrototypeOf`. On an object that already has its properties, V8 then gives it a new
 * hidden class, and every later property access on `req` and `res` in every middleware misses its
 * inline caches: measured on this project's machines, that was most of what a bare Express 5 route
 * costs over plain `node:http` (about 140 µs of CPU per request against about 55 µs with this server).
 * When the prototype is already the right one, `setPrototypeOf` changes nothing and Express runs as
 * usual; nothing else about requests or responses differs.
 */
export function createExpressServer(app: Express): http.Server {
  return http.createServer({ IncomingMessage: requestClassOf(app), ServerResponse: responseClassOf(app) }, app);
}

// Two functions on purpose: one shared helper (tried) measured +2 µs CPU per request on both hot paths in
// six paired rounds (the glance higher in 5), +4 with a rest-argument constructor; likely because both
// constructors then call Node's two constructors through one call site. Small, but on every request.
function requestClassOf(app: Express): RequestConstructor {
  // A function constructor, not a class: a class's `prototype` cannot be replaced by the app's object.
  function AppRequest(this: http.IncomingMessage, socket: unknown) {
    (http.IncomingMessage as unknown as (this: unknown, socket: unknown) => void).call(this, socket);
  }
  AppRequest.prototype = app.request;
  return AppRequest as unknown as RequestConstructor;
}

function responseClassOf(app: Express): ResponseConstructor {
  function AppResponse(this: http.ServerResponse, req: unknown, options: unknown) {
    (http.ServerResponse as unknown as (this: unknown, req: unknown, options: unknown) => void).call(this, req, options);
  }
  AppResponse.prototype = app.response;
  return AppResponse as unknown as ResponseConstructor;
}
