import { ConfigError, HIPCHAT_CLOUD_HOSTS, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine: port 3000, embedded database, HipChat Cloud hosts', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.pgliteDir).toBe('./data/pglite');
    expect(config.pgliteLowMemory).toBe(true);
    expect(config.allowedHosts).toEqual(HIPCHAT_CLOUD_HOSTS);
    expect(config.jwtClockSkewSeconds).toBe(60);
    expect(config.apiRateLimit).toEqual({ limit: 500, windowMs: 300_000 });
    expect(config.roomFloodLimit).toEqual({ limit: 30, windowMs: 60_000 });
  });

  it('derives BASE_URL from PORT and strips a trailing slash from an explicit one', () => {
    expect(loadConfig({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ BASE_URL: 'https://tasks.example.com/' }).baseUrl).toBe('https://tasks.example.com');
  });

  it('lets the embedded database trade memory back for speed with PGLITE_LOW_MEMORY=false', () => {
    expect(loadConfig({ PGLITE_LOW_MEMORY: 'false' }).pgliteLowMemory).toBe(false);
    expect(loadConfig({ PGLITE_LOW_MEMORY: 'true' }).pgliteLowMemory).toBe(true);
  });

  it('reads host patterns, rate limits and an encryption key', () => {
    const config = loadConfig({
      HIPCHAT_ALLOWED_HOSTS: 'chat.example.com, *.hipchat.com,127.0.0.1',
      HIPCHAT_RATE_LIMIT: '100/300',
      HIPCHAT_ROOM_FLOOD_LIMIT: '30/1.5',
      ENCRYPTION_KEY: 'ab'.repeat(32),
    });
    expect(config.allowedHosts).toEqual(['chat.example.com', '*.hipchat.com', '127.0.0.1']);
    expect(config.apiRateLimit).toEqual({ limit: 100, windowMs: 300_000 });
    expect(config.roomFloodLimit).toEqual({ limit: 30, windowMs: 1500 });
    expect(config.encryptionKey?.length).toBe(32);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['BASE_URL', 'not a url'],
    ['BASE_URL', 'ftp://example.com'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['HIPCHAT_ALLOWED_HOSTS', 'https://api.hipchat.com'],
    ['LOG_LEVEL', 'loud'],
    ['ENCRYPTION_KEY', 'too-short'],
    ['HIPCHAT_RATE_LIMIT', '500 per 5 minutes'],
    ['ADMIN_TOKEN', 'short'],
    ['JWT_CLOCK_SKEW_SECONDS', '-1'],
    ['ENCRYPTION_KEY_PREVIOUS', 'too-short'],
    ['ALLOW_PLAINTEXT_SECRETS', 'maybe'],
    ['PGLITE_LOW_MEMORY', 'small'],
    ['TRUST_PROXY', 'everyone'],
    ['TRUST_PROXY', '10.0.0.0/33'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    let thrown: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(name);
    expect((thrown as Error).message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    expect((thrown as Error).message).not.toContain('\n');
  });

  it('refuses NODE_ENV=production without ENCRYPTION_KEY, naming ENCRYPTION_KEY and the opt-out', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^Invalid configuration: ENCRYPTION_KEY is required when NODE_ENV=production .*ALLOW_PLAINTEXT_SECRETS=true/,
    );
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_PLAINTEXT_SECRETS: 'true' }).encryptionKey).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: 'ab'.repeat(32) }).encryptionKey?.length).toBe(32);
  });

  it('refuses ENCRYPTION_KEY_PREVIOUS without a new ENCRYPTION_KEY to rotate to', () => {
    expect(() => loadConfig({ ENCRYPTION_KEY_PREVIOUS: 'ab'.repeat(32) })).toThrow(/ENCRYPTION_KEY_PREVIOUS needs ENCRYPTION_KEY/);
  });

  it('trusts no proxy by default; TRUST_PROXY takes true, a hop count, or addresses, subnets and names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
  });
});
