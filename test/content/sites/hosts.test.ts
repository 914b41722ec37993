// @vitest-environment happy-dom
// Podcast hosts' episode pages (Buzzsprout, Transistor, Podbean, Simplecast, Libsyn, Captivate,
// Substack), hand-written to each host's structure: the adapter chosen for the page (the generic
// one, but for Substack) reads the whole episode from the stable signals each host publishes:
// title, show, the file, the feed, and the episode's own transcript page where there is one.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EpisodeHintSchema, type EpisodeHint } from '../../../src/core/episode/hint';
import { aliasesFor } from '../../../src/core/episode/identity';
import { adapterFor } from '../../../src/content/sites';
import { generic } from '../../../src/content/sites/generic';
import { loadHtml, loadPage, stubMedia, type LoadedPage } from '../../helpers/page';

/** The page's audio element, playing what its `src` or first `<source>` names. */
function audio(page: LoadedPage): HTMLAudioElement {
  const media = page.doc.querySelector('audio')!;
  const src = media.getAttribute('src') ?? media.querySelector('source')?.getAttribute('src') ?? '';
  stubMedia(media, { currentSrc: src.replace(/&amp;/g, '&') });
  return media;
}

function detect(file: string, url: string): EpisodeHint {
  const page = loadPage(file, url);
  const hint = adapterFor(page.url).detect({ doc: page.doc, media: audio(page), url: page.url });
  if (!hint) throw new Error('no hint');
  expect(v.parse(EpisodeHintSchema, hint)).toEqual(hint);
  return hint;
}

const BUZZSPROUT = 'https://the-show.buzzsprout.com/2011234/episodes/15551234-episode-41-tidal-memory';
const TRANSISTOR = 'https://build-notes.transistor.fm/episodes/compilers-are-just-translators';
const PODBEAN = 'https://kitchenphysics.podbean.com/e/sourdough-at-altitude/';
const SIMPLECAST = 'https://field-guide.simplecast.com/episodes/the-map-is-not-the-territory-Qm3x9YtR';
const LIBSYN = 'https://slowtravelradio.libsyn.com/ep-212-night-trains-of-europe';
const CAPTIVATE = 'https://hive-mind.captivate.fm/episode/how-bees-vote';
const SUBSTACK = 'https://fieldrecordings.substack.com/p/episode-9-why-cities-hum';

