// The library archive: what a user exports comes back whole; a file that is not an export is
// refused with words they can act on; a bad record costs that record only, and is reported.
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_LIMITS,
  ARCHIVE_VERSION,
  ArchiveError,
  mergeEpisode,
  mergeSaved,
  parseArchive,
  serializeArchive,
  type ArchiveErrorCode,
  type LibraryArchive,
} from '../../../src/core/library/archive';
import type {
  BriefRecord,
  EpisodeRecord,
  FollowRecord,
  InsightRecord,
  SavedRecord,
} from '../../../src/core/library/records';
import type { Insight } from '../../../src/core/types';

const T1 = '2026-11-29T09:00:00.000Z';
const T2 = '2026-11-29T10:00:00.000Z';
const T3 = '2026-11-30T08:00:00.000Z';

function episode(over: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    id: 'ep_1abc',
    title: 'The pause that never was',
    show: 'Hard Fork',
    site: 'generic',
    pageUrl: 'https://example.com/ep/1',
    enclosureUrl: 'https://cdn.example.com/ep1.mp3',
    aliases: ['guid:abc', 'media:cdn.example.com/ep1.mp3'],
    firstSeen: T1,
    lastSeen: T2,
    ...over,
  };
}

function insight(over: Partial<Insight> = {}): Insight {
  return {
    id: 'ins_0k3f9x0q2m',
    text: 'Self-imposed safety pauses create a vacuum.',
    quote: 'a pause just hands the lead to whoever does not pause',
    start: 754.2,
    end: 771,
    topics: ['ai', 'policy'],
    importance: 4,
    ...over,
  };
}

function insightRecord(over: Partial<InsightRecord> = {}): InsightRecord {
  return { ...insight(), episodeId: 'ep_1abc', engine: 'claude', createdAt: T2, ...over };
}

function saved(over: Partial<SavedRecord> = {}): SavedRecord {
  const ins = insight(over.insight);
  return {
    id: ins.id,
    insightId: ins.id,
    episodeId: 'ep_1abc',
    day: '2026-11-29',
    savedAt: T2,
    note: 'Ask Sam about this.',
    insight: ins,
    ...over,
  };
}

function follow(over: Partial<FollowRecord> = {}): FollowRecord {
  return { feedUrl: 'https://feeds.example.com/show.xml', title: 'The Show', followedAt: T1, ...over };
}

function brief(over: Partial<BriefRecord> = {}): BriefRecord {
  const ins = insight();
  return {
    day: '2026-11-29',
    createdAt: T3,
    items: [{ insightId: ins.id, episodeId: 'ep_1abc', insight: ins, reason: 'You saved two on this.' }],
    ...over,
  };
}

function archive(over: Partial<LibraryArchive> = {}): LibraryArchive {
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: T3,
    app: 'Earmark 0.1.0',
    episodes: [
      episode(),
      episode({
        id: 'ep_2',
        title: 'Second',
        show: undefined,
        site: 'youtube',
        pageUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
        canonicalUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
        enclosureUrl: undefined,
        artwork: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
        durationSeconds: 3723.5,
        feedUrl: 'https://feeds.example.com/show.xml',
        guid: 'urn:uuid:1',
        appleCollectionId: '1528594034',
        published: 'Tue, 24 Nov 2026 10:00:00 GMT',
        transcriptLinks: [{ url: 'https://example.com/t.vtt', type: 'text/vtt', language: 'en' }],
        pageNotes: [{ source: 'page', outcome: 'none', detail: 'The player has no captions.' }],
        aliases: ['youtube:dQw4w9WgXcQ'],
      }),
    ],
    insights: [
      insightRecord(),
      insightRecord({ id: 'ins_2', episodeId: 'ep_2', end: undefined, topics: [], importance: 1 }),
    ],
    saved: [
      saved(),
      saved({ insight: insight({ id: 'ins_2' }), id: 'ins_2', insightId: 'ins_2', note: undefined }),
    ],
    follows: [
      follow(),
      follow({
        feedUrl: 'http://old.example.com/rss',
        image: 'https://example.com/art.png',
        lastCheckedAt: T2,
        lastError: 'The feed answered 404.',
        episodeCount: 120,
        failures: 2,
      }),
    ],
    briefs: [brief()],
    ...over,
  };
}

