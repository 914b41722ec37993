// decodeFeedBytes: a BOM first, then the Content-Type charset, then the XML declaration, else UTF-8.
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, FeedError, MAX_FEED_SIZE, parseFeed } from '../../../src/core/feed';
import { fixtureBytes } from './fixtures';

const XML = '<?xml version="1.0"?><rss><channel><title>Ça — “quoted” 日本</title></channel></rss>';
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const utf16le = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
};
const swap = (b: Uint8Array): Uint8Array => b.map((_, i) => b[i % 2 === 0 ? i + 1 : i - 1] ?? 0);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

describe('decodeFeedBytes', () => {
  it('decodes UTF-8 by default', () => {
    expect(decodeFeedBytes(utf8(XML))).toBe(XML);
  });

  it.each([
    ['UTF-8', concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(XML))],
    ['UTF-16LE', concat(new Uint8Array([0xff, 0xfe]), utf16le(XML))],
    ['UTF-16BE', concat(new Uint8Array([0xfe, 0xff]), swap(utf16le(XML)))],
  ])('honours a %s byte order mark, and drops it', (_name, bytes) => {
    expect(decodeFeedBytes(bytes)).toBe(XML);
  });

  it('lets a BOM win over a wrong Content-Type charset', () => {
    const bytes = concat(new Uint8Array([0xff, 0xfe]), utf16le(XML));
    expect(decodeFeedBytes(bytes, 'text/xml; charset=ISO-8859-1')).toBe(XML);
  });

  it('reads UTF-16 without a BOM from its "<?" bytes', () => {
    expect(decodeFeedBytes(utf16le(XML))).toBe(XML);
    expect(decodeFeedBytes(swap(utf16le(XML)))).toBe(XML);
  });

  it('reads a Latin-1 (windows-1252) feed by its XML declaration', () => {
    const text = decodeFeedBytes(fixtureBytes('latin1.xml'));
    expect(text).toContain('<title>Café Crème – Français facile</title>');
    expect(text).not.toMatch(/[\u0080-\u009f\ufffd]/);
  });

  it('uses the Content-Type charset when the document declares none', () => {
    const bytes = new Uint8Array([
      ...utf8('<rss><channel><title>'),
      0xe9,
      0x92,
      ...utf8('</title></channel></rss>'),
    ]);
    expect(parseFeed(decodeFeedBytes(bytes, 'application/rss+xml; charset="windows-1252"')).title).toBe('é’');
  });

  it('prefers the Content-Type charset over the declaration when both are plausible', () => {
    const bytes = utf8(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>é</title></channel></rss>',
    );
    expect(parseFeed(decodeFeedBytes(bytes, 'text/xml; charset=utf-8')).title).toBe('é');
  });

  it('believes the declaration when a "charset=utf-8" header is wrong about non-UTF-8 bytes', () => {
    const bytes = fixtureBytes('latin1.xml');
    expect(parseFeed(decodeFeedBytes(bytes, 'text/xml; charset=UTF-8')).title).toBe(
      'Café Crème – Français facile',
    );
  });

  it('ignores an unknown charset label', () => {
    expect(decodeFeedBytes(utf8(XML), 'text/xml; charset=x-klingon')).toBe(XML);
  });

  it('ignores a UTF-16 declaration on bytes that are not UTF-16', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><rss><channel><title>é</title></channel></rss>';
    expect(decodeFeedBytes(utf8(text))).toBe(text);
  });

  it('replaces invalid UTF-8 bytes rather than failing', () => {
    const bytes = new Uint8Array([
      ...utf8('<rss><channel><title>a'),
      0xff,
      ...utf8('b</title></channel></rss>'),
    ]);
    expect(parseFeed(decodeFeedBytes(bytes)).title).toBe('a\ufffdb');
  });

  it('refuses more than 20 MB of bytes', () => {
    const err = (() => {
      try {
        decodeFeedBytes(new Uint8Array(MAX_FEED_SIZE + 1));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FeedError);
    expect((err as FeedError).code).toBe('too-large');
  });
});
