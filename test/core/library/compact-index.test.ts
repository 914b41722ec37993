// The library's search index on typed arrays (compact-index.ts), held to everything the
// MiniSearch one (search-index.ts) was: related insights come from other episodes only, rank a
// shared topic above shared words and say why; adding an insight again replaces it; search finds
// insights and episodes by prefix and near-miss spellings, falls back from every word to any
// word, takes any string; a binary snapshot loads back to the same answers, and a foreign,
// truncated or damaged one is refused.
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
} from '../../../src/core/library/compact-index';
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

  it('counts the documents holding a term (which related relies on)', () => {
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
  // Replaced after adding: the snapshot keeps the last version only.
  built.addInsights([{ ...insights[6]!, text: 'Replaced text about zeppelins', topics: ['airships'] }]);
  built.upsertEpisode({ ...toIndexedEpisode(library.episodes[1]!), title: 'A renamed episode' });
  const snapshot = built.toSnapshot();
  const queries = [
    ...insights.slice(0, 40).map((i) => i.text.split(' ').slice(2, 4).join(' ')),
    'peop',
    'zeppelins',
    'renamed',
    library.episodes[0]!.show!,
    library.episodes[1]!.title,
  ];

  it('loads back to the same answers', () => {
    expect(snapshot).toBeInstanceOf(Uint8Array);
    const loaded = LibraryIndex.fromSnapshot(snapshot);
    expect(loaded.size).toBe(built.size);
    expect(loaded.size).toBe(40 + 399);
    expect(loaded.has(insights[5]!.id)).toBe(false);
    expect(loaded.has(insights[6]!.id)).toBe(true);
    expect(loaded.has(library.episodes[1]!.id)).toBe(true);
    for (const asked of insights.slice(0, 40)) expect(loaded.related(asked)).toEqual(built.related(asked));
    for (const q of queries) expect(loaded.search(q)).toEqual(built.search(q));
    expect(ids(loaded.search('zeppelins').insights)).toEqual([insights[6]!.id]);
    expect(ids(loaded.search('renamed').episodes)).toEqual([library.episodes[1]!.id]);
  });

  it('writes the same bytes again from a loaded snapshot', () => {
    const same = (bytes: Uint8Array): boolean => Buffer.from(bytes).equals(Buffer.from(snapshot));
    expect(same(LibraryIndex.fromSnapshot(snapshot).toSnapshot())).toBe(true);
    expect(same(built.toSnapshot())).toBe(true);
  });

  it('copies the bytes it loads, wherever they sit in their buffer', () => {
    const shifted = new Uint8Array(snapshot.length + 3);
    shifted.set(snapshot, 3);
    const bytes = shifted.subarray(3);
    const loaded = LibraryIndex.fromSnapshot(bytes);
    bytes.fill(0);
    expect(loaded.size).toBe(built.size);
    for (const q of queries.slice(0, 10)) expect(loaded.search(q)).toEqual(built.search(q));
  });

  it('takes more insights after loading, and removals and new episodes', () => {
    const loaded = LibraryIndex.fromSnapshot(snapshot);
    const fresh = insight('ep_new', 'Zyxwvut quorbles flamber', ['zyxwvut']);
    loaded.addInsights([fresh]);
    expect(ids(loaded.search('zyxwvut').insights)).toEqual([fresh.id]);
    expect(ids(loaded.search('quorb').insights)).toEqual([fresh.id]);
    loaded.removeInsight(insights[7]!.id);
    expect(loaded.has(insights[7]!.id)).toBe(false);
    loaded.upsertEpisode({ id: 'ep_new', title: 'Flamber weekly' });
    expect(ids(loaded.search('flamber').episodes)).toEqual(['ep_new']);
    expect(loaded.size).toBe(built.size + 1 - 1 + 1);
    const again = LibraryIndex.fromSnapshot(loaded.toSnapshot());
    expect(again.size).toBe(loaded.size);
    expect(again.search('zyxwvut')).toEqual(loaded.search('zyxwvut'));
    expect(again.has(insights[7]!.id)).toBe(false);
  });

  it('answers the same before and after merging what was added (scores aside)', () => {
    const index = LibraryIndex.fromSnapshot(snapshot);
    const extra = generateLibrary({ episodes: 5, insightsPerEpisode: 10, seed: 8 });
    const extraById = new Map(extra.episodes.map((e) => [e.id, e]));
    const more = extra.insights.map((r) => toIndexedInsight(r, extraById.get(r.episodeId)));
    for (const e of extra.episodes) index.upsertEpisode(toIndexedEpisode(e));
    index.addInsights(more);
    const before = [...more.slice(0, 10), ...insights.slice(10, 20)].map((i) => ids(index.related(i)));
    const found = queries.map((q) => ids(index.search(q).insights).sort());
    const merged = LibraryIndex.fromSnapshot(index.toSnapshot());
    expect([...more.slice(0, 10), ...insights.slice(10, 20)].map((i) => ids(merged.related(i)))).toEqual(
      before,
    );
    expect(queries.map((q) => ids(merged.search(q).insights).sort())).toEqual(found);
  });

  it('snapshots an empty index', () => {
    const empty = LibraryIndex.fromSnapshot(LibraryIndex.empty().toSnapshot());
    expect(empty.size).toBe(0);
    expect(empty.search('anything')).toEqual({ insights: [], episodes: [] });
    empty.addInsights([insight('ep1', 'Solar panels', ['solar'])]);
    expect(empty.size).toBe(1);
  });

  /** The snapshot with its 32-bit word `i` (little-endian, as written on this machine) set to `value`. */
  const withWord = (i: number, value: number): Uint8Array => {
    const copy = snapshot.slice();
    new DataView(copy.buffer).setUint32(i * 4, value, true);
    return copy;
  };
  const word = (i: number): number => new DataView(snapshot.buffer).getUint32(i * 4, true);
  // Header words: 0 magic, 1 version, 2 docs, 3 episodes, 4 terms, 5 postings; sections from word 16.
  const terms = word(4);
  const firstPosting = 16 + terms * 5 + 1;
  const junk = (n: number, seed: number): Uint8Array => {
    let x = seed;
    return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24) & 255);
  };

  it.each([
    ['no bytes', new Uint8Array(0)],
    ['a few bytes', new Uint8Array([1, 2, 3])],
    ['the old JSON snapshot', new TextEncoder().encode(JSON.stringify({ version: 1, index: {} }))],
    ['random bytes', junk(snapshot.length, 1)],
    ['another version', withWord(1, INDEX_VERSION + 1)],
    ['the previous version', withWord(1, INDEX_VERSION - 1)],
    ['no magic', withWord(0, 0)],
    ['truncated by one byte', snapshot.subarray(0, snapshot.length - 1)],
    ['truncated to its header', snapshot.subarray(0, 64)],
    ['truncated by half', snapshot.subarray(0, snapshot.length >> 1)],
    ['one byte too many', Uint8Array.from([...snapshot, 0])],
    ['a count changed', withWord(2, word(2) + 1)],
    ['a huge count', withWord(5, 0xffffffff)],
    ['a posting of no document', withWord(firstPosting, 0xffffff01)],
    ['a posting of no frequency', withWord(firstPosting, 0)],
    ['postings out of order', withWord(17, 0xffffff)],
    ['strings that are not UTF-8', Uint8Array.from([...snapshot.subarray(0, -1), 0xff])],
  ])('refuses %s with IndexFormatError', (_name, bytes) => {
    expect(() => LibraryIndex.fromSnapshot(bytes)).toThrow(IndexFormatError);
  });

  it.each([
    ['a string', 'not bytes'],
    ['null', null],
    ['a plain array', [1, 2, 3]],
  ])('refuses %s with IndexFormatError', (_name, value) => {
    expect(() => LibraryIndex.fromSnapshot(value as unknown as Uint8Array)).toThrow(IndexFormatError);
  });

  it('refuses every truncation, and never throws anything else on damaged bytes', () => {
    for (let n = 0; n < snapshot.length; n += 97)
      expect(() => LibraryIndex.fromSnapshot(snapshot.subarray(0, n))).toThrow(IndexFormatError);
    for (let i = 0; i < 200; i++) {
      const damaged = snapshot.slice();
      const at = (i * 7919) % damaged.length;
      damaged[at] = (damaged[at]! + 1 + i) & 255;
      let index: LibraryIndex | undefined;
      try {
        index = LibraryIndex.fromSnapshot(damaged);
      } catch (err) {
        expect(err).toBeInstanceOf(IndexFormatError);
        continue;
      }
      // Damage the checks cannot see (a frequency, a length, a letter) still answers.
      expect(() => {
        index.search('market growth');
        index.related(insights[0]!);
      }).not.toThrow();
    }
  });
});