/** Drops undefined fields, as a JSON round trip does. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function thrown(fn: () => unknown): ArchiveError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError);
    return error as ArchiveError;
  }
  throw new Error('expected an ArchiveError');
}

/** A file made of the given record lists around a valid header (and the one episode, by default). */
function file(lists: Partial<Record<'episodes' | 'insights' | 'saved' | 'follows' | 'briefs', unknown[]>>) {
  return JSON.stringify({
    format: ARCHIVE_FORMAT,
    version: 1,
    exportedAt: T3,
    episodes: [episode()],
    insights: [],
    saved: [],
    follows: [],
    briefs: [],
    ...lists,
  });
}

describe('serializeArchive → parseArchive', () => {
  it('gives back every record, field for field, with no problems', () => {
    const a = archive();
    const { archive: back, problems } = parseArchive(serializeArchive(a));
    expect(problems).toEqual([]);
    const byKey = <T>(items: T[], key: (t: T) => string) =>
      [...items].sort((x, y) => (key(x) < key(y) ? -1 : 1));
    expect(back).toEqual({
      ...plain(a),
      episodes: byKey(plain(a.episodes), (e) => e.id),
      insights: byKey(plain(a.insights), (i) => i.id),
      saved: byKey(plain(a.saved), (s) => s.id),
      follows: byKey(plain(a.follows), (f) => f.feedUrl),
    });
  });

  it('export → import → export is byte-identical apart from exportedAt', () => {
    const first = serializeArchive(archive());
    const { archive: back } = parseArchive(first);
    expect(serializeArchive(back)).toBe(first);
    expect(serializeArchive({ ...back, exportedAt: '2027-01-01T00:00:00.000Z' })).toBe(
      first.replace(T3, '2027-01-01T00:00:00.000Z'),
    );
  });

  it('writes the same bytes whatever the order of records and of their fields', () => {
    const a = archive();
    const shuffled: LibraryArchive = {
      ...a,
      episodes: [...a.episodes]
        .reverse()
        .map((e) => Object.fromEntries(Object.entries(e).reverse()) as EpisodeRecord),
      insights: [...a.insights].reverse(),
      saved: [...a.saved]
        .reverse()
        .map((s) => Object.fromEntries(Object.entries(s).reverse()) as SavedRecord),
      follows: [...a.follows].reverse(),
    };
    expect(serializeArchive(shuffled)).toBe(serializeArchive(a));
  });

  it('starts with the format header, leaves undefined fields out and sorts records by key', () => {
    const text = serializeArchive(archive({ app: undefined }));
    expect(text.startsWith(`{"format":"earmark-library","version":1,"exportedAt":"${T3}","episodes":[`)).toBe(
      true,
    );
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('"app"');
    expect(text.indexOf('"id":"ep_1abc"')).toBeLessThan(text.indexOf('"id":"ep_2"'));
    const follows = text.slice(text.indexOf('"follows":'));
    expect(follows.indexOf('"feedUrl":"http://old')).toBeLessThan(
      follows.indexOf('"feedUrl":"https://feeds'),
    );
  });

  it('exports a record it would not import (nothing is lost on the way out), and reports it on the way in', () => {
    const bad = { ...insightRecord({ id: 'ins_bad' }), text: '' };
    const text = serializeArchive(archive({ insights: [bad] }));
    expect(text).toContain('"id":"ins_bad"');
    const { archive: back, problems } = parseArchive(text);
    expect(back.insights).toEqual([]);
    expect(problems).toEqual([
      {
        kind: 'insight',
        index: 0,
        id: 'ins_bad',
        reason: 'Insight #1 (ins_bad) was skipped: it has no text.',
        skipped: true,
      },
    ]);
  });

  it('reads a 30 MB export', () => {
    const episodes: EpisodeRecord[] = [];
    const insights: InsightRecord[] = [];
    for (let e = 0; e < 1500; e++) {
      const id = `ep_${e.toString(36)}`;
      episodes.push(
        episode({ id, aliases: [`guid:${e}`], title: `Episode ${e}: ${'a long title '.repeat(20)}` }),
      );
      for (let i = 0; i < 10; i++)
        insights.push(
          insightRecord({
            id: `ins_${e.toString(36)}x${i}`,
            episodeId: id,
            text: 'word '.repeat(150),
            quote: 'quoted words '.repeat(120),
          }),
        );
    }
    const text = serializeArchive(archive({ episodes, insights, saved: [], briefs: [] }));
    expect(text.length).toBeGreaterThan(30_000_000);
    const { archive: back, problems } = parseArchive(text);
    expect(problems).toEqual([]);
    expect(back.episodes).toHaveLength(1500);
    expect(back.insights).toHaveLength(15_000);
    expect(thrown(() => parseArchive(text.slice(0, -1000))).code).toBe('truncated');
  }, 30_000);
});

