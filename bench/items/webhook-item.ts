import type { BenchItem, ItemContext } from '../harness/bench-row';
import { startBenchStack, type BenchStack } from '../harness/bench-stack';
import { compareWithBare } from '../harness/compare-with-bare';

const SEEDED_TASKS = 5;

/** Item 1: `/task list` webhooks with a valid JWT against a bare Express route. */
export const webhookItem: BenchItem = {
  name: 'webhook',
  title: 'Webhook /task list',
  async run(context) {
    await withInstalledStack(context, 'Webhook /task list', async (stack, oauthId) => {
      const { emulator, room, user } = stack;
      // Real traffic through the emulator first: it proves the route works and gives the list some tasks.
      for (let i = 1; i <= SEEDED_TASKS; i += 1) {
        const { webhooks } = await emulator.postMessage(room.id, user.id, `/task add Benchmark task ${i}`);
        const failed = webhooks.find((hook) => hook.status !== 200);
        if (failed) {
          context.record({ measure: 'Webhook /task list: add-on req/s (p50 / p99)', value: `n/a (/task add answered ${failed.status ?? failed.error})` });
          return;
        }
      }
      const { webhooks } = await emulator.postMessage(room.id, user.id, '/task list');
      const webhookId = webhooks[0]?.webhookId ?? 1;
      const jwt = emulator.mintJwt(oauthId, { userId: user.id, roomId: room.id, expiresInSeconds: 3600 });
      await compareWithBare(context, {
        label: 'Webhook /task list',
        request: {
          url: `${stack.addon.url}/webhooks/task`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `JWT ${jwt}` },
          body: JSON.stringify(roomMessageBody(stack, oauthId, webhookId, '/task list')),
        },
        barePath: '/webhooks/task',
        targetRatio: 0.5,
        targetP99Ms: 20,
        ...(context.profile ? { profileName: `webhook-${context.database}` } : {}),
      });
    });
  },
};

/** The room_message webhook body HipChat sends (same shape as the emulator's dispatcher). */
export function roomMessageBody(stack: Pick<BenchStack, 'emulator' | 'room' | 'user'>, oauthId: string, webhookId: number | string, text: string): unknown {
  const { emulator, room, user } = stack;
  const self = `${emulator.url}/v2/room/${room.id}`;
  return {
    event: 'room_message',
    item: {
      message: {
        id: '00000000-0000-4000-8000-000000000001',
        date: new Date().toISOString(),
        from: { id: user.id, mention_name: user.mention_name, name: user.name },
        message: text,
        type: 'message',
        mentions: [],
      },
      room: { id: room.id, name: room.name, links: { self, webhooks: `${self}/webhook`, members: `${self}/member`, participants: `${self}/participant` } },
    },
    oauth_client_id: oauthId,
    webhook_id: webhookId,
  };
}

/** Runs `body` with the add-on installed in a room on a fresh database, or records why it could not. */
export async function withInstalledStack(
  context: ItemContext,
  label: string,
  body: (stack: BenchStack, oauthId: string) => Promise<void>,
): Promise<void> {
  const database = await context.createDatabase();
  try {
    const stack = await startBenchStack({ database });
    try {
      if (!stack.installation) {
        context.record({ measure: `${label}: add-on req/s (p50 / p99)`, value: `n/a (install failed: ${stack.installError ?? 'unknown'})` });
        return;
      }
      await body(stack, stack.installation.oauthId);
    } finally {
      await stack.stop();
    }
  } finally {
    await database.drop();
  }
}
