// Bad input gives a FeedError a user can read, with a code the caller can branch on: never another
// exception, never a hang.
import { describe, expect, it } from 'vitest';
import { FeedError, MAX_FEED_SIZE, parseFeed, type FeedErrorCode } from '../../../src/core/feed';
import { expectValidFeed, fixture } from './fixtures';

function failure(input: string): FeedError {
  try {
    parseFeed(input);
  } catch (err) {
    expect(err).toBeInstanceOf(FeedError);
    return err as FeedError;
  }
  throw new Error('parseFeed did not fail');
}

describe('parseFeed: bad input', () => {
  it.each<[string, string, FeedErrorCode]>([
    ['an empty body', '', 'empty'],
    ['white space only', ' \r\n\t ', 'empty'],
    ['a BOM only', '\uFEFF\n', 'empty'],
    ['a JSON body', '{"error":"not found"}', 'not-a-feed'],
    ['plain text', 'Service Unavailable', 'not-a-feed'],
    ['an XML declaration only', '<?xml version="1.0"?>', 'malformed'],
    ['a lone "<"', '<', 'malformed'],
    ['<rss> without a channel', '<rss version="2.0"></rss>', 'malformed'],
    ['an RSS cut off inside its channel header', '<rss><channel><title>Half a ti', 'malformed'],
    [
      'an RSS cut off inside its first item',
      '<rss><channel><title>T</title><item><title>One</title>',
      'malformed',
    ],
    ['well-formed XML of another kind (OPML)', fixture('opml.xml'), 'not-a-feed'],
    ['an SVG image', '<svg xmlns="http://www.w3.org/2000/svg"><title>x</title></svg>', 'not-a-feed'],
    ['an HTML page', fixture('html-page.html'), 'not-a-feed'],
    [
      'an HTML page without a doctype',
      '<html><head><title>Feed</title></head><body>x</body></html>',
      'not-a-feed',
    ],
    [
      'an XHTML page',
      '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
      'not-a-feed',
    ],
    ['an HTML fragment', '<div class="error"><p>Not found</p></div>', 'not-a-feed'],
  ])('rejects %s', (_name, input, code) => {
    expect(failure(input).code).toBe(code);
  });

  it('says plainly when it got an HTML page', () => {
    expect(failure(fixture('html-page.html')).message).toMatch(/HTML page/);
  });

  it('names the root element of an XML document that is not a feed', () => {
    expect(failure(fixture('opml.xml')).message).toMatch(/<opml>/);
  });

  it('says a truncated feed is cut off', () => {
    expect(failure('<rss><channel><title>T</title><item><title>One</title>').message).toMatch(/cut off/);
  });

  it('keeps the complete episodes of a feed cut off after them, dropping the unfinished one', () => {
    const whole = fixture('pc20-official-ns.xml');
    const cut = whole.slice(0, whole.indexOf('<it:duration>3723</it:duration>'));
    const feed = parseFeed(cut);
    expectValidFeed(feed);
    expect(feed.episodes.map((e) => e.guid)).toEqual(['sn-0042', undefined]);
    expect(feed.title).toBe('Signal & Noise: The Data Show');
  });

  it('rejects input over 20 MB as too large, before reading it', () => {
    const item = '<item><title>x</title><enclosure url="https://e.example/x.mp3"/></item>\n';
    const big = `<rss><channel><title>Big</title>${item.repeat(Math.ceil(MAX_FEED_SIZE / item.length) + 1)}</channel></rss>`;
    expect(big.length).toBeGreaterThan(20 * 1024 * 1024);
    const t0 = performance.now();
    const err = failure(big);
    expect(err.code).toBe('too-large');
    expect(err.message).toMatch(/20 MB/);
    // Refused without parsing 20 MB (which takes seconds); a loose bound, not a speed claim.
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('parses a feed just under the limit', () => {
    const item = '<item><title>x</title><enclosure url="https://e.example/x.mp3"/></item>\n';
    const head = '<rss><channel><title>Big</title>';
    const tail = '</channel></rss>';
    const count = Math.floor((MAX_FEED_SIZE - head.length - tail.length) / item.length);
    const feed = parseFeed(head + item.repeat(count) + tail);
    expect(feed.episodes).toHaveLength(count);
  });

  it('does not expand entities declared in a DTD (no "billion laughs")', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      '<rss><channel><title>&lol2;</title></channel></rss>';
    expect(parseFeed(bomb).title.length).toBeLessThan(20);
  });

  it('refuses absurdly deep nesting quickly, as malformed', () => {
    const deep = `<rss><channel><title>Deep</title>${'<x>'.repeat(200_000)}</channel></rss>`;
    const t0 = performance.now();
    expect(failure(deep).code).toBe('malformed');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('reads a feed whose descriptions hold unescaped HTML void tags (<br>, <img>)', () => {
    const notes = 'Line<br>'.repeat(2000) + '<img src="x.png"><hr>';
    const xml = `<rss><channel><title>Sloppy</title>${`<item><title>Ep</title><description>${notes}</description><enclosure url="https://e.example/1.mp3"/></item>`.repeat(3)}</channel></rss>`;
    const feed = parseFeed(xml);
    expect(feed.episodes).toHaveLength(3);
    expect(feed.episodes[2]?.enclosureUrl).toBe('https://e.example/1.mp3');
  });

  it('ignores what follows the end of the feed', () => {
    const feed = parseFeed(`${fixture('zero-items.xml')}<rss><channel><title>Second</title></channel></rss>`);
    expect(feed.title).toBe('Coming Soon');
  });
});