describe('parseArchive refuses a file that is not an export, in plain words', () => {
  const good = serializeArchive(archive());

  it.each<[string, string, ArchiveErrorCode]>([
    ['plain text', 'hello, this is my shopping list', 'not-json'],
    ['an empty file', '', 'not-json'],
    ['white space', '  \n ', 'not-json'],
    ['an HTML page', '<!doctype html><html><body>Earmark</body></html>', 'not-json'],
    ['a CSV file', 'id,title\nep_1,First', 'not-json'],
    ['JSON with a syntax error', '{"format": "x",, }', 'not-json'],
  ])('%s → not-json', (_name, text, code) => {
    const error = thrown(() => parseArchive(text));
    expect(error.code).toBe(code);
    expect(error.message).toBe('This file is not an Earmark export (it is not JSON).');
  });

  it('an export damaged in the middle → not-json, saying it is a damaged export', () => {
    const at = good.indexOf('"episodes":[') + 12;
    const error = thrown(() => parseArchive(`${good.slice(0, at)}@${good.slice(at + 1)}`));
    expect(error.code).toBe('not-json');
    expect(error.message).toMatch(/^This Earmark export is damaged .*export your library again\.$/);
  });

  it('an export cut off at any point → truncated', () => {
    const text = serializeArchive(archive({ episodes: [archive().episodes[1]!], insights: [], saved: [] }));
    for (let end = 1; end < text.length; end++) {
      const error = thrown(() => parseArchive(text.slice(0, end)));
      expect(error.code, `cut at ${end}: …${text.slice(end - 20, end)}`).toBe('truncated');
    }
    expect(thrown(() => parseArchive(good.slice(0, good.length / 2))).message).toMatch(/cut off.*export/);
  });

  it.each([
    ['a JSON list', '[1, 2, 3]'],
    ['a JSON string', '"earmark-library"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an object without the marker', '{"episodes": []}'],
    ['another format', '{"format": "pocketcasts-export", "version": 1}'],
    ['the marker in another case', '{"format": "Earmark-Library", "version": 1}'],
  ])('%s → not-ours', (_name, text) => {
    const error = thrown(() => parseArchive(text));
    expect(error.code).toBe('not-ours');
    expect(error.message).toMatch(/^This file is not an Earmark export/);
  });

  it('a file from a newer Earmark → newer, naming its version and asking for an update', () => {
    const error = thrown(() => parseArchive(good.replace('"version":1', '"version":2')));
    expect(error.code).toBe('newer');
    expect(error.message).toContain('version 2');
    expect(error.message).toContain('Update Earmark');
  });

  it.each([
    ['no version', good.replace('"version":1,', '')],
    ['version 0', good.replace('"version":1', '"version":0')],
    ['version "1"', good.replace('"version":1', '"version":"1"')],
    ['version 1.5', good.replace('"version":1', '"version":1.5')],
    ['no export date', good.replace(`"exportedAt":"${T3}",`, '')],
    ['an export date that is not one', good.replace(`"exportedAt":"${T3}"`, '"exportedAt":"yesterday"')],
    ['episodes not a list', file({ episodes: {} as unknown as unknown[] })],
    ['no saved list', good.replace(/"saved":\[.*?\],"follows"/, '"follows"')],
    ['briefs null', good.replace(/"briefs":\[.*\]}$/, '"briefs":null}')],
  ])('%s → invalid', (_name, text) => {
    const error = thrown(() => parseArchive(text));
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/^This Earmark export is damaged: .+\. Export your library again\.$/);
  });

  it('names the list that is wrong', () => {
    expect(thrown(() => parseArchive(file({ follows: 'none' as unknown as unknown[] }))).message).toContain(
      '"follows" is not a list',
    );
  });

  it('reads a file saved with a byte-order mark', () => {
    expect(parseArchive(`\uFEFF${good}`).archive.episodes).toHaveLength(2);
  });
});

