// The daily brief's ranking: the most important new insights first, nothing the user saved or saw
// in an earlier brief (nor the same claim in other words), a little closer to what they saved,
// never more than two from one episode, and a reason under each that says only what is true.
import { describe, expect, it } from 'vitest';
import { rankBrief, type BriefCandidate, type BriefContext } from '../../../src/core/brief/rank';
import type { Insight } from '../../../src/core/types';

let clock = 0;
function insight(id: string, text: string, topics: string[], importance: Insight['importance'] = 3): Insight {
  clock += 90;
  return { id, text, quote: text.toLowerCase(), start: clock, topics, importance };
}

type Episode = { id: string; title: string; show?: string; origin: BriefCandidate['origin'] };
const WEEDS: Episode = {
  id: 'ep_weeds',
  title: 'Why rents keep rising',
  show: 'The Weeds',
  origin: 'followed',
};
const ODD_LOTS: Episode = {
  id: 'ep_oddlots',
  title: 'The Fed, one more time',
  show: 'Odd Lots',
  origin: 'heard',
};
const HARD_FORK: Episode = {
  id: 'ep_hardfork',
  title: 'The pause that never was',
  show: 'Hard Fork',
  origin: 'followed',
};
const HEALTH: Episode = {
  id: 'ep_health',
  title: 'Sleep, coffee and colds',
  show: 'Huberman Lab',
  origin: 'heard',
};
const MONEY: Episode = {
  id: 'ep_money',
  title: 'The steel episode',
  show: 'Planet Money',
  origin: 'followed',
};
const NO_SHOW: Episode = { id: 'ep_feed', title: 'Episode 212', origin: 'followed' };

const candidate = (i: Insight, ep: Episode): BriefCandidate => ({
  insight: i,
  episodeId: ep.id,
  episodeTitle: ep.title,
  ...(ep.show ? { show: ep.show } : {}),
  origin: ep.origin,
});

const nothing: BriefContext = { saved: [], earlier: [] };
const ids = (picks: { candidate: BriefCandidate }[]) => picks.map((p) => p.candidate.insight.id);

// What a user's library holds besides the insights a test is about: other subjects, so that
// words are weighed by how rare they are as they would be in a real library.
const library: Insight[] = [
  insight(
    'lib_rockets',
    'Reusable rockets cut the cost of reaching orbit by roughly a factor of ten in a decade.',
    ['space', 'rockets'],
  ),
  insight(
    'lib_ev',
    'Most of the carbon savings from electric cars come from cleaner grids, not from the cars themselves.',
    ['climate', 'electric vehicles'],
  ),
  insight(
    'lib_solar',
    'Solar panels got ninety percent cheaper in ten years, faster than any forecast predicted.',
    ['solar', 'energy'],
  ),
  insight(
    'lib_remote',
    'Remote workers are more productive on focused tasks but worse at mentoring juniors.',
    ['remote work', 'productivity'],
  ),
  insight(
    'lib_walk',
    'Walking for twenty minutes after a meal lowers the blood sugar spike more than any supplement.',
    ['health', 'exercise'],
  ),
  insight(
    'lib_chips',
    'Export controls on chips slowed China less than they pushed it to build its own suppliers.',
    ['export controls', 'China', 'chips'],
  ),
  insight(
    'lib_shortage',
    'The housing shortage in the US is about four million homes, mostly starter homes.',
    ['housing'],
  ),
  insight(
    'lib_meetings',
    'Teams that cancel recurring meetings for a month rarely bring most of them back.',
    ['productivity', 'meetings'],
  ),
];

