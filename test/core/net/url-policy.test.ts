import { describe, expect, it } from 'vitest';
import { checkPublicHttpUrl } from '../../../src/core/net/url-policy';

describe('checkPublicHttpUrl', () => {
  it.each([
    'https://feeds.megaphone.fm/the-weeds',
    'http://example.com/feed.xml',
    'https://8.8.8.8/x',
    'https://[2606:4700::1111]/',
    'https://[::ffff:8.8.8.8]/',
    'https://overcast.fm:8443/+abc',
  ])('fetches %s', (url) => {
    expect(checkPublicHttpUrl(url).ok).toBe(true);
  });

  it.each([
    ['file:///etc/passwd', /file:/],
    ['ftp://example.com/x', /ftp:/],
    ['javascript:alert(1)', /javascript:/],
    ['data:text/plain,hi', /data:/],
    ['not a url', /valid/],
    ['http://127.0.0.1:8080/', /IPv4/],
    ['http://127.1/', /IPv4/],
    ['http://2130706433/', /IPv4/],
    ['http://0x7f000001/', /IPv4/],
    ['http://0.0.0.0/', /IPv4/],
    ['http://10.0.0.8/', /IPv4/],
    ['http://172.16.5.4/', /IPv4/],
    ['http://172.31.255.255/', /IPv4/],
    ['http://192.168.1.1/', /IPv4/],
    ['http://169.254.169.254/latest/meta-data', /IPv4/],
    ['http://100.64.0.1/', /IPv4/],
    ['http://224.0.0.1/', /IPv4/],
    ['http://255.255.255.255/', /IPv4/],
    ['http://[::1]/', /IPv6/],
    ['http://[::]/', /IPv6/],
    ['http://[fe80::1]/', /IPv6/],
    ['http://[fd00::1]/', /IPv6/],
    ['http://[::ffff:127.0.0.1]/', /IPv6/],
    ['http://[::ffff:192.168.0.1]/', /IPv6/],
    ['http://localhost/', /local/],
    ['http://api.localhost/', /local/],
    ['http://printer/', /local/],
    ['http://nas.local/', /local/],
    ['http://db.internal/', /local/],
    ['http://router.home.arpa/', /local/],
    ['http://user:secret@example.com/', /credentials/],
  ])('refuses %s', (url, reason) => {
    const verdict = checkPublicHttpUrl(url);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it('allows public neighbours of private ranges', () => {
    for (const url of [
      'http://172.32.0.1/',
      'http://11.0.0.1/',
      'http://192.169.0.1/',
      'http://100.128.0.1/',
    ])
      expect(checkPublicHttpUrl(url).ok, url).toBe(true);
  });
});
