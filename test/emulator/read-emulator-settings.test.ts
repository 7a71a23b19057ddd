import { readEmulatorSettings } from '../../src/emulator/read-emulator-settings';
import { startEmulator } from '../../src/emulator';

/** `npm run emulator`'s environment, including the HipChat Server shapes (a path prefix, the API URLs' trailing slashes). */
describe('readEmulatorSettings', () => {
  it("defaults to HipChat Cloud's shape on 127.0.0.1:4000", () => {
    expect(readEmulatorSettings({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      pathPrefix: '',
      apiUrlSlashes: { linksApi: false, hipchatApiProvider: true },
    });
  });

  it('reads a HipChat Server shape: port, path prefix (trailing slash dropped) and swapped trailing slashes', () => {
    const settings = readEmulatorSettings({
      EMULATOR_PORT: '8443',
      EMULATOR_HOST: 'localhost',
      EMULATOR_PATH_PREFIX: '/chat/hipchat/',
      EMULATOR_LINKS_API_TRAILING_SLASH: 'true',
      EMULATOR_API_PROVIDER_TRAILING_SLASH: '0',
    });
    expect(settings).toEqual({
      port: 8443,
      host: 'localhost',
      pathPrefix: '/chat/hipchat',
      apiUrlSlashes: { linksApi: true, hipchatApiProvider: false },
    });
  });

  it.each([
    ['EMULATOR_PORT', 'http'],
    ['EMULATOR_PORT', '70000'],
    ['EMULATOR_PORT', '-1'],
    ['EMULATOR_PATH_PREFIX', 'hipchat'],
    ['EMULATOR_PATH_PREFIX', '/hip chat'],
    ['EMULATOR_LINKS_API_TRAILING_SLASH', 'yes'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    expect(() => readEmulatorSettings({ [name]: value })).toThrow(new RegExp(`^${name} .*got "${value}"$`));
  });

  it('gives startEmulator options it serves: the capabilities document under the prefix, in the chosen slash shape', async () => {
    const settings = readEmulatorSettings({
      EMULATOR_PORT: '0',
      EMULATOR_PATH_PREFIX: '/hipchat',
      EMULATOR_LINKS_API_TRAILING_SLASH: 'true',
      EMULATOR_API_PROVIDER_TRAILING_SLASH: 'false',
    });
    const emulator = await startEmulator(settings);
    try {
      const document = await (await fetch(`http://127.0.0.1:${emulator.port}/hipchat/v2/capabilities`)).json();
      expect(document.links.api).toBe(`${emulator.url}/v2/`);
      expect(document.capabilities.hipchatApiProvider.url).toBe(`${emulator.url}/v2`);
    } finally {
      await emulator.close();
    }
  });
});
