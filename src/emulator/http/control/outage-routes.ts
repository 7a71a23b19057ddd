import { Router } from 'express';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { parseControlInput } from './parse-control-input';

const MODE = 'must be "503" or null';
const SECONDS = 'must be a number in (0, 600]';
const failureModeSchema = z.object({ mode: z.union([z.literal('503'), z.null()], { error: MODE }) });
const outageSchema = z.object({ seconds: z.number({ error: SECONDS }).positive({ error: SECONDS }).max(600, { error: SECONDS }) });

/** HipChat down: every /v2 call answers 503 (failure mode), or nothing listens for a while (outage). */
export function createOutageRoutes(emulator: Emulator): Router {
  const router = Router();
  router.put('/failure-mode', (req, res) => {
    const { mode } = parseControlInput(failureModeSchema, req.body);
    emulator.setFailureMode(mode);
    res.json({ mode });
  });
  router.post('/outage', (req, res) => {
    const { seconds } = parseControlInput(outageSchema, req.body);
    res.json({ offlineForSeconds: seconds });
    res.on('finish', () => {
      void emulator.goOffline().then(() => setTimeout(() => void emulator.goOnline(), seconds * 1000));
    });
  });
  return router;
}