describe('what it does beyond the MiniSearch index', () => {
  it('matches the last word as a prefix from 3 letters', () => {
    const index = indexOf([insight('ep1', 'Rooftop solar pays back'), insight('ep2', 'Soldiers march')]);
    expect(index.search('rooftop sol').insights).toHaveLength(1);
    expect(index.search('sol').insights).toHaveLength(2);
    expect(index.search('so').insights).toHaveLength(0);
  });

  it('counts two swapped letters as one edit, and allows two edits from 8 letters', () => {
    const index = indexOf([
      insight('ep1', 'Semiconductor tariffs'),
      insight('ep2', 'Geothermal drilling'),
      insight('ep3', 'Lithium brines'),
    ]);
    expect(index.search('semicnoductor').insights).toHaveLength(1);
    expect(index.search('geotermal').insights).toHaveLength(1); // one letter missing
    expect(index.search('geotherml drillnig').insights).toHaveLength(1);
    expect(index.search('semixonductot').insights).toHaveLength(1); // two letters wrong
    expect(index.search('lithum').insights).toHaveLength(1);
    expect(index.search('lihtum').insights).toHaveLength(0); // two edits in a 6-letter word
  });

  it('ranks first, among insights matching every word, those whose episode matched too', () => {
    const index = indexOf([insight('ep1', 'Grid storage is cheap'), insight('ep2', 'Grid storage is cheap')]);
    index.upsertEpisode({ id: 'ep1', title: 'Trade wars' });
    index.upsertEpisode({ id: 'ep2', title: 'The storage show' });
    expect(index.search('grid storage').insights.map((h) => h.episodeId)).toEqual(['ep2', 'ep1']);
  });

  it('replaces an episode, and forgets its old title', () => {
    const index = LibraryIndex.empty();
    index.upsertEpisode({ id: 'ep1', title: 'Trade wars', show: 'Odd Lots' });
    index.upsertEpisode({ id: 'ep1', title: 'Chip wars' });
    expect(index.size).toBe(1);
    expect(index.has('ep1')).toBe(true);
    expect(index.search('trade').episodes).toEqual([]);
    expect(index.search('odd lots').episodes).toEqual([]);
    expect(ids(index.search('chip').episodes)).toEqual(['ep1']);
  });

  it('stays right through many additions, replacements and removals (merging on the way)', () => {
    const index = LibraryIndex.empty();
    const all = new Map<string, IndexedInsight>();
    for (let round = 0; round < 60; round++) {
      const batch = Array.from({ length: 150 }, (_, i) =>
        insight(`ep${round}`, `Round ${round} note ${i} about widget${i % 7} and gizmo${round}x`, [
          `topic ${i % 5}`,
        ]),
      );
      index.addInsights(batch);
      for (const item of batch) all.set(item.id, item);
      for (const item of batch.slice(0, 75)) {
        index.removeInsight(item.id);
        all.delete(item.id);
      }
    }
    expect(index.size).toBe(all.size);
    expect(index.search('gizmo3x', { limit: 100 }).insights).toHaveLength(75);
    expect(index.search('widget3', { limit: 10_000 }).insights).toHaveLength(
      [...all.values()].filter((i) => i.text.includes('widget3')).length,
    );
    const loaded = LibraryIndex.fromSnapshot(index.toSnapshot());
    expect(loaded.search('gizmo3x', { limit: 100 })).toEqual(index.search('gizmo3x', { limit: 100 }));
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
