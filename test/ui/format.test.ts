// Plain formatting of the popup and the library page: dollars, episode labels, which URLs may be
// links, and the library page's grouping of saved insights by episode.
import { describe, expect, it } from 'vitest';
import type { SavedView } from '../../src/messages';
import { episodeLabel, formatUsd, isWebUrl, webHref } from '../../src/ui/popup/format';
import { groupByEpisode } from '../../src/ui/library/group';

describe('formatUsd', () => {
  it.each([
    [0, '$0'],
    [-1, '$0'],
    [Number.NaN, '$0'],
    [0.004, 'less than $0.01'],
    [0.0342, '$0.03'],
    [1, '$1.00'],
    [12.345, '$12.35'],
  ])('%s → %s', (usd, expected) => expect(formatUsd(usd)).toBe(expected));
});

describe('episodeLabel', () => {
  const episode = { id: 'ep_a', title: 'T', pageUrl: 'https://x', site: 's', lastSeen: '' };
  it('names the show when there is one', () => {
    expect(episodeLabel({ ...episode, show: 'S' })).toBe('S — T');
    expect(episodeLabel(episode)).toBe('T');
    expect(episodeLabel(undefined)).toBe('Episode not in the library');
  });
});

describe('links', () => {
  it.each([
    ['https://overcast.fm/+abc', true],
    ['HTTP://example.com', true],
    ['javascript:alert(1)', false],
    [' https://x', false],
    ['data:text/html,hi', false],
    ['chrome-extension://id/page.html', false],
    ['', false],
    [undefined, false],
  ])('%s may be a link: %s', (url, ok) => expect(isWebUrl(url)).toBe(ok));

  it('takes the first http(s) URL', () => {
    expect(webHref('javascript:x', undefined, 'https://a', 'https://b')).toBe('https://a');
    expect(webHref('javascript:x')).toBeUndefined();
  });
});

describe('groupByEpisode', () => {
  const saved = (id: string, episodeId: string, start: number, savedAt: string): SavedView => ({
    insight: { id, text: id, quote: '', start, topics: [], importance: 3 },
    episodeId,
    day: savedAt.slice(0, 10),
    savedAt,
  });
  it('puts the episode saved from last first, and each episode’s insights in time order', () => {
    const groups = groupByEpisode([
      saved('ins_1', 'ep_a', 300, '2026-01-02T10:00:00Z'),
      saved('ins_2', 'ep_b', 50, '2026-01-01T09:00:00Z'),
      saved('ins_3', 'ep_a', 20, '2026-01-01T08:00:00Z'),
      saved('ins_4', 'ep_b', 10, '2026-01-03T08:00:00Z'),
    ]);
    expect(groups.map((g) => [g.episodeId, g.items.map((i) => i.insight.id)])).toEqual([
      ['ep_b', ['ins_4', 'ins_2']],
      ['ep_a', ['ins_3', 'ins_1']],
    ]);
    expect(groupByEpisode([])).toEqual([]);
  });
});
