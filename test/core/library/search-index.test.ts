// The library's search index: related insights come from other episodes only, rank a shared
// topic above shared words and say why; adding an insight again replaces it; search finds
// insights and episodes by prefix and near-miss spellings, falls back from every word to any
// word, takes any string; a snapshot loads back to the same answers and a foreign one is refused.
import { describe, expect, it } from 'vitest';
import {
  INDEX_VERSION,
  IndexFormatError,
  LibraryIndex,
  processTerm,
  relatedReason,
  toIndexedEpisode,
  toIndexedInsight,
  tokenize,
  type IndexedInsight,
} from '../../../src/core/library/search-index';
import { generateLibrary } from '../../fixtures/library/generate';

let n = 0;
function insight(
  episodeId: string,
  text: string,
  topics: string[] = [],
  extra: Partial<IndexedInsight> = {},
) {
  return {
    id: `ins_${++n}`,
    episodeId,
    text,
    quote: text,
    topics,
    episodeTitle: `Episode ${episodeId}`,
    ...extra,
  } satisfies IndexedInsight;
}

function indexOf(items: IndexedInsight[]): LibraryIndex {
  const index = LibraryIndex.empty();
  index.addInsights(items);
  return index;
}

const ids = (hits: { id: string }[]): string[] => hits.map((h) => h.id);

describe('tokenize and processTerm', () => {
  const terms = (text: string) => tokenize(text).flatMap((t) => processTerm(t) ?? []);

  it.each([
    ['punctuation and case', 'Open-weight models, from China!', ['open', 'weight', 'models', 'china']],
    ['stop words and 1-letter terms', 'It is a test of the X factor', ['test', 'factor']],
    ['digits', 'In 2024 the 5G roll-out cost $3bn', ['2024', '5g', 'roll', 'cost', '3bn']],
    [
      'German',
      'Die Übergewinnsteuer trifft Straßenbahnen',
      ['die', 'übergewinnsteuer', 'trifft', 'straßenbahnen'],
    ],
    ['Japanese, split into words', '東京の経済成長', ['東京', '経済', '成長']],
    ['Hindi with its vowel signs', 'हिन्दी भाषा', ['हिन्दी', 'भाषा']],
    ['emoji and symbols only', '🎧 ✨ → ## **', []],
    ['regex characters', '.*+?^${}()|[]\\ (a|b)* price', ['price']],
  ])('%s', (_name, text, expected) => {
    expect(terms(text)).toEqual(expected);
  });
});

describe('relatedReason', () => {
  it.each([
    [['open-weight models', 'China'], ['open', 'weight'], 'also about: open-weight models, China'],
    [[], ['tariffs', 'exports'], 'shares: tariffs, exports'],
    [[], [], ''],
  ])('%j %j → %s', (topics, terms, expected) => {
    expect(relatedReason(topics, terms)).toBe(expected);
  });
});