describe('parseArchive skips a bad record, keeps the rest and says which and why', () => {
  const long = (n: number) => 'x'.repeat(n);

  it.each<[string, 'episodes' | 'insights' | 'saved' | 'follows' | 'briefs', unknown, string]>([
    ['an insight with empty text', 'insights', { ...insightRecord(), text: '' }, 'it has no text'],
    ['an insight with blank text', 'insights', { ...insightRecord(), text: ' \n ' }, 'it has no text'],
    ['an insight with no quote', 'insights', { ...insightRecord(), quote: '' }, 'it has no quote'],
    ['an insight without text', 'insights', { ...insightRecord(), text: undefined }, 'text is missing'],
    [
      'importance 6',
      'insights',
      { ...insightRecord(), importance: 6 },
      'importance is not an importance from 1 to 5',
    ],
    [
      'importance 2.5',
      'insights',
      { ...insightRecord(), importance: 2.5 },
      'importance is not an importance',
    ],
    ['a negative start', 'insights', { ...insightRecord(), start: -1 }, 'start is negative'],
    ['a start as text', 'insights', { ...insightRecord(), start: '12:34' }, 'start is not a number'],
    [
      'a start of null (how JSON writes NaN)',
      'insights',
      { ...insightRecord(), start: null },
      'start is not a number',
    ],
    [
      'an insight id of another shape',
      'insights',
      { ...insightRecord(), id: 'insight-1' },
      'id is not an insight id',
    ],
    [
      'an upper-case insight id',
      'insights',
      { ...insightRecord(), id: 'ins_ABC' },
      'id is not an insight id',
    ],
    [
      'a topic that is not text',
      'insights',
      { ...insightRecord(), topics: ['ai', 7] },
      'topics[1] is not text',
    ],
    [
      'text over 5,000 characters',
      'insights',
      { ...insightRecord(), text: long(5001) },
      'text is too long (over 5,000 characters)',
    ],
    ['an empty engine', 'insights', { ...insightRecord(), engine: '' }, 'engine is empty'],
    [
      'a createdAt that is not a date',
      'insights',
      { ...insightRecord(), createdAt: 'Tuesday' },
      'createdAt is not an ISO 8601',
    ],
    [
      'a javascript: page',
      'episodes',
      episode({ pageUrl: 'javascript:alert(1)' }),
      'pageUrl is not an http(s) link',
    ],
    [
      'a data: artwork',
      'episodes',
      episode({ artwork: 'data:image/png;base64,AAAA' }),
      'artwork is not an http(s) link',
    ],
    [
      'a relative enclosure',
      'episodes',
      episode({ enclosureUrl: '/ep1.mp3' }),
      'enclosureUrl is not an http(s) link',
    ],
    [
      'a URL over 4,000 characters',
      'episodes',
      episode({ pageUrl: `https://e.com/${long(4000)}` }),
      'pageUrl is too long',
    ],
    [
      'a title over 2,000 characters',
      'episodes',
      episode({ title: long(2001) }),
      'title is too long (over 2,000 characters)',
    ],
    ['an empty title', 'episodes', episode({ title: '  ' }), 'it has no title'],
    ['a show of null', 'episodes', { ...episode(), show: null }, 'show is not text'],
    ['an episode id of another shape', 'episodes', episode({ id: 'episode-1' }), 'id is not an episode id'],
    [
      'an episode id too long',
      'episodes',
      episode({ id: `ep_${'a'.repeat(21)}` }),
      'id is not an episode id',
    ],
    ['aliases not a list', 'episodes', { ...episode(), aliases: 'guid:abc' }, 'aliases is not a list'],
    ['a duration of -5', 'episodes', episode({ durationSeconds: -5 }), 'durationSeconds is negative'],
    [
      'a bad page note',
      'episodes',
      episode({ pageNotes: [{ source: 'web', outcome: 'none', detail: '' } as never] }),
      'pageNotes[0].source',
    ],
    [
      'a transcript link to a file',
      'episodes',
      episode({ transcriptLinks: [{ url: 'file:///t.vtt' }] }),
      'transcriptLinks[0].url is not an http(s) link',
    ],
    ['a site with capitals', 'episodes', episode({ site: 'YouTube' }), 'site is not a site name'],
    ['an episode that is a list', 'episodes', [episode()], 'it is not an object'],
    ['an episode that is null', 'episodes', null, 'it is not an object'],
    ['a saved day 2026-13-01', 'saved', saved({ day: '2026-13-01' }), 'day is not a day (YYYY-MM-DD)'],
    ['a saved day with a time', 'saved', saved({ day: T2 }), 'day is not a day'],
    [
      'a note over 10,000 characters',
      'saved',
      saved({ note: long(10_001) }),
      'note is too long (over 10,000 characters)',
    ],
    [
      'a saved id that is not its insight',
      'saved',
      saved({ id: 'ins_other' }),
      'it does not match its insight',
    ],
    [
      'a saved copy of another insight',
      'saved',
      saved({ insightId: 'ins_other', id: 'ins_other' }),
      'it does not match its insight',
    ],
    [
      'a saved insight with no text',
      'saved',
      saved({ insight: insight({ text: '' }) }),
      'insight has no text',
    ],
    [
      'a saved insight with a long quote',
      'saved',
      saved({ insight: insight({ quote: long(5001) }) }),
      'insight.quote is too long',
    ],
    [
      'a follow of an ftp feed',
      'follows',
      follow({ feedUrl: 'ftp://example.com/feed' }),
      'feedUrl is not an http(s) link',
    ],
    ['a follow with 1.5 failures', 'follows', follow({ failures: 1.5 }), 'failures is not a whole number'],
    ['a brief of no day', 'briefs', brief({ day: 'today' }), 'day is not a day'],
    [
      'a brief item that is not its insight',
      'briefs',
      brief({ items: [{ insightId: 'ins_x', episodeId: 'ep_1abc', insight: insight(), reason: 'r' }] }),
      'items[0] does not match its insight',
    ],
    [
      'a brief item with an empty insight',
      'briefs',
      brief({ items: [{ ...brief().items[0]!, insight: insight({ quote: ' ' }) }] }),
      'items[0].insight has no quote',
    ],
  ])('%s', (_name, list, bad, reason) => {
    const good = archive()[list][0]!;
    const { archive: back, problems } = parseArchive(file({ [list]: [good, bad, good] }));
    expect(back[list]).toEqual([plain(good)]);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ index: 1, skipped: true });
    expect(problem!.reason).toMatch(/^[A-Z][a-z ]+ #2( \(.+\))? was skipped: .+\.$/);
    expect(problem!.reason).toContain(reason);
  });

  it('names the kind, position and id of a skipped record', () => {
    const { problems } = parseArchive(
      file({ insights: [insightRecord(), { ...insightRecord({ id: 'ins_9' }), text: '' }] }),
    );
    expect(problems).toEqual([
      {
        kind: 'insight',
        index: 1,
        id: 'ins_9',
        reason: 'Insight #2 (ins_9) was skipped: it has no text.',
        skipped: true,
      },
    ]);
  });

  it('accepts strings at exactly their limits', () => {
    const edge = {
      ...insightRecord(),
      text: 'x'.repeat(ARCHIVE_LIMITS.text),
      quote: 'q'.repeat(ARCHIVE_LIMITS.text),
    };
    const ep = episode({
      title: 't'.repeat(ARCHIVE_LIMITS.title),
      pageUrl: `https://e.com/${'p'.repeat(ARCHIVE_LIMITS.url - 14)}`,
    });
    const s = saved({ note: 'n'.repeat(ARCHIVE_LIMITS.note) });
    expect(ep.pageUrl).toHaveLength(ARCHIVE_LIMITS.url);
    const { archive: back, problems } = parseArchive(file({ episodes: [ep], insights: [edge], saved: [s] }));
    expect(problems).toEqual([]);
    expect(back.insights).toEqual([edge]);
    expect(back.episodes).toEqual([ep]);
    expect(back.saved).toEqual([s]);
  });

  it('accepts the optional fields left out', () => {
    const bare: EpisodeRecord = {
      id: 'ep_b',
      title: 'Bare',
      site: 'generic',
      pageUrl: 'https://e.com/b',
      aliases: [],
      firstSeen: T1,
      lastSeen: T1,
    };
    const ins = insightRecord({ episodeId: 'ep_b' });
    delete ins.end;
    const s = saved({ episodeId: 'ep_b' });
    delete s.note;
    const { archive: back, problems } = parseArchive(file({ episodes: [bare], insights: [ins], saved: [s] }));
    expect(problems).toEqual([]);
    expect(back.episodes).toEqual([bare]);
    expect(back.insights).toEqual([ins]);
    expect(back.saved).toEqual([s]);
  });
});

