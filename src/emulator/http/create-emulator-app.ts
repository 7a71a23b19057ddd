import express, { Router, type Express } from 'express';
import type { EmulatorContext } from '../emulator-context';
import type { Emulator } from '../emulator';
import { buildCapabilitiesDocument } from './build-capabilities-document';
import { createOauthRouter } from './create-oauth-router';
import { authenticateApiRequest } from './authenticate-api-request';
import { createRoomRouter } from './create-room-router';
import { createUserRouter } from './create-user-router';
import { createAddonUiRouter } from './create-addon-ui-router';
import { createControlRouter } from './create-control-router';
import { HipChatError, renderHipChatError } from './hipchat-error';
import { requireLoopbackHost } from './require-loopback-host';
import { createWebRouter } from '../web/create-web-router';
import { mountFaults } from '../faults/mount-faults';

/**
 * The emulator's HTTP surface: HipChat's /v2 API, one-time installable documents, the /_emulator control
 * API and the web client, all under the emulator's path prefix when it has one (as a HipChat Server might).
 */
export function createEmulatorApp(ctx: EmulatorContext, emulator: Emulator): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (emulator.pathPrefix !== '') {
    // The web client's page uses paths relative to itself: /hipchat must become /hipchat/.
    app.get(emulator.pathPrefix, (req, res, next) => (req.path === emulator.pathPrefix ? res.redirect(`${emulator.pathPrefix}/`) : next()));
  }
  app.use(emulator.pathPrefix || '/', createHipChatRouter(ctx, emulator));
  // Reached only outside the path prefix.
  app.use((req) => {
    throw new HipChatError(404, `Not found: ${req.method} ${req.path} (this HipChat lives under ${emulator.pathPrefix})`);
  });
  app.use(renderHipChatError);
  return app;
}

function createHipChatRouter(ctx: EmulatorContext, emulator: Emulator): Router {
  const app = Router();
  // Fault injection first, so it covers every HipChat endpoint (paths relative to the prefix).
  mountFaults(app, ctx, emulator.faults);
  const v2 = express.Router();
  v2.use((_req, _res, next) => {
    if (ctx.settings.failureMode === '503') throw new HipChatError(503, 'HipChat is temporarily unavailable (emulated outage)');
    next();
  });
  v2.get('/capabilities', (_req, res) => {
    res.json(buildCapabilitiesDocument(ctx.baseUrl(), ctx.settings.apiUrlSlashes));
  });
  v2.use(createOauthRouter(ctx));
  v2.use(authenticateApiRequest(ctx));
  v2.use(createRoomRouter(ctx));
  v2.use(createUserRouter(ctx));
  v2.use(createAddonUiRouter(ctx));
  v2.use((req) => {
    throw new HipChatError(404, `No such API resource: ${req.method} ${req.originalUrl.split('?')[0] ?? ''}`);
  });
  app.use('/v2', v2);

  // One-time installable documents of the browser install flow: answered once, then 404.
  app.get('/_installable/:id', (req, res) => {
    const document = ctx.installables.get(req.params.id);
    if (!document) throw new HipChatError(404, 'Installable document not found (it can be fetched only once)');
    ctx.installables.delete(req.params.id);
    res.json(document);
  });

  // The control API and web client can do anything as anyone: only for pages and tools on this machine.
  // /v2 and /_installable stay open to add-ons wherever they run (tokens, client credentials and
  // unguessable one-time ids protect them; a rebinding page holds none of these).
  app.use('/_emulator', requireLoopbackHost, createControlRouter(emulator));
  app.use(requireLoopbackHost, createWebRouter(emulator));
  app.use((req) => {
    throw new HipChatError(404, `Not found: ${req.method} ${req.originalUrl.split('?')[0] ?? ''}`);
  });
  app.use(renderHipChatError);
  return app;
}