describe('related', () => {
  it('returns insights of other episodes only, never the insight itself or its episode', () => {
    const asked = insight('ep1', 'Tariffs on steel raise prices for car makers', ['tariffs']);
    const sameEpisode = insight('ep1', 'Steel tariffs raise prices again', ['tariffs']);
    const other = insight('ep2', 'Steel tariffs raise prices for builders', ['tariffs']);
    const index = indexOf([asked, sameEpisode, other]);
    expect(ids(index.related(asked))).toEqual([other.id]);
  });

  it('ranks a shared topic above shared words', () => {
    const asked = insight('ep1', 'Chinese labs release open weights and cheap inference for developers', [
      'open-weight models',
    ]);
    const topic = insight('ep2', 'Meta keeps its licence restrictive', ['open-weight models']);
    const words = insight('ep3', 'Chinese developers want cheap inference', ['cloud pricing']);
    const index = indexOf([asked, words, topic]);
    const hits = index.related(asked);
    expect(ids(hits)).toEqual([topic.id, words.id]);
    expect(hits[0]).toMatchObject({
      sharedTopics: ['open-weight models'],
      reason: 'also about: open-weight models',
    });
    expect(hits[1]!.sharedTopics).toEqual([]);
    expect(hits[1]!.reason).toMatch(/^shares: /);
    expect(hits[1]!.sharedTerms).toEqual(
      expect.arrayContaining(['chinese', 'cheap', 'inference', 'developers']),
    );
  });

  it('compares topics ignoring case and spacing, and names them as the asked insight spells them', () => {
    const asked = insight('ep1', 'Export controls on chips', ['Open-Weight  Models', 'China']);
    const other = insight('ep2', 'A different text entirely', ['open-weight models', 'china', 'Europe']);
    const hit = indexOf([asked, other]).related(asked)[0];
    expect(hit).toMatchObject({
      id: other.id,
      episodeId: 'ep2',
      sharedTopics: ['Open-Weight  Models', 'China'],
      reason: 'also about: Open-Weight  Models, China',
    });
  });

  it.each([
    ['one shared word, no topic', 'Inflation cooled in spring', false],
    ['two shared words', 'Inflation and wages cooled', true],
  ])('keeps a hit only with a shared topic or two shared words: %s', (_name, text, kept) => {
    const asked = insight('ep1', 'Wages rise while inflation falls', ['labour market']);
    const other = insight('ep2', text, ['monetary policy']);
    expect(ids(indexOf([asked, other]).related(asked))).toEqual(kept ? [other.id] : []);
  });

  it('asks with the specific words: a word in a thousand insights does not crowd out a rare one', () => {
    const asked = insight('ep0', 'People say graphene batteries charge in minutes', ['batteries']);
    const rare = insight('ep1', 'Graphene anodes charge faster', ['materials']);
    const common = Array.from({ length: 1000 }, (_, i) =>
      insight(`c${i}`, `People say things ${i}`, ['life']),
    );
    const hits = indexOf([asked, ...common, rare]).related(asked);
    expect(hits[0]).toMatchObject({
      id: rare.id,
      sharedTerms: expect.arrayContaining(['graphene', 'charge']),
    });
  });

  it('gives 3 hits by default and `limit` when asked', () => {
    const asked = insight('ep0', 'Battery storage prices keep falling', ['battery storage']);
    const others = Array.from({ length: 6 }, (_, i) =>
      insight(`ep${i + 1}`, `Storage note ${i}`, ['battery storage']),
    );
    const index = indexOf([asked, ...others]);
    expect(index.related(asked)).toHaveLength(3);
    expect(index.related(asked, { limit: 5 })).toHaveLength(5);
    expect(index.related(asked, { limit: 0 })).toEqual([]);
  });

  it('finds nothing for an insight with no meaningful words, and nothing in an empty index', () => {
    const asked = insight('ep1', 'It is what it is', []);
    expect(indexOf([asked, insight('ep2', 'It is what it is')]).related(asked)).toEqual([]);
    expect(LibraryIndex.empty().related(insight('ep1', 'Solar panels', ['solar']))).toEqual([]);
  });
});

