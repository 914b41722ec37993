// @vitest-environment happy-dom
// The Overcast adapter against pages in the shape of Overcast's 2023 and 2019 layouts.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema } from '../../../src/core/episode/hint';
import { aliasesFor } from '../../../src/core/episode/identity';
import { overcast } from '../../../src/content/sites/overcast';
import { adapterFor } from '../../../src/content/sites';
import { loadHtml, loadPage, stubMedia } from '../../helpers/page';

function detect(file: string, url: string) {
  const page = loadPage(file, url);
  const media = page.doc.querySelector('audio')!;
  const source = media.querySelector('source')?.getAttribute('src') ?? '';
  stubMedia(media, { currentSrc: source.replace(/&amp;/g, '&'), duration: 2400 });
  return overcast.detect({ doc: page.doc, media, url: page.url })!;
}

describe('the Overcast adapter', () => {
  it('is the adapter for overcast.fm', () => {
    expect(adapterFor(new URL('https://overcast.fm/+AbCdEf')).id).toBe('overcast');
  });

  it('reads a 2023 page: the episode and show apart, the enclosure, the show’s Apple id', () => {
    const hint = detect('overcast-episode.html', 'https://overcast.fm/+5K6jP2BDE');
    expect(hint).toMatchObject({
      site: 'overcast',
      title: 'Sleep and Memory',
      show: 'Deep Talk',
      canonicalUrl: 'https://deeptalk.example.com/episodes/sleep-and-memory',
      ids: { appleCollection: '1602541473' },
      artwork: 'https://public.overcast-cdn.com/art/1234?v3',
    });
    expect(v.safeParse(EpisodeHintSchema, hint).success).toBe(true);
    // The enclosure behind Podtrac is the same file the feed lists.
    expect(aliasesFor(hint)).toContain('media:cdn.deeptalk.example.com/ep12.mp3');
  });

  it('reads a 2019 page, whose show button carries the Apple id', () => {
    const hint = detect('overcast-episode-2019.html', 'https://overcast.fm/+FOOTgzaEw');
    expect(hint).toMatchObject({
      title: 'The Weekly Question',
      show: 'Policy Hour',
      ids: { appleCollection: '1042433083' },
    });
  });

  it('never takes Overcast’s own app id for the show’s', () => {
    const page = loadPage('overcast-episode.html', 'https://overcast.fm/+x');
    for (const a of page.doc.querySelectorAll('a[href*="castro"], a[href*="pca.st"]')) a.remove();
    const media = page.doc.querySelector('audio')!;
    const hint = overcast.detect({ doc: page.doc, media, url: page.url })!;
    expect(hint.ids?.appleCollection).toBeUndefined();
  });

  it('falls back to the generic reading on an unknown layout', () => {
    const page = loadPage('og-only.html', 'https://overcast.fm/+new');
    const media = page.doc.querySelector('audio, video') as HTMLMediaElement;
    const hint = overcast.detect({ doc: page.doc, media, url: page.url })!;
    expect(hint.site).toBe('overcast');
    expect(hint.title.length).toBeGreaterThan(0);
  });
});

describe('where the Overcast adapter puts the cards', () => {
  // The player as Overcast's 2019 and 2023 pages lay it out: the audio element, the play buttons,
  // the speed slider.
  const player = `<audio id="audioplayer"></audio><div id="playcontrols_container"></div>
    <div id="speedcontrols"></div><p>Links</p>`;

  it('after the speed slider, under the player', () => {
    const { doc } = loadHtml(player, 'https://overcast.fm/+5K6jP2BDE');
    expect(overcast.mount?.(doc)?.id).toBe('speedcontrols');
  });

  it('after the play buttons, then the audio element, when the later blocks are gone', () => {
    const { doc } = loadHtml(player, 'https://overcast.fm/+5K6jP2BDE');
    doc.querySelector('#speedcontrols')!.remove();
    expect(overcast.mount?.(doc)?.id).toBe('playcontrols_container');
    doc.querySelector('#playcontrols_container')!.remove();
    expect(overcast.mount?.(doc)?.id).toBe('audioplayer');
  });

  it('nowhere on a page without a player (the corner then)', () => {
    expect(overcast.mount?.(loadHtml('<p>Overcast</p>', 'https://overcast.fm/').doc)).toBeNull();
  });
});
