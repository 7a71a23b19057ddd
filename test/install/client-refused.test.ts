import { TokenRequestError } from '../../src/hipchat/api/request-access-token';

describe('TokenRequestError.clientRefused (pure): what counts as HipChat confirming an uninstall', () => {
  it.each([
    [401, undefined],
    [401, 'invalid_request'],
    [400, 'invalid_client'],
    [403, 'invalid_client'],
  ])('HTTP %s with OAuth error %s: the client itself is refused', (status, oauthError) => {
    expect(new TokenRequestError('refused', status, oauthError).clientRefused).toBe(true);
  });

  it.each([
    [400, undefined],
    [400, 'invalid_request'],
    [403, undefined],
    [429, undefined],
    [429, 'invalid_client'],
    [500, 'invalid_client'],
    [503, undefined],
    [undefined, undefined],
  ])('HTTP %s with OAuth error %s: inconclusive (throttling, outage, another problem)', (status, oauthError) => {
    expect(new TokenRequestError('refused', status, oauthError).clientRefused).toBe(false);
  });
});