describe('adding and removing', () => {
  it('replaces an insight added again under the same id (no duplicate hits)', () => {
    const asked = insight('ep1', 'Heat pumps cut heating bills', ['heat pumps']);
    const other = insight('ep2', 'Old text about gardening', ['gardens']);
    const index = indexOf([asked, other]);
    expect(index.related(asked)).toEqual([]);
    const changed = {
      ...other,
      text: 'Heat pumps in cold climates',
      quote: 'Heat pumps work',
      topics: ['heat pumps'],
    };
    index.addInsights([changed]);
    index.addInsights([changed]);
    expect(ids(index.related(asked))).toEqual([other.id]);
    expect(index.search('gardening').insights).toEqual([]);
    expect(ids(index.search('heat pumps').insights).filter((id) => id === other.id)).toHaveLength(1);
    expect(index.size).toBe(2);
  });

  it('keeps the last of one id given twice in one call', () => {
    const first = insight('ep1', 'Lithium mining in Chile');
    const index = indexOf([
      first,
      { ...first, text: 'Copper mining in Peru', quote: 'Copper mining in Peru' },
    ]);
    expect(index.size).toBe(1);
    expect(index.search('lithium').insights).toEqual([]);
    expect(ids(index.search('copper').insights)).toEqual([first.id]);
  });

  it('removes an insight, and ignores one that is not there', () => {
    const asked = insight('ep1', 'Nuclear plants run for decades', ['nuclear power']);
    const other = insight('ep2', 'Nuclear plants cost a lot', ['nuclear power']);
    const index = indexOf([asked, other]);
    index.removeInsight(other.id);
    index.removeInsight('ins_never');
    expect(index.has(other.id)).toBe(false);
    expect(index.has(asked.id)).toBe(true);
    expect(index.related(asked)).toEqual([]);
    expect(ids(index.search('nuclear').insights)).toEqual([asked.id]);
  });

  it('counts the documents holding a term (read from MiniSearch, which related relies on)', () => {
    const index = indexOf([
      insight('ep1', 'Tariffs again', ['trade']),
      insight('ep2', 'More tariffs', ['tariffs']),
      insight('ep3', 'Nothing here'),
    ]);
    expect(index.documentFrequency('tariffs')).toBe(3); // 2 texts + 1 topic list
    expect(index.documentFrequency('absent')).toBe(0);
  });
});

