import type { Emulator } from '../../src/emulator';
import type { RunningAddon } from '../../src/runtime';
import { startTestKit, type TestKit } from '../../src/testing';
import { waitFor } from './install-testbed';

/** The whole lifecycle driven by the project's HipChat emulator, as `npm run dev` does it. */
describe('install lifecycle against the HipChat emulator', () => {
  let kit: TestKit;
  let emulator: Emulator;
  let addon: RunningAddon;
  const descriptorUrl = () => `${addon.url}/atlassian-connect.json`;

  beforeAll(async () => {
    kit = await startTestKit({ emulator: { host: '127.0.0.1', seed: { rooms: [{ name: 'Demo' }] } }, env: { HIPCHAT_ALLOWED_HOSTS: '127.0.0.1' } });
    ({ emulator, addon } = kit);
  });
  afterAll(() => kit?.stop());

  it('room install, update, forged uninstall refused, real uninstall', async () => {
    const room = emulator.rooms()[0];
    const installation = await emulator.install(descriptorUrl(), { roomId: room?.id });
    expect(await addon.services.installations.get(installation.oauthId)).toMatchObject({
      roomId: room?.id,
      oauthSecret: installation.oauthSecret,
      apiUrl: `${emulator.url}/v2/`,
    });

    const updated = await emulator.update(installation.oauthId);
    expect((await addon.services.installations.get(installation.oauthId))?.oauthSecret).toBe(updated.oauthSecret);

    const forged = await emulator.sendForgedUninstall(installation.oauthId);
    expect(forged.addonStatus).toBe(202);
    const pending = async () =>
      (await addon.services.db.query('SELECT 1 FROM uninstall_checks WHERE oauth_id = $1', [installation.oauthId])).rows.length > 0;
    await waitFor('the forged uninstall to be concluded', async () => !(await pending()));
    expect(await addon.services.installations.get(installation.oauthId)).toBeDefined();

    const real = await emulator.uninstall(installation.oauthId);
    expect(real.addonStatus).toBe(204);
    expect(await addon.services.installations.get(installation.oauthId)).toBeUndefined();
  });

  it('global install', async () => {
    const installation = await emulator.install(descriptorUrl());
    expect(await addon.services.installations.get(installation.oauthId)).toMatchObject({ roomId: null, groupId: installation.groupId });
  });
});
