import request from 'supertest';
import { startInstallTestbed, type InstallTestbed } from './install-testbed';

/** Small, so the tests are quick; the emulator trickles one byte every 100 ms, for ever. */
const DEADLINE_MS = 800;
/** Generous against a loaded machine, yet far below what a trickled answer would take (it never ends). */
const WELL_WITHIN = DEADLINE_MS * 6;

describe('a HipChat that trickles its answers cannot hold an install', () => {
  let bed: InstallTestbed;

  beforeAll(async () => {
    bed = await startInstallTestbed({ HIPCHAT_HTTP_TIMEOUT_MS: String(DEADLINE_MS) });
  });
  afterAll(() => bed.close());
  afterEach(() => bed.hipchat.reset());

  it('an install against a capabilities URL that trickles its body is refused within the deadline (502), nothing stored', async () => {
    const client = bed.hipchat.addClient();
    bed.hipchat.faults.add({ target: 'capabilities', fault: { kind: 'trickle' } });
    const started = Date.now();
    const res = await request(bed.addon.url).post('/installable').send(bed.hipchat.installBody(client, 5)).timeout(20_000);
    expect(Date.now() - started).toBeLessThan(WELL_WITHIN);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'hipchat_unreachable', message: expect.stringMatching(/ETIMEDOUT/) });
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  }, 30_000);

  it('an install whose token endpoint trickles its answer is refused within the deadline (502), nothing stored', async () => {
    const client = bed.hipchat.addClient();
    bed.hipchat.faults.add({ target: 'token', fault: { kind: 'trickle' } });
    const started = Date.now();
    const res = await request(bed.addon.url).post('/installable').send(bed.hipchat.installBody(client, 5)).timeout(20_000);
    expect(Date.now() - started).toBeLessThan(WELL_WITHIN);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('hipchat_unreachable');
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  }, 30_000);

  it("a browser-flow install whose installable_url trickles is refused within the deadline, nothing stored", async () => {
    const client = bed.hipchat.addClient();
    // The trickle is added first: the first matching rule answers, so it wins over the published document.
    bed.hipchat.faults.add({ target: 'all', match: { path: /^\/_installable\// }, fault: { kind: 'trickle' } });
    const installableUrl = bed.hipchat.publishInstallable(bed.hipchat.installBody(client, 5));
    const started = Date.now();
    const res = await request(bed.addon.url)
      .get('/installable/browser/installed')
      .query({ installable_url: installableUrl, redirect_url: `${bed.hipchat.url}/done` })
      .redirects(0)
      .timeout(20_000);
    expect(Date.now() - started).toBeLessThan(WELL_WITHIN);
    expect(res.status).toBe(502);
    expect(await bed.addon.services.installations.get(client.oauthId)).toBeUndefined();
  }, 30_000);
});