describe('search', () => {
  const index = LibraryIndex.empty();
  const a = insight('ep1', 'Semiconductor export controls slow Chinese labs', ['export controls']);
  const b = insight('ep2', 'Rooftop solar pays back within eight years', ['solar']);
  const c = insight('ep2', 'Battery storage smooths the evening peak', ['battery storage']);
  const d = insight('ep3', 'Tariffs raise prices for importers', ['tariffs']);
  index.addInsights([a, b, c, d]);
  index.upsertEpisode({ id: 'ep1', title: 'The chip war', show: 'Hard Fork' });
  index.upsertEpisode({ id: 'ep2', title: 'Power to the people', show: 'Volts' });
  index.upsertEpisode({ id: 'ep3', title: 'Trade wars', show: 'Odd Lots' });

  it.each([
    ['a word of an insight', 'semiconductor', [a.id], []],
    ['a topic', 'battery storage', [c.id], []],
    ['the last word as a prefix', 'rooftop sol', [b.id], []],
    ['a prefix alone', 'semicond', [a.id], []],
    ['a misspelling (fuzzy)', 'semicondutcor', [a.id], []],
    ['an episode by its title', 'chip war', [], ['ep1']],
    ['an episode by its show', 'volts', [], ['ep2']],
    ['every word in one document first', 'tariffs importers', [d.id], []],
  ])('finds %s', (_name, query, insights, episodes) => {
    const hits = index.search(query);
    expect(ids(hits.insights)).toEqual(insights);
    expect(ids(hits.episodes)).toEqual(episodes);
  });

  it('returns each insight with its episode', () => {
    expect(index.search('battery').insights).toEqual([
      { id: c.id, episodeId: 'ep2', score: expect.any(Number) },
    ]);
  });

  it('falls back to any word when no document has every word', () => {
    const hits = index.search('semiconductor tariffs');
    expect(ids(hits.insights).sort()).toEqual([a.id, d.id].sort());
  });

  it('in the fallback, ranks first the insights of the episode whose show matched', () => {
    const grid = LibraryIndex.empty();
    const volts = insight('ep2', 'The grid needs storage');
    const oddLots = insight('ep3', 'The grid needs storage');
    grid.addInsights([volts, oddLots]);
    grid.upsertEpisode({ id: 'ep2', title: 'Power to the people', show: 'Volts' });
    grid.upsertEpisode({ id: 'ep3', title: 'Trade wars', show: 'Odd Lots' });
    for (const query of ['odd lots grid', 'volts grid']) {
      const hits = grid.search(query);
      const first = query.startsWith('odd') ? oddLots : volts;
      expect(ids(hits.insights)[0]).toBe(first.id);
      expect(hits.insights).toHaveLength(2);
      expect(ids(hits.episodes)).toEqual([first.episodeId]);
    }
  });

  it('goes straight to any word when a short word is in no document', () => {
    expect(ids(index.search('semiconductor zq').insights)).toEqual([a.id]);
  });

  it('matches near spellings of a rare word, not of a common one (no typo there)', () => {
    const big = indexOf([
      ...Array.from({ length: 501 }, (_, i) => insight(`e${i}`, `Founders think about hiring ${i}`)),
      insight('x1', 'One thing about hiring'),
      insight('x2', 'Quantum sensors'),
    ]);
    expect(big.search('think', { limit: 1000 }).insights.map((h) => h.episodeId)).not.toContain('x1');
    expect(ids(big.search('quantom').insights)).toHaveLength(1);
  });

  it('caps each list at `limit`', () => {
    const many = LibraryIndex.empty();
    many.addInsights(Array.from({ length: 30 }, (_, i) => insight(`e${i}`, `Inflation note ${i}`)));
    for (let i = 0; i < 30; i++) many.upsertEpisode({ id: `e${i}`, title: `Inflation ${i}` });
    expect(many.search('inflation').insights).toHaveLength(20);
    expect(many.search('inflation').episodes).toHaveLength(20);
    expect(many.search('inflation', { limit: 5 }).insights).toHaveLength(5);
  });

  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t  '],
    ['only stop words', 'the and of it'],
    ['only punctuation', '?!…—'],
    ['emoji', '🎧🔥'],
  ])('finds nothing for %s', (_name, query) => {
    expect(index.search(query)).toEqual({ insights: [], episodes: [] });
  });

  it.each([
    ['regex characters', '.*+?^${}()|[]\\ solar'],
    ['an unclosed group', '(solar'],
    ['emoji among words', '☀️ solar 🔋'],
    ['a lone surrogate', '\uD83D solar'],
    ['10,000 characters', 'solar '.repeat(1700)],
    ['a 10,000-letter word', 'a'.repeat(10_000)],
    ['RTL and combining marks', 'שָׁלוֹם solar e\u0301'],
    ['a NUL and controls', 'solar\u0000\u0007\u001b[31m'],
  ])('takes %s without throwing', (_name, query) => {
    expect(() => index.search(query)).not.toThrow();
  });

  it('looks at the first 200 characters of a query only', () => {
    expect(ids(index.search(`${'x'.repeat(199)} semiconductor`).insights)).toEqual([]);
    expect(ids(index.search(`${'x'.repeat(150)} semiconductor`).insights)).toEqual([a.id]);
  });
});

describe('text in other languages', () => {
  const de = insight('ep1', 'Die Übergewinnsteuer trifft vor allem Energiekonzerne', ['Energiepolitik']);
  const ja = insight('ep2', '東京の経済成長について話しました', ['経済']);
  const index = indexOf([de, ja]);

  it.each([
    ['a German word', 'Übergewinnsteuer', de.id],
    ['a German word in lower case', 'energiekonzerne', de.id],
    ['a German prefix', 'Übergewinn', de.id],
    ['a Japanese word inside a sentence', '成長', ja.id],
    ['a Japanese topic', '経済', ja.id],
  ])('finds %s', (_name, query, id) => {
    expect(ids(index.search(query).insights)).toEqual([id]);
  });

  it('relates Japanese insights of two episodes by topic', () => {
    const other = insight('ep3', '日本の経済について', ['経済']);
    expect(ids(indexOf([ja, other]).related(ja))).toEqual([other.id]);
  });
});

