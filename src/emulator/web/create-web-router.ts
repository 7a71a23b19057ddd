import path from 'node:path';
import express, { Router } from 'express';
import type { Emulator } from '../emulator';
import { describeInstallation } from './describe-installation';
import { streamEmulatorEvents } from './stream-emulator-events';
import { emulatorExtras } from '../model/emulator-extras';

const STATIC_DIR = path.join(__dirname, 'static');

/**
 * The emulator's web client: the page at `/`, its assets under `/web/`, HipChat's JavaScript API at
 * `/atlassian-connect/all.js` (where add-on pages load it from), a state snapshot and an event stream.
 * Everything else the client does goes through the documented control API under `/_emulator`.
 */
export function createWebRouter(emulator: Emulator): Router {
  const router = Router();
  const noStore = { headers: { 'Cache-Control': 'no-store' } };
  router.get('/', (_req, res) => res.sendFile(path.join(STATIC_DIR, 'index.html'), noStore));
  router.get('/atlassian-connect/all.js', (_req, res) => res.sendFile(path.join(STATIC_DIR, 'all.js'), noStore));
  router.get('/web/api/state', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      url: emulator.url,
      group: emulator.defaultGroup,
      rooms: emulator.rooms(),
      users: emulator.users(),
      installations: emulator.installations().map(describeInstallation),
      userGlances: emulatorExtras(emulator.state).allUserGlances(),
    });
  });
  router.get('/web/api/events', (req, res) => streamEmulatorEvents(emulator.events, emulatorExtras(emulator.state), req, res));
  router.use('/web', express.static(STATIC_DIR, { index: false, maxAge: 0 }));
  return router;
}