/** Saved insight, the same claim in other words (not saved), a different claim on the same subject. */
const claims: [string, Insight, Insight, Insight][] = [
  [
    'AI labs pausing',
    insight(
      's_pause',
      'Self-imposed safety pauses by AI labs create a vacuum that less careful competitors fill.',
      ['AI safety', 'regulation'],
    ),
    insight(
      'p_pause',
      'When an AI lab pauses for safety reasons, less careful competitors simply fill the vacuum.',
      ['AI safety'],
    ),
    insight(
      'd_pause',
      'Frontier AI models should be evaluated by independent labs before release, not by the companies that build them.',
      ['AI safety', 'evaluation'],
    ),
  ],
  [
    'steel tariffs',
    insight(
      's_steel',
      'Tariffs on Chinese steel raised costs for American carmakers more than they protected steel jobs.',
      ['tariffs', 'trade', 'steel'],
    ),
    insight(
      'p_steel',
      'The steel tariffs protected fewer jobs than they cost carmakers in higher input prices.',
      ['tariffs', 'manufacturing'],
    ),
    insight(
      'd_steel',
      'Steel is a small share of what a car costs, so steel tariffs barely move car prices.',
      ['tariffs', 'steel'],
    ),
  ],
  [
    'slow rate rises',
    insight(
      's_rates',
      'Central banks that raise interest rates too slowly let inflation expectations become entrenched.',
      ['inflation', 'interest rates', 'central banks'],
    ),
    insight(
      'p_rates',
      'If a central bank is slow to raise rates, people come to expect inflation and it gets entrenched.',
      ['inflation', 'monetary policy'],
    ),
    insight(
      'd_rates',
      'Higher interest rates hit small businesses first because they borrow at floating rates.',
      ['interest rates', 'small business'],
    ),
  ],
  [
    'short sleep',
    insight('s_sleep', 'Getting less than six hours of sleep a night doubles the risk of catching a cold.', [
      'sleep',
      'immunity',
    ]),
    insight(
      'p_sleep',
      'People who sleep under six hours a night are about twice as likely to catch a cold.',
      ['sleep', 'health'],
    ),
    insight(
      'd_sleep',
      'Caffeine after two in the afternoon cuts deep sleep even when you fall asleep easily.',
      ['sleep', 'caffeine'],
    ),
  ],
  [
    'zoning',
    insight(
      's_zoning',
      'Zoning rules that ban apartments are the main reason rents keep rising in coastal cities.',
      ['housing', 'zoning'],
    ),
    insight(
      'p_zoning',
      'Rents in coastal cities keep climbing mainly because zoning bans apartment buildings.',
      ['housing'],
    ),
    insight(
      'd_zoning',
      'Rent control helps current tenants but shrinks the supply of rental housing within a decade.',
      ['housing', 'rent control'],
    ),
  ],
  [
    'index funds',
    insight(
      's_index',
      'Index funds beat most active fund managers over any fifteen-year period once fees are counted.',
      ['markets', 'investing'],
    ),
    insight('p_index', 'Once you count fees, most active managers trail the index over fifteen years.', [
      'market',
      'index funds',
    ]),
    insight(
      'd_index',
      'Markets fall faster than they rise: the worst days cluster right next to the best ones.',
      ['markets', 'volatility'],
    ),
  ],
];