describe('snapshots', () => {
  const library = generateLibrary({ episodes: 40, insightsPerEpisode: 10, seed: 3 });
  const byId = new Map(library.episodes.map((e) => [e.id, e]));
  const insights = library.insights.map((r) => toIndexedInsight(r, byId.get(r.episodeId)));
  const built = LibraryIndex.empty();
  for (const e of library.episodes) built.upsertEpisode(toIndexedEpisode(e));
  built.addInsights(insights);
  built.removeInsight(insights[5]!.id);

  it('loads back to the same answers', () => {
    const json = built.toJSON();
    expect(JSON.parse(json)).toMatchObject({ version: INDEX_VERSION, index: expect.any(Object) });
    const loaded = LibraryIndex.fromJSON(json);
    expect(loaded.size).toBe(built.size);
    expect(loaded.has(insights[5]!.id)).toBe(false);
    for (const asked of insights.slice(0, 40)) expect(loaded.related(asked)).toEqual(built.related(asked));
    const queries = insights.slice(0, 40).map((i) => i.text.split(' ').slice(2, 4).join(' '));
    for (const q of [...queries, 'peop', library.episodes[0]!.show!])
      expect(loaded.search(q)).toEqual(built.search(q));
  });

  it('takes more insights after loading', () => {
    const loaded = LibraryIndex.fromJSON(built.toJSON());
    const fresh = insight('ep_new', 'Zyxwvut quorbles flamber', ['zyxwvut']);
    loaded.addInsights([fresh]);
    expect(ids(loaded.search('zyxwvut').insights)).toEqual([fresh.id]);
  });

  const valid = JSON.parse(built.toJSON()) as { version: number; index: Record<string, unknown> };
  it.each([
    ['an empty string', ''],
    ['not JSON', '{"version":'],
    ['null', 'null'],
    ['an array', '[1,2]'],
    ['no version', JSON.stringify({ index: valid.index })],
    ['another version', JSON.stringify({ ...valid, version: INDEX_VERSION + 1 })],
    ['a version as a string', JSON.stringify({ ...valid, version: String(INDEX_VERSION) })],
    ['no index', JSON.stringify({ version: INDEX_VERSION })],
    ['an empty index', JSON.stringify({ version: INDEX_VERSION, index: {} })],
    [
      'other fields',
      JSON.stringify({ ...valid, index: { ...valid.index, fieldIds: { title: 0, text: 1 } } }),
    ],
    [
      'another MiniSearch serialization version',
      JSON.stringify({ ...valid, index: { ...valid.index, serializationVersion: 99 } }),
    ],
  ])('refuses %s with IndexFormatError', (_name, json) => {
    expect(() => LibraryIndex.fromJSON(json)).toThrow(IndexFormatError);
  });
});

describe('generateLibrary', () => {
  it('is the same for the same seed, and shaped like the library', () => {
    const one = generateLibrary({ episodes: 20, insightsPerEpisode: 5, seed: 9 });
    expect(generateLibrary({ episodes: 20, insightsPerEpisode: 5, seed: 9 })).toEqual(one);
    expect(one.episodes).toHaveLength(20);
    expect(one.insights).toHaveLength(100);
    expect(new Set(one.insights.map((i) => i.id)).size).toBe(100);
    const created = one.insights.map((i) => i.createdAt);
    expect([...created].sort()).toEqual(created);
    for (const i of one.insights) {
      expect(i.text.split(' ').length).toBeGreaterThanOrEqual(12);
      expect(i.text.split(' ').length).toBeLessThanOrEqual(30);
      expect(i.quote.split(' ').length).toBeGreaterThanOrEqual(8);
      expect(i.quote.split(' ').length).toBeLessThanOrEqual(20);
      expect(i.topics.length).toBeGreaterThan(0);
    }
  });
});