describe('podcast hosts’ episode pages', () => {
  it.each([BUZZSPROUT, TRANSISTOR, PODBEAN, SIMPLECAST, LIBSYN, CAPTIVATE])(
    '%s is read by the generic adapter',
    (url) => {
      expect(adapterFor(new URL(url))).toBe(generic);
    },
  );

  it('Buzzsprout: Open Graph, the Twitter player’s stream, the feed and the transcript page', () => {
    const BUZZSPROUT_MP3 = 'https://www.buzzsprout.com/2011234/episodes/15551234-episode-41-tidal-memory.mp3';
    expect(detect('host-buzzsprout.html', BUZZSPROUT)).toEqual({
      site: 'generic',
      pageUrl: BUZZSPROUT,
      title: 'Episode 41: Tidal Memory',
      show: 'The Slow Coast Show',
      artwork: 'https://storage.buzzsprout.com/k2v9x7l0c4p1q8z3r6t5w.jpg',
      canonicalUrl: BUZZSPROUT,
      enclosureUrl: BUZZSPROUT_MP3,
      mediaUrl: BUZZSPROUT_MP3,
      feedUrl: 'https://feeds.buzzsprout.com/2011234.rss',
      // This episode's transcript page; not the one of the episode listed under "More episodes".
      transcripts: [{ url: `${BUZZSPROUT}/transcript`, type: 'text/html' }],
    });
  });

  it('Buzzsprout: the transcript page is found from a tracked link to the episode too', () => {
    const hint = detect('host-buzzsprout.html', `${BUZZSPROUT}?utm_source=newsletter#notes`);
    expect(hint.transcripts).toEqual([{ url: `${BUZZSPROUT}/transcript`, type: 'text/html' }]);
  });

  it('Transistor: og:audio, the feed and the transcript page', () => {
    expect(detect('host-transistor.html', TRANSISTOR)).toEqual({
      site: 'generic',
      pageUrl: TRANSISTOR,
      title: 'Compilers Are Just Translators',
      show: 'Build Notes',
      artwork: 'https://img.transistor.fm/Xq3kPz8R1vYwL0aN9s2dFgHjK4mB7cT6eU5iO.jpg',
      canonicalUrl: TRANSISTOR,
      enclosureUrl: 'https://media.transistor.fm/6f1e2d3c/a9b8c7d6.mp3',
      mediaUrl: 'https://media.transistor.fm/6f1e2d3c/a9b8c7d6.mp3',
      feedUrl: 'https://feeds.transistor.fm/build-notes',
      transcripts: [{ url: `${TRANSISTOR}/transcript`, type: 'text/html' }],
    });
  });

  it('Podbean: Open Graph, the Twitter player’s stream and the feed', () => {
    const file = 'https://mcdn.podbean.com/mf/web/x7y8z9/Sourdough_at_Altitude.mp3';
    expect(detect('host-podbean.html', PODBEAN)).toEqual({
      site: 'generic',
      pageUrl: PODBEAN,
      title: 'Sourdough at Altitude',
      show: 'Kitchen Physics',
      artwork: 'https://pbcdn1.podbean.com/imglogo/ep-logo/pbblog9876543/sourdough.jpg',
      canonicalUrl: PODBEAN,
      enclosureUrl: file,
      mediaUrl: file,
      feedUrl: 'https://feed.podbean.com/kitchenphysics/feed.xml',
    });
  });

  it('Simplecast: JSON-LD over Open Graph (whose title joins the show and site name is Simplecast)', () => {
    const audio = (aid: string) =>
      `https://cdn.simplecast.com/audio/1b2c3d4e-aaaa-bbbb-cccc-0123456789ab/episodes/9e8d7c6b-1111-2222-3333-444455556666/audio/128/default.mp3?aid=${aid}`;
    expect(detect('host-simplecast.html', SIMPLECAST)).toEqual({
      site: 'generic',
      pageUrl: SIMPLECAST,
      title: 'The Map Is Not the Territory',
      show: 'Field Guide to Everything',
      artwork:
        'https://image.simplecastcdn.com/images/1b2c3d4e-aaaa-bbbb-cccc-0123456789ab/9a8b7c6d-1111-2222-3333-444455556666/3000x3000/episode.jpg?aid=rss_feed',
      durationSeconds: 2467,
      canonicalUrl: SIMPLECAST,
      enclosureUrl: `${audio('rss_feed')}&feed=Ab3dE6gH`,
      mediaUrl: audio('web_player'),
      feedUrl: 'https://feeds.simplecast.com/Ab3dE6gH',
      published: '2026-04-21',
      transcripts: [{ url: `${SIMPLECAST}/transcript`, type: 'text/html' }],
    });
  });

  it('Libsyn: the player’s <source> is the enclosure on traffic.libsyn.com, and the feed', () => {
    const hint = detect('host-libsyn.html', LIBSYN);
    expect(hint).toEqual({
      site: 'generic',
      pageUrl: LIBSYN,
      title: 'Ep 212 - Night Trains of Europe',
      show: 'Slow Travel Radio',
      artwork: 'https://assets.libsyn.com/secure/content/98765432',
      canonicalUrl: LIBSYN,
      mediaUrl: 'https://traffic.libsyn.com/secure/slowtravelradio/STR212_NightTrains.mp3?dest-id=1234567',
      feedUrl: 'https://slowtravelradio.libsyn.com/rss',
    });
    // The file without Libsyn's destination parameter is what ties the page to the feed's item.
    expect(aliasesFor(hint)).toEqual([
      'media:traffic.libsyn.com/secure/slowtravelradio/str212_nighttrains.mp3',
    ]);
  });

  it('Captivate: Open Graph, the player’s file and the feed', () => {
    const file = 'https://podcasts.captivate.fm/media/5e6f7a8b-9c0d-1e2f-3a4b-5c6d7e8f9a0b/how-bees-vote.mp3';
    expect(detect('host-captivate.html', CAPTIVATE)).toEqual({
      site: 'generic',
      pageUrl: CAPTIVATE,
      title: 'How Bees Vote',
      show: 'Hive Mind',
      artwork: 'https://artwork.captivate.fm/2b4d6f80-1357-9bdf-2468-ace013579bdf/hive-mind-episode.jpg',
      canonicalUrl: CAPTIVATE,
      mediaUrl: file,
      feedUrl: 'https://feeds.captivate.fm/hive-mind/',
    });
  });

  it('Substack: its own adapter, for the publication as the show and the post’s date', () => {
    expect(adapterFor(new URL(SUBSTACK)).id).toBe('substack');
    expect(detect('host-substack.html', SUBSTACK)).toEqual({
      site: 'substack',
      pageUrl: SUBSTACK,
      title: 'Episode 9: Why Cities Hum',
      show: 'Field Recordings',
      artwork:
        'https://substackcdn.com/image/fetch/w_1200,h_600,c_fill,f_jpg,q_auto:good/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fcities-hum.png',
      canonicalUrl: SUBSTACK,
      mediaUrl:
        'https://fieldrecordings.substack.com/api/v1/audio/upload/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d/src',
      feedUrl: 'https://fieldrecordings.substack.com/feed',
      published: '2026-05-02T11:00:00+00:00',
    });
    // What the generic reading alone misses there: Substack names no og:site_name.
    const page = loadPage('host-substack.html', SUBSTACK);
    const plain = generic.detect({ doc: page.doc, media: audio(page), url: page.url })!;
    expect(plain.show).toBeUndefined();
    expect(plain.published).toBeUndefined();
  });
});

describe('an episode page’s own transcript page (`<page>/transcript`)', () => {
  const transcripts = (html: string, url: string) => {
    const page = loadHtml(`${html}<audio src="/a.mp3"></audio>`, url);
    return generic.detect({ doc: page.doc, media: page.doc.querySelector('audio')!, url: page.url })!
      .transcripts;
  };

  it.each<[string, string, string, string[] | undefined]>([
    [
      'a relative link',
      'https://a.example/ep/1',
      '<a href="/ep/1/transcript">T</a>',
      ['https://a.example/ep/1/transcript'],
    ],
    [
      'a link with a trailing slash, from a page with one',
      'https://a.example/ep/1/',
      '<a href="transcript/">T</a>',
      ['https://a.example/ep/1/transcript/'],
    ],
    [
      'the canonical page’s, from a short address',
      'https://a.example/e/1',
      '<link rel="canonical" href="https://a.example/ep/1-slug"><a href="/ep/1-slug/transcript">T</a>',
      ['https://a.example/ep/1-slug/transcript'],
    ],
    [
      'another episode’s, on a list of episodes',
      'https://a.example/episodes',
      '<a href="/ep/2/transcript">T</a>',
      undefined,
    ],
    [
      'another site’s',
      'https://a.example/ep/1',
      '<a href="https://b.example/ep/1/transcript">T</a>',
      undefined,
    ],
    ['a page named otherwise', 'https://a.example/ep/1', '<a href="/ep/1/transcripts">T</a>', undefined],
  ])('takes %s as the transcript, or not', (_name, url, html, expected) => {
    expect(transcripts(html, url)?.map((t) => t.url)).toEqual(expected);
  });
});
