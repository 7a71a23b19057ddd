import request from 'supertest';
import { startTestAddon, type TestAddon } from '../helpers/test-addon';

/** Every string under a URL-valued key, with its path, e.g. ["capabilities.webhook.0.url", "http://…"]. */
function urlEntries(value: unknown, path = ''): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((item, i) => urlEntries(item, `${path}.${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]): Array<[string, string]> => {
    const childPath = path ? `${path}.${key}` : key;
    if (typeof child === 'string' && /(^url$|Url$|^url@2x$|^homepage$|^self$)/.test(key)) return [[childPath, child]];
    return urlEntries(child, childPath);
  });
}

describe('GET /atlassian-connect.json (the capabilities descriptor)', () => {
  let addon: TestAddon;
  let descriptor: Record<string, unknown> & { links: { self: string }; capabilities: Record<string, Record<string, unknown>> };
  const baseUrl = 'https://tasks.example.test/addon';

  beforeAll(async () => {
    addon = await startTestAddon({ BASE_URL: baseUrl });
    const res = await request(addon.url).get('/atlassian-connect.json').expect(200).expect('content-type', /application\/json/);
    descriptor = res.body;
  });
  afterAll(() => addon.destroy());

  it('every URL is absolute and under BASE_URL', () => {
    const entries = urlEntries(descriptor);
    expect(entries.length).toBeGreaterThan(5);
    const offenders = entries.filter(([, url]) => !url.startsWith(`${baseUrl}/`) || !URL.canParse(url));
    expect(offenders).toEqual([]);
  });

  it('links.self is the URL the descriptor is served from', () => {
    expect(descriptor.links.self).toBe(`${baseUrl}/atlassian-connect.json`);
  });

  it('allows both global and room installation, with the install and update callbacks this server serves', () => {
    expect(descriptor.capabilities.installable).toMatchObject({
      allowGlobal: true,
      allowRoom: true,
      callbackUrl: `${baseUrl}/installable`,
      updateCallbackUrl: `${baseUrl}/installable/updated`,
    });
  });

  it('asks for API scopes (requested with the token that proves each installation)', () => {
    expect(descriptor.capabilities.hipchatApiConsumer?.scopes).toEqual(expect.arrayContaining(['send_notification']));
  });

  it('asks for view_group and view_room, with which the add-on learns who is a group admin or a room owner', () => {
    expect(descriptor.capabilities.hipchatApiConsumer?.scopes).toEqual(expect.arrayContaining(['view_group', 'view_room']));
  });
});
