import type { BenchItem } from '../harness/bench-row';
import { compareWithBare } from '../harness/compare-with-bare';
import { withInstalledStack } from './webhook-item';

const SEEDED_TASKS = 5;

/** Item 2: the glance query (GET /glance/tasks?signed_request=…) against a bare Express route. */
export const glanceItem: BenchItem = {
  name: 'glance',
  title: 'Glance query',
  async run(context) {
    await withInstalledStack(context, 'Glance /glance/tasks', async (stack, oauthId) => {
      const { emulator, room, user } = stack;
      for (let i = 1; i <= SEEDED_TASKS; i += 1) {
        await emulator.postMessage(room.id, user.id, `/task add Benchmark task ${i}`);
      }
      const jwt = emulator.mintJwt(oauthId, { userId: user.id, roomId: room.id, expiresInSeconds: 3600 });
      await compareWithBare(context, {
        label: 'Glance /glance/tasks',
        request: {
          url: `${stack.addon.url}/glance/tasks?signed_request=${encodeURIComponent(jwt)}`,
          method: 'GET',
          // HipChat's client queried glances cross-origin, as the emulator does.
          headers: { accept: 'application/json', origin: emulator.url },
        },
        barePath: '/glance/tasks',
        targetRatio: 0.6,
        ...(context.profile ? { profileName: `glance-${context.database}` } : {}),
      });
    });
  },
};
