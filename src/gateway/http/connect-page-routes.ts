import { Router } from 'express';
import { CONNECT_PAGE_SCRIPT } from './connect-page-script';
import { CONNECT_PAGE_CSS, connectPageHtml } from './connect-page-html';

// Own origin only: the script talks to this server's API, and the page is never framed.
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** GET /connect: the page where an admin connects rooms with a token and manages their hooks. */
export function connectPageRoutes(options: { adminEnabled: boolean }): Router {
  const router = Router();
  const html = connectPageHtml(options);

  router.get('/connect', (_req, res) => {
    res.set('Content-Security-Policy', PAGE_CSP).type('html').send(html);
  });
  router.get('/connect/connect.js', (_req, res) => {
    res.type('application/javascript').send(CONNECT_PAGE_SCRIPT);
  });
  router.get('/connect/connect.css', (_req, res) => {
    res.type('text/css').send(CONNECT_PAGE_CSS);
  });
  return router;
}