describe('rankBrief', () => {
  it('gives nothing for nothing, and nothing for a limit of 0', () => {
    expect(rankBrief([], nothing)).toEqual([]);
    expect(rankBrief([], { saved: library, earlier: library })).toEqual([]);
    const one = candidate(insight('x1', 'Solar is cheap.', ['energy'], 5), ODD_LOTS);
    expect(rankBrief([one], nothing, { limit: 0 })).toEqual([]);
  });

  it('puts the most important insights first, five at most', () => {
    const list = [
      candidate(
        insight(
          'w1',
          'Rent control helps current tenants but shrinks rental supply within a decade.',
          ['housing'],
          3,
        ),
        WEEDS,
      ),
      candidate(
        insight('w2', 'Cities that legalised duplexes saw permits rise within two years.', ['housing'], 5),
        WEEDS,
      ),
      candidate(
        insight('o1', 'Services inflation has stayed high even as goods prices fell.', ['inflation'], 4),
        ODD_LOTS,
      ),
      candidate(
        insight('o2', 'Bond traders now expect only two rate cuts this year.', ['interest rates'], 2),
        ODD_LOTS,
      ),
      candidate(
        insight('h1', 'Open-weight models let outsiders audit safety claims.', ['AI safety'], 5),
        HARD_FORK,
      ),
      candidate(
        insight('h2', 'Chatbot subscriptions have stalled at around five percent of users.', ['AI'], 1),
        HARD_FORK,
      ),
      candidate(insight('n1', 'Caffeine after two in the afternoon cuts deep sleep.', ['sleep'], 4), HEALTH),
      candidate(insight('m1', 'Steel is a small share of what a car costs.', ['steel'], 3), MONEY),
    ];
    const picks = rankBrief(list, nothing);
    expect(ids(picks)).toEqual(['w2', 'h1', 'o1', 'n1', 'w1']);
    expect(picks.map((p) => p.score)).toEqual([5, 5, 4, 4, 3]);
  });

  it('never repeats an insight the user saved or one of an earlier brief', () => {
    const savedOne = insight(
      'keep_saved',
      'Cities that legalised duplexes saw permits rise within two years.',
      ['housing'],
      5,
    );
    const shownOne = insight(
      'keep_shown',
      'Open-weight models let outsiders audit safety claims.',
      ['AI safety'],
      5,
    );
    const fresh = insight(
      'fresh',
      'Bond traders now expect only two rate cuts this year.',
      ['interest rates'],
      2,
    );
    const picks = rankBrief(
      [candidate(savedOne, WEEDS), candidate(shownOne, HARD_FORK), candidate(fresh, ODD_LOTS)],
      { saved: [savedOne, ...library], earlier: [shownOne] },
    );
    expect(ids(picks)).toEqual(['fresh']);
  });

  describe.each(claims)('a saved claim about %s', (_name, saved, paraphrase, differentClaim) => {
    const list = [
      candidate({ ...paraphrase, importance: 5 }, HARD_FORK),
      candidate({ ...differentClaim, importance: 4 }, MONEY),
    ];

    it('keeps out the same claim in other words, but not another claim on the subject', () => {
      expect(ids(rankBrief(list, { saved: [saved, ...library], earlier: [] }))).toEqual([differentClaim.id]);
    });

    it('keeps out the same claim when an earlier brief had it', () => {
      expect(ids(rankBrief(list, { saved: library, earlier: [saved] }))).toEqual([differentClaim.id]);
    });

    it('picks one of two wordings of a claim arriving the same day, the more important', () => {
      const twins = [candidate({ ...saved, importance: 3 }, WEEDS), ...list];
      expect(ids(rankBrief(twins, { saved: library, earlier: [] }))).toEqual([
        paraphrase.id,
        differentClaim.id,
      ]);
    });
  });

  it('keeps a re-extraction of a saved insight out though its id is new', () => {
    const saved = claims[0]![1];
    const again = { ...saved, id: 'ins_new_id', start: saved.start + 2 };
    expect(rankBrief([candidate(again, HARD_FORK)], { saved: [saved], earlier: [] })).toEqual([]);
  });

  it('brings items on subjects the user saved ahead of others of the same importance', () => {
    const saved = [
      insight('sv1', 'Central banks that raise interest rates too slowly let inflation become entrenched.', [
        'inflation',
        'interest rates',
      ]),
      insight('sv2', 'Rent is a third of the consumer price index, so inflation lags the housing market.', [
        'inflation',
        'housing',
      ]),
      insight('sv3', 'Wage growth above four percent makes two percent inflation hard to reach.', [
        'inflation',
        'wages',
      ]),
      ...library,
    ];
    const space = candidate(
      insight(
        'c_space',
        'A third of satellite launches now carry internet constellations.',
        ['satellites'],
        4,
      ),
      HARD_FORK,
    );
    const prices = candidate(
      insight(
        'c_prices',
        'Services prices are rising twice as fast as goods prices this spring.',
        ['Inflation'],
        4,
      ),
      ODD_LOTS,
    );
    const picks = rankBrief([space, prices], { saved, earlier: [] });
    expect(ids(picks)).toEqual(['c_prices', 'c_space']);
    expect(picks[0]!.score).toBeGreaterThan(4);
    expect(picks[0]!.score).toBeLessThan(5);
    expect(picks[0]!.reason).toBe(
      'Importance 4 of 5 · from an episode you heard · close to what you saved about Inflation',
    );
    expect(picks[1]!.score).toBe(4);
    expect(picks[1]!.reason).toBe('Importance 4 of 5 · new episode of Hard Fork');
  });

  it('never lets interest lift an item over a more important one', () => {
    const saved = [
      insight('sv1', 'Central banks that raise interest rates too slowly let inflation become entrenched.', [
        'inflation',
      ]),
      insight('sv2', 'Rent is a third of the consumer price index, so inflation lags the housing market.', [
        'inflation',
      ]),
      insight('sv3', 'Wage growth above four percent makes two percent inflation hard to reach.', [
        'inflation',
      ]),
    ];
    const related = candidate(
      insight('c_rel', 'Services inflation is rising twice as fast as goods inflation.', ['inflation'], 4),
      ODD_LOTS,
    );
    const unrelated = candidate(
      insight('c_unrel', 'Reusable boosters now fly twenty times each.', ['space'], 5),
      HARD_FORK,
    );
    expect(ids(rankBrief([related, unrelated], { saved, earlier: [] }))).toEqual(['c_unrel', 'c_rel']);
  });

  it('matches a topic in another form: "Market" is what the user saved as "markets"', () => {
    const saved = [
      insight('sv1', 'Index funds beat most active managers once fees are counted.', ['markets']),
      insight('sv2', 'The worst trading days cluster right next to the best ones.', [
        'markets',
        'volatility',
      ]),
      ...library,
    ];
    const a = candidate(
      insight('c_tea', 'Green tea has about a third of the caffeine of coffee.', ['tea'], 3),
      HEALTH,
    );
    const b = candidate(
      insight('c_ipo', 'Fewer companies list on the stock exchange than in 1996.', ['Market'], 3),
      ODD_LOTS,
    );
    const picks = rankBrief([a, b], { saved, earlier: [] });
    expect(ids(picks)).toEqual(['c_ipo', 'c_tea']);
    expect(picks[0]!.reason).toContain('close to what you saved about Market');
  });

  it('counts words in common too, for insights without topics', () => {
    const saved = [
      insight('sv1', 'A sourdough starter needs feeding twice a day when kept warm.', []),
      insight('sv2', 'Rye flour makes a sourdough starter more active than white flour.', []),
      insight('sv3', 'Sourdough bread keeps longer because its acidity slows mould.', []),
      ...library.map((i) => ({ ...i, topics: [] })),
    ];
    const bread = candidate(
      insight('c_bread', 'A sourdough starter left in the fridge for a month can still be revived.', [], 3),
      HEALTH,
    );
    const other = candidate(
      insight('c_other', 'Most listeners skip the first two minutes of an episode.', [], 3),
      WEEDS,
    );
    const picks = rankBrief([other, bread], { saved, earlier: [] });
    expect(ids(picks)).toEqual(['c_bread', 'c_other']);
    expect(picks[0]!.reason).toBe(
      'Importance 3 of 5 · from an episode you heard · close to what you saved about sourdough and starter',
    );
    expect(picks[1]!.reason).toBe('Importance 3 of 5 · new episode of The Weeds');
  });

  it('does not claim a subject the user saved only part of', () => {
    const saved = [
      insight('sv1', 'Chatbot subscriptions have stalled.', ['AI']),
      insight('sv2', 'Chip export rules keep changing.', ['AI', 'chips']),
    ];
    const c = candidate(
      insight('c1', 'Independent labs should test frontier models before release.', ['AI safety'], 4),
      HARD_FORK,
    );
    const [pick] = rankBrief([c], { saved, earlier: [] });
    expect(pick!.reason).toBe(
      'Importance 4 of 5 · new episode of Hard Fork · close to what you saved about AI',
    );
  });

  it('gives no bonus and claims no interest when nothing is saved', () => {
    const picks = rankBrief(
      claims.map(([, , , d], i) => candidate({ ...d, importance: 4 }, [WEEDS, ODD_LOTS, HEALTH][i % 3]!)),
      nothing,
    );
    expect(picks).toHaveLength(5);
    for (const p of picks) {
      expect(p.score).toBe(4);
      expect(p.reason).not.toContain('saved');
    }
  });

  it('takes at most two items from one episode, even when that leaves the brief short', () => {
    const long = Array.from({ length: 6 }, (_, i) =>
      candidate(insight(`long${i}`, claims[i]![3].text, claims[i]![3].topics, 5), ODD_LOTS),
    );
    expect(ids(rankBrief(long, nothing))).toEqual(['long0', 'long1']);
    const other = candidate(
      insight('short', 'Reusable boosters now fly twenty times each.', ['space'], 2),
      HARD_FORK,
    );
    expect(ids(rankBrief([...long, other], nothing))).toEqual(['long0', 'long1', 'short']);
  });

  it('returns fewer than five when fewer are new', () => {
    const list = claims.slice(0, 3).map(([, , , d], i) => candidate(d, [WEEDS, ODD_LOTS, HEALTH][i]!));
    expect(rankBrief(list, nothing)).toHaveLength(3);
    expect(rankBrief(list, nothing, { limit: 2 })).toHaveLength(2);
  });

  it('says where each item comes from', () => {
    const picks = rankBrief(
      [
        candidate(insight('a', 'Cities that legalised duplexes saw permits rise.', ['housing'], 5), WEEDS),
        candidate(insight('b', 'Bond traders now expect two rate cuts.', ['rates'], 4), ODD_LOTS),
        candidate(
          insight('c', 'Most podcasts lose half their listeners by minute ten.', ['audio'], 3),
          NO_SHOW,
        ),
      ],
      nothing,
    );
    expect(picks.map((p) => p.reason)).toEqual([
      'Importance 5 of 5 · new episode of The Weeds',
      'Importance 4 of 5 · from an episode you heard',
      'Importance 3 of 5 · new episode of a show you follow',
    ]);
  });

  it('orders ties by episode order, then start time, then id, whatever the input order', () => {
    const at = (id: string, start: number, ep: Episode, text: string) =>
      candidate({ ...insight(id, text, [], 4), start }, ep);
    const list = [
      at('b', 100, WEEDS, 'Duplex permits doubled in Minneapolis after the city ended single-family zoning.'),
      at('z', 50, ODD_LOTS, 'Copper inventories on the London exchange are at a ten-year low.'),
      at('a', 100, WEEDS, 'Parking minimums add about fifty thousand dollars to each new apartment.'),
      at('y', 10, ODD_LOTS, 'Shipping rates through the Red Sea tripled after the attacks began.'),
      at('c', 20, HEALTH, 'A ten-minute walk after dinner blunts the glucose spike.'),
    ];
    expect(ids(rankBrief(list, nothing))).toEqual(['a', 'b', 'y', 'z', 'c']);
    const again = rankBrief([...list], nothing);
    expect(again).toEqual(rankBrief(list, nothing));
  });
});
