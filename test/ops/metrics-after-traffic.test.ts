import type { Emulator } from '../../src/emulator';
import { eventually } from '../helpers/eventually';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';

describe('metrics after real traffic through the emulator', () => {
  let kit: TestKit;
  let emulator: Emulator;
  let addon: RunningAddon;

  beforeAll(async () => {
    kit = await startTestKit();
    ({ emulator, addon } = kit);
  });
  afterAll(() => kit?.stop());

  const scrape = async () => (await fetch(`${addon.url}/metrics`)).text();
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('counts installs, JWT refusals, token requests, deliveries and uninstalls, and reports the outbox', async () => {
    const room = emulator.createRoom('Metrics');
    const ada = emulator.createUser('Ada');
    const installation = await emulator.install(`${addon.url}/atlassian-connect.json`, { roomId: room.id });
    await emulator.postMessage(room.id, ada.id, '/task add Count me');
    await eventually('the glance push', () => emulator.getGlance(installation.oauthId, room.id, 'tasks')?.source === 'push');
    expect((await fetch(`${addon.url}/glance/tasks?signed_request=garbage`)).status).toBe(401);

    let text = await scrape();
    expect(value(text, 'hipchat_installs_total{kind="install"}')).toBe(1);
    expect(value(text, 'hipchat_jwt_refusals_total{reason="malformed_token"}')).toBe(1);
    expect(value(text, 'hipchat_token_requests_total{outcome="success"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'hipchat_deliveries_total{outcome="delivered"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^hipchat_outbox_depth \d+$/m);
    expect(text).toMatch(/^hipchat_outbox_oldest_pending_age_seconds [\d.]+$/m);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/webhooks\/task",status="200"\} 1/);

    await emulator.uninstall(installation.oauthId);
    text = await scrape();
    expect(value(text, 'hipchat_uninstalls_total{outcome="removed"}')).toBe(1);
  });
});
