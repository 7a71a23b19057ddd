import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../../shared/validate';
import type { NotificationService } from './notification-service';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
const deliveryId = z.uuid();

/**
 * Operators' view of the dead letters (calls HipChat refused with a 4xx): list them with HipChat's
 * error message, and replay one after fixing its cause. Protected by the admin token.
 */
export function deadLetterRoutes(notifications: NotificationService, requireAdmin: RequestHandler): Router {
  const router = Router();
  router.get('/api/admin/dead-letters', requireAdmin, async (req, res) => {
    const { limit } = parseInput(listQuery, req.query, 'query');
    res.json({ deadLetters: await notifications.listDeadLetters(limit) });
  });
  router.post('/api/admin/dead-letters/:id/replay', requireAdmin, async (req, res) => {
    const id = parseInput(deliveryId, req.params.id, 'id');
    await notifications.replay(id);
    res.status(202).json({ deliveryId: id, state: 'pending' });
  });
  return router;
}
