import { Router } from 'express';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { booleanSchema, nonEmptyStringSchema, userIdParamsSchema } from './control-schemas';
import { guard } from './guard';
import { parseControlInput } from './parse-control-input';

const createUserSchema = z.object({
  name: nonEmptyStringSchema,
  mention_name: z.string().optional(),
  is_group_admin: booleanSchema.optional(),
});
const updateUserSchema = z.object({ is_group_admin: booleanSchema });

/** Users: list, create, promote to group admin or demote. */
export function createUsersRoutes(emulator: Emulator): Router {
  const router = Router();
  router.get('/users', (_req, res) => void res.json(emulator.users()));
  router.post('/users', async (req, res) => {
    const { name, mention_name, is_group_admin } = parseControlInput(createUserSchema, req.body);
    const user = await guard(() =>
      emulator.createUser({ name, ...(mention_name !== undefined ? { mention_name } : {}), ...(is_group_admin !== undefined ? { is_group_admin } : {}) }),
    );
    res.status(201).json(user);
  });
  router.put('/users/:userId', async (req, res) => {
    const { userId } = parseControlInput(userIdParamsSchema, req.params, 'userId');
    const { is_group_admin } = parseControlInput(updateUserSchema, req.body);
    res.json(await guard(() => emulator.setGroupAdmin(userId, is_group_admin)));
  });
  return router;
}
