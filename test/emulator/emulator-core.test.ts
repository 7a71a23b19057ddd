import { EmulatorCore, startEmulator } from '../../src/emulator';

/** HipChat's model and drivers without a server: what the Emulator serves over HTTP. */
describe('EmulatorCore (no HTTP)', () => {
  it('seeds, records a posted message, and tells who is admin, without listening anywhere', async () => {
    const core = new EmulatorCore({ seed: { groupName: 'Acme', rooms: [{ name: 'Ops', owner: 'olive' }], users: [{ name: 'Olive', mention_name: 'olive', is_group_admin: true }] } });
    const [room] = core.rooms();
    const [olive] = core.users();
    expect(core.defaultGroup.name).toBe('Acme');
    expect(room).toMatchObject({ name: 'Ops', ownerId: olive?.id });
    const posted = await core.postMessage(room?.id ?? 0, olive?.id ?? 0, 'hello @olive');
    expect(posted.webhooks).toEqual([]);
    expect(core.history(room?.id ?? 0)).toEqual([expect.objectContaining({ message: 'hello @olive', mentions: [expect.objectContaining({ id: olive?.id })] })]);
    expect(() => core.createAccessToken('no-such-installation')).toThrow(/No installation/);
    expect(core.limits.rateLimit.limit).toBeGreaterThan(0);
  });

  it('refuses a path prefix that is not a plain path, and normalises a trailing slash', async () => {
    await expect(startEmulator({ pathPrefix: 'hipchat' })).rejects.toThrow(/pathPrefix/);
    await expect(startEmulator({ pathPrefix: '/a b' })).rejects.toThrow(/pathPrefix/);
    const emulator = await startEmulator({ pathPrefix: '/hipchat/' });
    try {
      expect(emulator.pathPrefix).toBe('/hipchat');
      expect(emulator.capabilitiesUrl).toBe(`http://127.0.0.1:${emulator.port}/hipchat/v2/capabilities`);
    } finally {
      await emulator.close();
    }
  });
});
