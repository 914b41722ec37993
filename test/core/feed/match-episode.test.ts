// matchEpisode: the feed episode a page or player describes, by guid, then by the enclosure file
// behind any tracking prefixes, then by title and date. A wrong match attaches another episode's
// transcript, so ambiguity gives undefined.
import { describe, expect, it } from 'vitest';
import { matchEpisode, parseFeed } from '../../../src/core/feed';
import type { Feed } from '../../../src/core/types';
import { fixture } from './fixtures';

const feed = parseFeed(fixture('tracking.xml'));
const guidOf = (probe: Parameters<typeof matchEpisode>[1]): string | undefined =>
  matchEpisode(feed, probe)?.guid;

describe('matchEpisode by guid', () => {
  it('matches the guid exactly', () => {
    expect(guidOf({ guid: 'PP-0101' })).toBe('PP-0101');
  });

  it('ignores case and surrounding white space in the guid', () => {
    expect(guidOf({ guid: '  PP-0102 ' })).toBe('pp-0102');
  });

  it('prefers the guid over a title that names another episode', () => {
    expect(guidOf({ guid: 'PP-0050', title: 'Trailer' })).toBe('PP-0050');
  });

  it('falls through to the enclosure when the guid is unknown to this feed', () => {
    expect(guidOf({ guid: 'other-host-guid', enclosureUrl: 'https://traffic.megaphone.fm/PP0050.mp3' })).toBe(
      'PP-0050',
    );
  });
});

describe('matchEpisode by enclosure, tracking prefixes ignored', () => {
  it.each([
    ['the bare file for seven stacked prefixes', 'https://traffic.megaphone.fm/PP0103.mp3', 'PP-0103'],
    [
      'the file with another query string',
      'https://traffic.megaphone.fm/PP0103.mp3?updated=1&si=x',
      'PP-0103',
    ],
    [
      'a different stack of prefixes around the same file',
      'https://pdst.fm/e/chrt.fm/track/OTHER/traffic.megaphone.fm/PP0103.mp3',
      'PP-0103',
    ],
    [
      'op3 with options, spotify, arttrk and podscribe',
      'http://traffic.megaphone.fm/PPTRAILER2.mp3',
      'PP-trailer-2',
    ],
    ['podtrac pts and blubrry', 'https://traffic.megaphone.fm/PP0102.mp3', 'pp-0102'],
    ['chartable and podcorn', 'https://traffic.megaphone.fm/PP0101.mp3', 'PP-0101'],
    [
      'a prefixed probe against a bare enclosure',
      'https://dts.podtrac.com/redirect.mp3/op3.dev/e/traffic.megaphone.fm/PPTRAILER1.mp3',
      'PP-trailer-1',
    ],
  ])('matches %s', (_name, enclosureUrl, guid) => {
    expect(guidOf({ enclosureUrl })).toBe(guid);
  });

  it('does not match another file on the same host', () => {
    expect(guidOf({ enclosureUrl: 'https://traffic.megaphone.fm/PP9999.mp3' })).toBeUndefined();
  });

  it('ignores an enclosure that is not an http(s) URL', () => {
    expect(guidOf({ enclosureUrl: 'blob:https://player.example/123' })).toBeUndefined();
  });
});

describe('matchEpisode by title and date', () => {
  it('matches a title folded for case, punctuation and "&"', () => {
    expect(guidOf({ title: 'q and a your questions answered' })).toBe('pp-0102');
    expect(guidOf({ title: 'Q&A — Your Questions, Answered' })).toBe('pp-0102');
  });

  it('matches a unique title without a date', () => {
    expect(guidOf({ title: 'The Long Game (Rerun)' })).toBe('PP-0103');
  });

  it('uses the date to choose among episodes sharing a title', () => {
    expect(guidOf({ title: 'The Long Game', published: '2024-06-27T10:00:00Z' })).toBe('PP-0101');
    expect(guidOf({ title: 'The Long Game', published: 'Thu, 28 Dec 2023 09:00:00 GMT' })).toBe('PP-0050');
    expect(guidOf({ title: 'trailer', published: '2024-07-02' })).toBe('PP-trailer-2');
  });

  it('accepts a date up to two days away, not more', () => {
    expect(guidOf({ title: 'The Long Game (Rerun)', published: '2024-07-12T05:00:00Z' })).toBe('PP-0103');
    expect(guidOf({ title: 'The Long Game (Rerun)', published: '2024-07-12T07:00:00Z' })).toBeUndefined();
  });

  it('gives undefined when a shared title has no date to decide by', () => {
    expect(guidOf({ title: 'Trailer' })).toBeUndefined();
  });

  it('gives undefined for a title nobody has', () => {
    expect(guidOf({ title: 'Not an episode' })).toBeUndefined();
  });

  it('never matches on an empty or punctuation-only title', () => {
    const untitled: Feed = { title: 'F', episodes: [{ title: '', transcripts: [] }] };
    expect(matchEpisode(untitled, { title: '' })).toBeUndefined();
    expect(matchEpisode(untitled, { title: ' — ' })).toBeUndefined();
  });

  it('matches by title when the feed episode has no date but the probe has one', () => {
    const undated: Feed = { title: 'F', episodes: [{ title: 'Pilot', transcripts: [] }] };
    expect(matchEpisode(undated, { title: 'pilot', published: '2024-01-01' })?.title).toBe('Pilot');
  });

  it('gives undefined for an empty probe', () => {
    expect(matchEpisode(feed, {})).toBeUndefined();
  });
});
