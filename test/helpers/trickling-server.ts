import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server that answers at once with headers announcing a body, then sends that body one
 * byte every `everyMs` (or holds back its headers for `headersAfterMs` first): the slow HipChat of
 * issue 13, against which the add-on's total HTTP deadline is tested.
 */
export async function startTricklingServer(options: { everyMs: number; headersAfterMs?: number }) {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    open.add(res);
    const timers: NodeJS.Timeout[] = [];
    res.on('close', () => {
      open.delete(res);
      for (const timer of timers) clearInterval(timer);
    });
    req.resume();
    const trickle = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write('{');
      timers.push(setInterval(() => res.write(' '), options.everyMs));
    };
    if (options.headersAfterMs) timers.push(setTimeout(trickle, options.headersAfterMs));
    else trickle();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Answers still being trickled (the client has not hung up yet). */
    get openAnswers() {
      return open.size;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