describe('parseArchive: duplicates, missing episodes, unknown fields', () => {
  it('collapses identical duplicates silently, even with their fields in another order', () => {
    const ep = episode();
    const reordered = Object.fromEntries(Object.entries(ep).reverse());
    const { archive: back, problems } = parseArchive(
      file({ episodes: [ep, reordered, ep], insights: [insightRecord(), insightRecord()] }),
    );
    expect(problems).toEqual([]);
    expect(back.episodes).toEqual([ep]);
    expect(back.insights).toEqual([insightRecord()]);
  });

  it('keeps the first of conflicting duplicates and reports each other one', () => {
    const { archive: back, problems } = parseArchive(
      file({
        episodes: [episode(), episode({ title: 'Other' }), episode(), episode({ title: 'Third' })],
        follows: [follow(), follow({ title: 'Renamed' })],
        briefs: [brief(), brief({ createdAt: T1 })],
      }),
    );
    expect(back.episodes).toEqual([episode()]);
    expect(back.follows).toEqual([follow()]);
    expect(back.briefs).toEqual([brief()]);
    expect(problems.map((p) => [p.kind, p.index, p.id, p.skipped])).toEqual([
      ['episode', 1, 'ep_1abc', true],
      ['episode', 3, 'ep_1abc', true],
      ['follow', 1, 'https://feeds.example.com/show.xml', true],
      ['brief', 1, '2026-11-29', true],
    ]);
    expect(problems[0]!.reason).toBe(
      'Episode #2 (ep_1abc) was skipped: an earlier episode in this file has the same id and different contents (the first one is kept).',
    );
    expect(problems[2]!.reason).toContain('same feed address');
  });

  it('keeps insights and saved items whose episode is not in the file, and says so', () => {
    const { archive: back, problems } = parseArchive(
      file({
        episodes: [episode()],
        insights: [insightRecord(), insightRecord({ id: 'ins_lost', episodeId: 'ep_gone' })],
        saved: [saved({ episodeId: 'ep_gone' })],
      }),
    );
    expect(back.insights.map((i) => i.id)).toEqual(['ins_0k3f9x0q2m', 'ins_lost']);
    expect(back.saved).toHaveLength(1);
    expect(problems).toEqual([
      {
        kind: 'insight',
        index: 1,
        id: 'ins_lost',
        reason: 'Insight #2 (ins_lost) was kept, but its episode (ep_gone) is not in this file.',
        skipped: false,
      },
      {
        kind: 'saved',
        index: 0,
        id: 'ins_0k3f9x0q2m',
        reason: 'Saved item #1 (ins_0k3f9x0q2m) was kept, but its episode (ep_gone) is not in this file.',
        skipped: false,
      },
    ]);
  });

  it('drops fields it does not know, at any depth, and says which', () => {
    const { archive: back, problems } = parseArchive(
      file({
        episodes: [{ ...episode(), rating: 5 }],
        saved: [{ ...saved(), insight: { ...insight(), colour: 'red' }, pinned: true }],
      }),
    );
    expect(back.episodes).toEqual([episode()]);
    expect(back.saved).toEqual([saved()]);
    expect(problems).toEqual([
      {
        kind: 'episode',
        index: 0,
        id: 'ep_1abc',
        reason: 'Episode #1 (ep_1abc) was kept without fields this version of Earmark does not know: rating.',
        skipped: false,
      },
      {
        kind: 'saved',
        index: 0,
        id: 'ins_0k3f9x0q2m',
        reason:
          'Saved item #1 (ins_0k3f9x0q2m) was kept without fields this version of Earmark does not know: insight.colour, pinned.',
        skipped: false,
      },
    ]);
  });

  // Found while fixing what fuzzing found (test/fuzz): the schemas' entries inherit these names.
  it('says it drops fields named like Object.prototype members too', () => {
    const { problems } = parseArchive(file({ follows: [{ ...follow(), constructor: 1, toString: 'x' }] }));
    expect(problems.map((p) => p.reason)).toEqual([
      `Followed show #1 (${follow().feedUrl}) was kept without fields this version of Earmark does not know: constructor, toString.`,
    ]);
  });

  it('ignores unknown top-level fields and an app name that is not text', () => {
    const text = file({ episodes: [] }).replace('{', '{"comment":"hello","app":7,');
    const { archive: back, problems } = parseArchive(text);
    expect(problems).toEqual([]);
    expect(back).toEqual({
      format: ARCHIVE_FORMAT,
      version: 1,
      exportedAt: T3,
      episodes: [],
      insights: [],
      saved: [],
      follows: [],
      briefs: [],
    });
  });
});

