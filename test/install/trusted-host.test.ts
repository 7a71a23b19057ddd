import { checkTrustedUrl, hostMatches, isLoopbackHost, isTrustedUrl } from '../../src/hipchat/install/trusted-host';
import { HIPCHAT_CLOUD_HOSTS } from '../../src/config';

describe('checkTrustedUrl (pure)', () => {
  const cloud = HIPCHAT_CLOUD_HOSTS;

  it.each([
    'https://api.hipchat.com/v2/capabilities',
    'https://www.hipchat.com/',
    'https://hipchat.com/x',
    'https://a.b.hipchat.com/x',
    'https://API.HipChat.com/v2/capabilities',
    'https://api.hipchat.com:8443/v2/capabilities',
    'https://api.hipchat.com./v2/capabilities',
  ])('trusts %s with the HipChat Cloud defaults', (url) => {
    expect(checkTrustedUrl(url, cloud)).toMatchObject({ trusted: true });
  });

  it.each([
    ['https://hipchat.com.evil.com/', 'not in HIPCHAT_ALLOWED_HOSTS'],
    ['https://evilhipchat.com/', 'not in HIPCHAT_ALLOWED_HOSTS'],
    ['https://api.hipchat.com@evil.com/', 'credentials'],
    ['https://user:pass@api.hipchat.com/', 'credentials'],
    ['http://api.hipchat.com/v2/capabilities', 'https is required'],
    ['ftp://api.hipchat.com/', 'only https'],
    ['javascript:alert(1)', 'only https'],
    ['/v2/capabilities', 'not an absolute URL'],
    ['', 'not an absolute URL'],
  ])('refuses %s (%s)', (url, reason) => {
    const trust = checkTrustedUrl(url, cloud);
    expect(trust.trusted).toBe(false);
    expect(trust.trusted ? '' : trust.reason).toContain(reason);
  });

  it('allows http only on loopback hosts, and only when they are listed', () => {
    expect(isTrustedUrl('http://127.0.0.1:8080/v2/capabilities', ['127.0.0.1'])).toBe(true);
    expect(isTrustedUrl('http://localhost:8080/', ['localhost'])).toBe(true);
    expect(isTrustedUrl('http://[::1]:8080/', ['::1'])).toBe(true);
    expect(isTrustedUrl('http://[::1]:8080/', ['[::1]'])).toBe(true);
    expect(isTrustedUrl('http://127.0.0.1:8080/', ['localhost'])).toBe(false);
    expect(isTrustedUrl('http://chat.example.com/', ['chat.example.com'])).toBe(false);
    expect(isTrustedUrl('https://chat.example.com/', ['chat.example.com'])).toBe(true);
  });

  it('the port is ignored', () => {
    expect(isTrustedUrl('https://chat.example.com:1/', ['chat.example.com'])).toBe(true);
  });
});

describe('hostMatches: "*." matches one or more labels, never the bare domain, never an IP', () => {
  it.each([
    ['a.hipchat.com', '*.hipchat.com', true],
    ['a.b.hipchat.com', '*.hipchat.com', true],
    ['hipchat.com', '*.hipchat.com', false],
    ['ahipchat.com', '*.hipchat.com', false],
    ['api.hipchat.com', 'api.hipchat.com', true],
    ['x.api.hipchat.com', 'api.hipchat.com', false],
    ['10.0.0.1', '*.0.0.1', false],
    ['127.0.0.1', '127.0.0.1', true],
  ])('%s vs %s → %s', (host, pattern, expected) => {
    expect(hostMatches(host, pattern)).toBe(expected);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['localhost.evil.com', false],
    ['127.0.0.1.evil.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
