import fs from 'node:fs';
import path from 'node:path';
import { normaliseApiUrl, readCapabilitiesDocument } from '../../src/hipchat/install/capabilities-document';
import { HttpError } from '../../src/shared/errors';

const cloudDocument: unknown = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'emulator', 'fixtures', 'hipchat-cloud-capabilities.json'), 'utf8'),
);
const CLOUD_URL = 'https://api.hipchat.com/v2/capabilities';

function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readCapabilitiesDocument (pure)', () => {
  it("reads HipChat Cloud's own capabilities document", () => {
    expect(readCapabilitiesDocument(cloudDocument, CLOUD_URL)).toEqual({
      capabilitiesUrl: CLOUD_URL,
      tokenUrl: 'https://api.hipchat.com/v2/oauth/token',
      apiUrl: 'https://api.hipchat.com/v2/',
      hipchatBaseUrl: 'https://www.hipchat.com',
    });
  });

  it('refuses a document whose links.self is not exactly the URL fetched (403)', () => {
    for (const fetched of ['https://api.hipchat.com/v2/capabilities/', 'https://API.hipchat.com/v2/capabilities?x=1']) {
      const error = refusal(() => readCapabilitiesDocument(cloudDocument, fetched));
      expect([error.status, error.code]).toEqual([403, 'capabilities_self_mismatch']);
    }
  });

  it('refuses a document without a token URL (502 naming the field)', () => {
    const doc = { links: { self: CLOUD_URL }, capabilities: { hipchatApiProvider: { url: 'https://api.hipchat.com/v2/' } } };
    const error = refusal(() => readCapabilitiesDocument(doc, CLOUD_URL));
    expect(error.status).toBe(502);
    expect(error.message).toContain('capabilities.oauth2Provider');
  });

  const serverBase = {
    capabilities: { oauth2Provider: { tokenUrl: 'https://h.example/t' }, hipchatApiProvider: { url: 'https://h.example/v2' } },
  };
  const serverUrl = 'https://h.example:8443/v2/capabilities';
  const baseUrlOf = (links: Record<string, string>) => readCapabilitiesDocument({ ...serverBase, links: { self: serverUrl, ...links } }, serverUrl).hipchatBaseUrl;

  it('hipchatBaseUrl falls back to links.homepage, then to the capabilities URL origin', () => {
    expect(baseUrlOf({ homepage: 'https://www.h.example' })).toBe('https://www.h.example');
    expect(baseUrlOf({ subdomain: 'https://s.h.example/', homepage: 'https://www.h.example' })).toBe('https://s.h.example');
    expect(baseUrlOf({})).toBe('https://h.example:8443');
  });

  it('hipchatBaseUrl keeps the path of links.subdomain/homepage: a HipChat Server behind a path serves all.js under it', () => {
    expect(baseUrlOf({ homepage: 'https://www.h.example/home' })).toBe('https://www.h.example/home');
    expect(baseUrlOf({ subdomain: 'https://h.example:8443/hipchat/', homepage: 'https://h.example:8443/hipchat' })).toBe(
      'https://h.example:8443/hipchat',
    );
    // Query and fragment are no part of where all.js lives.
    expect(baseUrlOf({ subdomain: 'https://h.example/hipchat?x=1#y' })).toBe('https://h.example/hipchat');
  });
});

describe('normaliseApiUrl: exactly one trailing slash, never "//"', () => {
  it.each([
    ['https://api.hipchat.com/v2', 'https://api.hipchat.com/v2/'],
    ['https://api.hipchat.com/v2/', 'https://api.hipchat.com/v2/'],
    ['https://api.hipchat.com/v2//', 'https://api.hipchat.com/v2/'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseApiUrl(input)).toBe(expected);
    expect(normaliseApiUrl(input) + 'room/1').not.toMatch(/[^:]\/\//);
  });
});