describe('mergeEpisode', () => {
  const existing = episode({
    title: 'Library title',
    show: undefined,
    aliases: ['media:cdn.example.com/ep1.mp3', 'guid:abc'],
    firstSeen: T2,
    lastSeen: T2,
  });
  const incoming = episode({
    title: 'File title',
    show: 'File show',
    guid: 'abc',
    durationSeconds: 60,
    aliases: ['youtube:dQw4w9WgXcQ', 'guid:abc'],
    firstSeen: T1,
    lastSeen: T3,
  });

  it('keeps the existing fields, fills what it lacks, unions aliases, widens the seen span', () => {
    expect(mergeEpisode(existing, incoming)).toStrictEqual({
      ...episode(),
      title: 'Library title',
      show: 'File show',
      guid: 'abc',
      durationSeconds: 60,
      aliases: ['guid:abc', 'media:cdn.example.com/ep1.mp3', 'youtube:dQw4w9WgXcQ'],
      firstSeen: T1,
      lastSeen: T3,
    });
  });

  it('keeps the existing span when it is already wider', () => {
    const merged = mergeEpisode(
      { ...existing, firstSeen: T1, lastSeen: T3 },
      { ...incoming, firstSeen: T2, lastSeen: T2 },
    );
    expect([merged.firstSeen, merged.lastSeen]).toEqual([T1, T3]);
  });

  it('compares times as instants, not as text', () => {
    const merged = mergeEpisode(
      { ...existing, firstSeen: '2026-11-29T10:00:00+02:00', lastSeen: '2026-11-29T10:00:00+02:00' },
      { ...incoming, firstSeen: '2026-11-29T09:00:00.000Z', lastSeen: '2026-11-29T09:00:00.000Z' },
    );
    expect(merged.firstSeen).toBe('2026-11-29T10:00:00+02:00');
    expect(merged.lastSeen).toBe('2026-11-29T09:00:00.000Z');
  });

  it.each([
    ['different records', existing, incoming],
    ['the same record', existing, existing],
    ['the reverse', incoming, existing],
    ['an empty alias list', { ...existing, aliases: [] }, incoming],
  ])('is idempotent (%s)', (_name, a, b) => {
    const once = mergeEpisode(a, b);
    expect(mergeEpisode(once, b)).toStrictEqual(once);
    expect(mergeEpisode(mergeEpisode(once, b), b)).toStrictEqual(once);
  });

  it('does not change its arguments', () => {
    const a = structuredClone(existing);
    const b = structuredClone(incoming);
    mergeEpisode(a, b);
    expect([a, b]).toStrictEqual([existing, incoming]);
  });
});

