import { createHttpClient } from '../../src/hipchat/api/http-client';
import { eventually } from '../helpers/eventually';
import { startTricklingServer } from '../helpers/trickling-server';

describe('the outgoing HTTP client has a total deadline', () => {
  it('a HipChat trickling its body one byte at a time is cut off at the deadline (headers and body together)', async () => {
    const server = await startTricklingServer({ everyMs: 50 });
    try {
      const started = Date.now();
      const failure = await createHttpClient(400)
        .get(`${server.url}/v2/capabilities`)
        .then(() => undefined, (error: unknown) => error as { code?: string; message: string });
      expect(failure).toMatchObject({ code: 'ETIMEDOUT', message: 'no complete answer within 400 ms' });
      // The body would take 100 000 × 50 ms; the idle timeout alone never fires on it.
      expect(Date.now() - started).toBeLessThan(5_000);
      await eventually('the trickled connection to be closed', () => server.openAnswers === 0);
    } finally {
      await server.close();
    }
  });

  it('a HipChat that holds back its headers is cut off too', async () => {
    const server = await startTricklingServer({ everyMs: 50, headersAfterMs: 60_000 });
    try {
      const failure = await createHttpClient(300)
        .get(server.url)
        .then(() => undefined, (error: unknown) => error as { code?: string });
      expect(failure?.code).toBe('ETIMEDOUT');
    } finally {
      await server.close();
    }
  });

  it("a caller's own abort signal still works beside the deadline", async () => {
    const server = await startTricklingServer({ everyMs: 50 });
    try {
      const controller = new AbortController();
      const call = createHttpClient(60_000).get(server.url, { signal: controller.signal });
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'ERR_CANCELED' });
    } finally {
      await server.close();
    }
  });
});
