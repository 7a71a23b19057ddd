import { redactUrl } from '../../src/shared/redact-url';

describe('redactUrl', () => {
  it.each([
    ['/HOOKS/s3cr3t', '/HOOKS/[REDACTED]'],
    ['/Hooks/s3cr3t/deliveries/d1', '/Hooks/[REDACTED]/deliveries/d1'],
    ['/hooks/s3cr3t%2Fmore/deliveries/d1', '/hooks/[REDACTED]/deliveries/d1'],
    ['/BYO/s3cr3t/command', '/BYO/[REDACTED]/command'],
    ['/hooks%2Fs3cr3t', '/hooks%2F[REDACTED]'],
    ['/hooks%5Cs3cr3t', '/hooks%5C[REDACTED]'],
    ['/%68ooks/s3cr3t', '/%68ooks/[REDACTED]'],
    ['/%2568ooks/s3cr3t', '/%2568ooks/[REDACTED]'],
    ['//hooks//s3cr3t', '//hooks//[REDACTED]'],
    ['/x?signed%5Frequest=s3cr3t&a=1', '/x?signed%5Frequest=[REDACTED]&a=1'],
    ['/x?SIGNED_REQUEST=s3cr3t', '/x?SIGNED_REQUEST=[REDACTED]'],
    ['/x?signed_request[]=s3cr3t', '/x?signed_request[]=[REDACTED]'],
    ['/x?AUTH%5Ftoken=s3cr3t', '/x?AUTH%5Ftoken=[REDACTED]'],
    ['/x?client+secret=s3cr3t', '/x?client+secret=[REDACTED]'],
    ['/i?installable_url=http%3A%2F%2Fh%2F_installable%2Fs3cr3t&redirect_url=http%3A%2F%2Fh', '/i?installable_url=[REDACTED]&redirect_url=http%3A%2F%2Fh'],
    ['http://u:s3cr3t@h:1/HOOKS/s3cr3t?a=b', 'http://[REDACTED]@h:1/HOOKS/[REDACTED]?a=b'],
    ['/x?anything=eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl', '/x?anything=[REDACTED]'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('leaves URLs without secrets alone', () => {
    expect(redactUrl('/api/tasks/3?all=1')).toBe('/api/tasks/3?all=1');
    expect(redactUrl('/hooks')).toBe('/hooks');
    expect(redactUrl('/webhooks/room-message')).toBe('/webhooks/room-message');
  });
});