describe('mergeSaved', () => {
  const existing = saved({ day: '2026-11-30', savedAt: T3, note: 'Mine.' });
  const incoming = saved({ day: '2026-11-29', savedAt: T2, note: 'From the file.' });

  it('takes day and savedAt together from the earlier save, everything else from the existing one', () => {
    const merged = mergeSaved(existing, { ...incoming, insight: insight({ text: 'Other words' }) });
    expect(merged).toStrictEqual({
      ...existing,
      day: '2026-11-29',
      savedAt: T2,
      note: 'Mine.\n\nFrom the file.',
    });
  });

  it('keeps the existing day when the existing save is earlier', () => {
    const merged = mergeSaved(incoming, existing);
    expect([merged.day, merged.savedAt]).toEqual(['2026-11-29', T2]);
  });

  it.each<[string, string | undefined, string | undefined, string | undefined]>([
    ['same note', 'A', 'A', 'A'],
    ['incoming empty', 'A', '', 'A'],
    ['incoming blank', 'A', '  \n', 'A'],
    ['incoming missing', 'A', undefined, 'A'],
    ['existing missing', undefined, 'B', 'B'],
    ['existing empty', '', 'B', 'B'],
    ['both missing', undefined, undefined, undefined],
    ['incoming contained in existing', 'Ask Sam. Then Jo.', 'Then Jo.', 'Ask Sam. Then Jo.'],
    ['existing contained in incoming (an edited copy)', 'Ask Sam.', 'Ask Sam. Then Jo.', 'Ask Sam. Then Jo.'],
    ['different notes', 'Ask Sam.', 'Read the paper.', 'Ask Sam.\n\nRead the paper.'],
    ['a join that would pass the limit', 'a'.repeat(9_000), 'b'.repeat(1_500), 'a'.repeat(9_000)],
  ])('notes: %s', (_name, a, b, expected) => {
    const merged = mergeSaved(saved({ note: a }), saved({ note: b }));
    expect(merged.note).toBe(expected);
    if (expected === undefined) expect('note' in merged).toBe(false);
  });

  it.each([
    ['different notes and days', existing, incoming],
    ['the same record', existing, existing],
    ['the reverse', incoming, existing],
    ['no notes', saved({ note: undefined }), saved({ note: undefined, savedAt: T1 })],
    ['an edited note', saved({ note: 'x' }), saved({ note: 'x and y' })],
  ])('is idempotent (%s)', (_name, a, b) => {
    const once = mergeSaved(a, b);
    expect(mergeSaved(once, b)).toStrictEqual(once);
    expect(mergeSaved(mergeSaved(once, b), b)).toStrictEqual(once);
  });
});
