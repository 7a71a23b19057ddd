import { HttpError } from '../../src/shared/errors';
import { parseConnectRequest } from '../../src/gateway/connections/parse-connect-request';
import { parseHipChatApiUrl, parseNotificationUrl, parseRoomRef } from '../../src/gateway/connections/parse-room-token-input';

function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseNotificationUrl', () => {
  it('reads the API base, room id and token of a build-your-own notification URL', () => {
    expect(parseNotificationUrl('https://api.hipchat.com/v2/room/123/notification?auth_token=abcDEF123456')).toEqual({
      apiUrl: 'https://api.hipchat.com/v2/',
      room: { id: 123 },
      token: 'abcDEF123456',
    });
  });

  it('keeps a HipChat Server path prefix and the port, and decodes a room name', () => {
    expect(parseNotificationUrl('https://chat.example.com:8443/hc/v2/room/Dev%20Team/notification?auth_token=tok_12345678')).toEqual({
      apiUrl: 'https://chat.example.com:8443/hc/v2/',
      room: { name: 'Dev Team' },
      token: 'tok_12345678',
    });
  });

  it.each([
    ['not a URL', 'hello'],
    ['another API path', 'https://api.hipchat.com/v2/room/123/message?auth_token=abcdefgh1'],
    ['no token', 'https://api.hipchat.com/v2/room/123/notification'],
    ['two tokens', 'https://api.hipchat.com/v2/room/123/notification?auth_token=abcdefgh1&auth_token=abcdefgh2'],
    ['a token of the wrong shape', 'https://api.hipchat.com/v2/room/123/notification?auth_token=a%20b'],
    ['room 0', 'https://api.hipchat.com/v2/room/0/notification?auth_token=abcdefgh1'],
  ])('refuses %s with a 400 naming notificationUrl', (_what, url) => {
    const error = refusal(() => parseNotificationUrl(url));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^notificationUrl/);
  });
});

describe('parseHipChatApiUrl', () => {
  it.each([
    ['https://api.hipchat.com', 'https://api.hipchat.com/v2/'],
    ['https://api.hipchat.com/', 'https://api.hipchat.com/v2/'],
    ['https://api.hipchat.com/v2', 'https://api.hipchat.com/v2/'],
    ['https://api.hipchat.com/v2/', 'https://api.hipchat.com/v2/'],
    ['https://chat.example.com/hc', 'https://chat.example.com/hc/v2/'],
  ])('%s → %s', (input, expected) => {
    expect(parseHipChatApiUrl(input)).toBe(expected);
  });

  it('refuses query strings', () => {
    expect(refusal(() => parseHipChatApiUrl('https://api.hipchat.com/?x=1')).message).toMatch(/^hipchatUrl/);
  });
});

describe('parseRoomRef', () => {
  it('takes digits as an id and other text as a name', () => {
    expect(parseRoomRef('42')).toEqual({ id: 42 });
    expect(parseRoomRef(42)).toEqual({ id: 42 });
    expect(parseRoomRef(' Ops ')).toEqual({ name: 'Ops' });
  });

  it('refuses negative, fractional and empty rooms', () => {
    expect(refusal(() => parseRoomRef(-1)).status).toBe(400);
    expect(refusal(() => parseRoomRef(1.5)).status).toBe(400);
    expect(refusal(() => parseRoomRef('')).status).toBe(400);
  });
});

describe('parseConnectRequest', () => {
  it('accepts a notification URL', () => {
    expect(parseConnectRequest({ notificationUrl: 'https://api.hipchat.com/v2/room/7/notification?auth_token=abcdefgh1' })).toEqual({
      apiUrl: 'https://api.hipchat.com/v2/',
      room: { id: 7 },
      token: 'abcdefgh1',
    });
  });

  it('accepts a token, HipChat URL and room', () => {
    expect(parseConnectRequest({ token: 'abcdefgh1', hipchatUrl: 'https://api.hipchat.com', room: 'Ops' })).toEqual({
      apiUrl: 'https://api.hipchat.com/v2/',
      room: { name: 'Ops' },
      token: 'abcdefgh1',
    });
  });

  it.each([
    [{ token: 'abcdefgh1', room: 5 }, /^hipchatUrl/],
    [{ hipchatUrl: 'https://api.hipchat.com', room: 5 }, /^token/],
    [{ token: 'abcdefgh1', hipchatUrl: 'https://api.hipchat.com' }, /^room/],
    [{ notificationUrl: 'https://api.hipchat.com/v2/room/7/notification?auth_token=abcdefgh1', token: 'x' }, /^token/],
    [{ notificationUrl: 'x', extra: 1 }, /^extra/],
    [[], /^body/],
  ])('names the field at fault in %j', (body, message) => {
    const error = refusal(() => parseConnectRequest(body));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});
