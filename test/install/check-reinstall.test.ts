import { checkReinstall, sameCapabilitiesUrl } from '../../src/hipchat/install/check-reinstall';

describe('checkReinstall (pure): a stored oauthId is replaced only from its own HipChat and group', () => {
  const stored = { capabilitiesUrl: 'https://chat.example.com/v2/capabilities', groupId: 7 };

  it('the same capabilities URL and group may proceed; default ports written out count as the same', () => {
    expect(checkReinstall(stored, stored, 'update')).toBeUndefined();
    expect(checkReinstall(stored, { ...stored, capabilitiesUrl: 'https://CHAT.example.com:443/v2/capabilities' }, 'install')).toBeUndefined();
  });

  it.each([
    ['another port', 'https://chat.example.com:8443/v2/capabilities'],
    ['another scheme', 'http://chat.example.com/v2/capabilities'],
    ['another host', 'https://evil.example.com/v2/capabilities'],
    ['a subdomain', 'https://a.chat.example.com/v2/capabilities'],
    ['another path', 'https://chat.example.com/v2/capabilities/'],
    ['another query', 'https://chat.example.com/v2/capabilities?tenant=evil'],
    ['not a URL', 'capabilities'],
  ])('an update from %s is refused with 403, a fresh install with 409', (_what, capabilitiesUrl) => {
    expect(checkReinstall(stored, { ...stored, capabilitiesUrl }, 'update')).toMatchObject({ status: 403, code: 'installation_mismatch' });
    expect(checkReinstall(stored, { ...stored, capabilitiesUrl }, 'install')).toMatchObject({ status: 409, code: 'installation_exists' });
  });

  it('another group on the same HipChat (Cloud serves one capabilities URL to all groups) is refused', () => {
    expect(checkReinstall(stored, { ...stored, groupId: 8 }, 'update')).toMatchObject({ status: 403 });
    expect(checkReinstall(stored, { ...stored, groupId: 8 }, 'install')).toMatchObject({ status: 409 });
  });

  it('the refusal does not echo the stored capabilities URL to the unauthenticated caller', () => {
    const refusal = checkReinstall(stored, { ...stored, groupId: 8 }, 'update');
    expect(refusal?.message).not.toContain('chat.example.com');
    expect(sameCapabilitiesUrl(stored.capabilitiesUrl, `${stored.capabilitiesUrl}#x`)).toBe(true);
  });
});
