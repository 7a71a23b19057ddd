import type { Router } from 'express';
import type { EmulatorContext } from '../emulator-context';
import { requireLoopbackHost } from '../http/require-loopback-host';
import type { EmulatorFaults } from './emulator-faults';
import { createFaultsMiddleware } from './create-faults-middleware';
import { createFaultsRouter } from './create-faults-router';

/** Mounts fault injection first, so it covers every HipChat endpoint, and its control routes under /_emulator. */
export function mountFaults(app: Router, ctx: EmulatorContext, faults: EmulatorFaults): void {
  app.use(createFaultsMiddleware(ctx, faults));
  app.use('/_emulator', requireLoopbackHost, createFaultsRouter(faults));
}
