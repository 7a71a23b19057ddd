import { Router } from 'express';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { guard } from './guard';
import { parseControlInput } from './parse-control-input';

const WINDOW = 'must be {limit: positive integer, windowMs: positive number}';
const windowSchema = z.object({ limit: z.number().int().positive(), windowMs: z.number().positive() }, { error: WINDOW });
const limitsSchema = z.object({ rateLimit: windowSchema.optional(), floodControl: windowSchema.optional() });
const tokenLifetimeSchema = z.object({ seconds: z.number({ error: 'must be a positive number' }).positive({ error: 'must be a positive number' }) });

/** Rate limit, flood control and access-token lifetime. */
export function createLimitsRoutes(emulator: Emulator): Router {
  const router = Router();
  router.get('/limits', (_req, res) => void res.json(emulator.limits));
  router.put('/limits', (req, res) => {
    const { rateLimit, floodControl } = parseControlInput(limitsSchema, req.body);
    emulator.setLimits({ ...(rateLimit ? { rateLimit } : {}), ...(floodControl ? { floodControl } : {}) });
    res.json(emulator.limits);
  });
  router.put('/token-lifetime', async (req, res) => {
    const { seconds } = parseControlInput(tokenLifetimeSchema, req.body);
    await guard(() => emulator.setTokenLifetime(seconds));
    res.json({ seconds });
  });
  return router;
}
