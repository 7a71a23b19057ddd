import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { HipChatError } from '../http/hipchat-error';
import { EmulatorFaults, FaultInputError } from './emulator-faults';

/** Control input that does not validate becomes a 400 JSON error. */
function guarded(work: (req: Request, res: Response) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      work(req, res);
    } catch (error) {
      next(error instanceof FaultInputError ? new HipChatError(400, error.message) : error);
    }
  };
}

/**
 * The control API of fault injection (loopback only, mounted under /_emulator):
 * /faults (GET list, POST add, DELETE clear), /faults/:id (DELETE), /faults/capabilities and
 * /faults/token-answer (PUT overrides), /requests (GET the log, DELETE empties it).
 */
export function createFaultsRouter(faults: EmulatorFaults): Router {
  const router = Router();
  router.use(express.json({ limit: '100kb' }));
  router.get('/faults', (_req, res) => {
    // A RegExp path (in-process rules) is shown as its source; header functions are left out by JSON.
    res.json({ faults: faults.list().map((rule) => ({ ...rule, match: rule.match && { ...rule.match, path: rule.match.path?.toString() } })) });
  });
  router.post('/faults', guarded((req, res) => {
    faults.add(req.body as never);
    res.status(201).json({ id: faults.list().at(-1)?.id });
  }));
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.put('/faults/capabilities', guarded((req, res) => {
    faults.overrideCapabilities(req.body as never);
    res.json(faults.capabilitiesOverrides);
  }));
  router.put('/faults/token-answer', guarded((req, res) => {
    faults.overrideTokenAnswer(req.body as never);
    res.json(faults.tokenAnswerOverrides);
  }));
  router.delete('/faults/:id', (req, res) => {
    if (!/^\d+$/.test(req.params.id) || !faults.remove(Number(req.params.id))) throw new HipChatError(404, `No fault ${req.params.id}`);
    res.status(204).end();
  });
  router.get('/requests', (_req, res) => {
    res.json({ requests: faults.log.list() });
  });
  router.delete('/requests', (_req, res) => {
    faults.log.clear();
    res.status(204).end();
  });
  return router;
}
