// @vitest-environment happy-dom
// The Substack adapter against a podcast post hand-written to Substack's structure
// (test/fixtures/pages/host-substack.html; the whole hint is checked in hosts.test.ts).
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../src/content/sites';
import { substack } from '../../../src/content/sites/substack';
import { loadHtml, loadPage, type LoadedPage } from '../../helpers/page';

const POST = 'https://fieldrecordings.substack.com/p/episode-9-why-cities-hum';

const detect = (page: LoadedPage) =>
  substack.detect({ doc: page.doc, media: page.doc.querySelector('audio')!, url: page.url })!;

describe('the Substack adapter', () => {
  it.each([POST, 'https://substack.com/home', 'https://open.substack.com/pub/fieldrecordings/p/x'])(
    'is the adapter for %s',
    (url) => {
      expect(adapterFor(new URL(url)).id).toBe('substack');
    },
  );

  it('names the publication as the show and dates the episode from the post', () => {
    expect(detect(loadPage('host-substack.html', POST))).toMatchObject({
      site: 'substack',
      title: 'Episode 9: Why Cities Hum',
      show: 'Field Recordings',
      published: '2026-05-02T11:00:00+00:00',
      feedUrl: 'https://fieldrecordings.substack.com/feed',
    });
  });

  it('falls back to the feed link’s title for the show', () => {
    const page = loadPage('host-substack.html', POST);
    page.doc.querySelector('script[type="application/ld+json"]')!.remove();
    const hint = detect(page);
    expect(hint.show).toBe('Field Recordings');
    expect(hint.published).toBeUndefined();
  });

  it('reads only the generic signals off a post (the JSON-LD there is not the playing post’s)', () => {
    const hint = detect(loadPage('host-substack.html', 'https://fieldrecordings.substack.com/'));
    expect(hint.site).toBe('substack');
    expect(hint.show).toBeUndefined();
    expect(hint.published).toBeUndefined();
  });
});

describe('where the Substack adapter puts the cards', () => {
  it('after the podcast player, above the post’s body', () => {
    const { doc } = loadPage('host-substack.html', POST);
    expect(substack.mount?.(doc)?.className).toBe('player-wrapper-outer');
  });

  it('in a corner off a post, or on a post without a player', () => {
    expect(
      substack.mount?.(loadPage('host-substack.html', 'https://fieldrecordings.substack.com/').doc),
    ).toBeNull();
    expect(substack.mount?.(loadHtml('<article class="post"><p>Text</p></article>', POST).doc)).toBeNull();
  });
});
