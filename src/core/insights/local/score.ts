// How much a sentence looks like an insight worth keeping, from the sentence and the episode:
//   salience   its words that recur across the episode (TF-IDF over sentences: often said, in
//              few sentences each), stop words and words said in most sentences left out;
//   claim      a statement about the world: a verb of effect or a connective, a comparison,
//              a number or a percentage;
//   cue        a phrase that announces a point ("the key", "research shows", "turns out"),
//              or a general word ("most", "never", "always");
// less penalties for questions, greetings, ads and goodbyes, fillers, first-person chit-chat,
// a start that leans on what came before ("That's…"), and a length far from a claim's.
import { count, INJECTION, isGeneric, lists, stem, stopWords, tokenize, type Lang } from './lexicon';
import type { Sentence } from './sentences';

export type Scored = Sentence & {
  /** Content words (stems) and their weights in the episode. */
  terms: Map<string, number>;
  /** Euclidean norm of `terms`, for cosine similarity. */
  norm: number;
  /** Content words in order, as said (lower case), for topic labels. */
  content: string[];
  words: number;
  score: number;
  /** Never an insight: a question, boilerplate, too short, an instruction to a model. */
  excluded: boolean;
};

export type Episode = {
  sentences: Scored[];
  /** Weight of each content stem: log(1 + count) × idf. */
  weight: Map<string, number>;
  /** The most frequent spelling of each stem, and how often each adjacent pair of content words occurs. */
  surface: Map<string, string>;
  pairs: Map<string, number>;
  /** How often each content stem is said in the episode. */
  tf: Map<string, number>;
  lang: Lang;
};

/** Words said in more than this share of sentences are treated as stop words (any language). */
const COMMON_SHARE = 0.25;
const NUMBER = /\p{N}|%/u;

export function scoreEpisode(sentences: readonly Sentence[], lang: Lang): Episode {
  const stop = stopWords(lang);
  const L = lists(lang);
  const n = sentences.length;
  const tokens = sentences.map((s) => tokenize(s.text));
  const isContent = (w: string): boolean => w.length >= 3 && !stop.has(w) && !/^\p{N}+$/u.test(w);

  // Episode counts: how often each stem is said, and in how many sentences. Each distinct word
  // is classified and stemmed once.
  const tf = new Map<string, number>();
  const df = new Map<string, number>();
  const stemOf = new Map<string, string>();
  const said = new Map<string, number>();
  const stems = tokens.map((ws) =>
    ws.map((w) => {
      let s = stemOf.get(w);
      if (s === undefined) {
        s = isContent(w) ? stem(w, lang) : '';
        stemOf.set(w, s);
      }
      if (!s) return '';
      tf.set(s, (tf.get(s) ?? 0) + 1);
      said.set(w, (said.get(w) ?? 0) + 1);
      return s;
    }),
  );
  for (const ss of stems) for (const s of new Set(ss)) if (s) df.set(s, (df.get(s) ?? 0) + 1);

  const weight = new Map<string, number>();
  for (const [s, f] of tf) {
    const d = df.get(s) ?? 1;
    if (n >= 20 && d / n > COMMON_SHARE) continue; // said everywhere: a stop word here
    weight.set(s, Math.log1p(f) * Math.log((n + 1) / (d + 0.5)));
  }
  // The most frequent spelling of each stem (the first in alphabetical order on a tie).
  const surface = new Map<string, string>();
  const best = new Map<string, number>();
  for (const [w, c] of said) {
    const s = stemOf.get(w) as string;
    const most = best.get(s) ?? 0;
    if (c > most || (c === most && w < (surface.get(s) ?? ''))) {
      surface.set(s, w);
      best.set(s, c);
    }
  }
  const pairs = new Map<string, number>();
  for (const ss of stems) {
    for (let i = 1; i < ss.length; i++) {
      const a = ss[i - 1];
      const b = ss[i];
      if (a && b && weight.has(a) && weight.has(b)) pairs.set(`${a} ${b}`, (pairs.get(`${a} ${b}`) ?? 0) + 1);
    }
  }

  const raw: number[] = [];
  const scored = sentences.map((sentence, i): Scored => {
    const ws = tokens[i] as string[];
    const terms = new Map<string, number>();
    const content: string[] = [];
    for (const s of stems[i] as string[]) {
      const w = s ? weight.get(s) : undefined;
      if (w === undefined) continue;
      terms.set(s, w);
      content.push(s);
    }
    let sum = 0;
    let sq = 0;
    for (const w of terms.values()) {
      sum += w;
      sq += w * w;
    }
    raw.push(terms.size > 0 ? sum / Math.sqrt(terms.size + 1) : 0);
    return {
      ...sentence,
      terms,
      norm: Math.sqrt(sq),
      content,
      words: ws.length,
      score: 0,
      excluded: false,
    };
  });

  // Salience on a 0–1 scale: against the 90th percentile, so one outlier does not flatten the rest.
  const sorted = [...raw].sort((a, b) => a - b);
  const p90 = sorted[Math.floor(sorted.length * 0.9)] || 1;

  for (const [i, s] of scored.entries()) {
    const text = s.text.toLowerCase();
    const salience = Math.min(1, (raw[i] as number) / p90);
    const claimWords = count(L.claim, text);
    const comparisons = count(L.comparison, text);
    const numbers = NUMBER.test(text) ? 1 : 0;
    // A verb of effect or a connective makes a statement; a comparison ("than"), a number or
    // a conditional ("when", "unless") makes it a claim one could check.
    const claim = Math.min(
      1,
      (claimWords > 0 ? 0.35 : 0) +
        0.1 * Math.min(2, claimWords - 1) +
        (comparisons > 0 ? 0.25 : 0) +
        0.1 * Math.min(1, count(L.than, text)) +
        0.2 * numbers,
    );
    const cue = Math.min(1, 0.6 * count(L.cue, text) + 0.25 * count(L.general, text));

    const question = /[?？¿]/u.test(s.text);
    const boilerplate = L.boilerplate.test(text);
    let penalty = 0;
    if (s.words < 6) penalty += 0.6;
    else if (s.words < 9) penalty += 0.15;
    else if (s.words > 40) penalty += 0.3;
    else if (s.words > 30) penalty += 0.1;
    if (question) penalty += 0.6;
    if (boilerplate) penalty += 0.8;
    penalty += 0.15 * Math.min(3, count(L.filler, text));
    const firstPerson = count(L.firstPerson, text) / Math.max(1, s.words);
    if (firstPerson > 0.08) penalty += 0.35 * Math.min(1, firstPerson / 0.2);
    if (L.leaning.test(text)) penalty += 0.15;
    if (L.anecdote.test(text)) penalty += 0.25;
    // A fragment: it begins in lower case or with punctuation (the sentence began earlier), or
    // it stops without ending (cut off by a speaker change or a long pause).
    if (/^[\p{Ll}\p{P}]/u.test(s.text)) penalty += 0.3;
    if (!/[.!?…。？！]["'”’»)\]]*$/u.test(s.text)) penalty += 0.2;
    // Stutters and restarts ("they were they", "can can"): speech, not a statement.
    penalty += 0.1 * Math.min(3, stutters(tokens[i] as string[]));
    if (CONTACT.test(s.text)) penalty += 0.5;

    s.score = 0.4 * salience + 0.3 * claim + 0.3 * cue - penalty;
    s.excluded =
      question ||
      boilerplate ||
      s.words < 4 ||
      INJECTION.test(s.text) ||
      (CALL_TO_ACTION.test(s.text) && ADDRESS.test(s.text)) ||
      s.terms.size === 0;
  }
  return { sentences: scored, weight, surface, pairs, tf, lang };
}

/**
 * A call to go somewhere with an address in it ("visit evil.example", "go to brand.com/podcast for
 * 20% off"): an ad read or a planted instruction, never an insight — even as a verbatim quote.
 */
const CALL_TO_ACTION =
  /\b(?:visit|go to|head (?:over )?to|check out|sign up|subscribe at|use (?:the )?code|promo code|free (?:trial|prize|gift))\b/iu;
const ADDRESS = /\S@\S|https?:\/\/|\bwww\.|\b[a-z0-9-]+\.[a-z]{2,12}\b/iu;

/** An e-mail address or a web address: housekeeping, not insight. */
const CONTACT = /\S@\S|\bwww\.|\w\.(?:com|net|org|fm|io|co)\b|\bdot com\b/iu;

/** Words said twice in a row, and two-word runs said twice in a row. */
function stutters(words: readonly string[]): number {
  let n = 0;
  for (let i = 1; i < words.length; i++) {
    if (words[i] === words[i - 1]) n++;
    else if (i >= 3 && words[i] === words[i - 2] && words[i - 1] === words[i - 3]) n++;
  }
  return n;
}

/** Cosine similarity of two sentences' content words. */
export function similarity(a: Scored, b: Scored): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.terms.size <= b.terms.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [s, w] of small.terms) {
    const v = large.terms.get(s);
    if (v !== undefined) dot += w * v;
  }
  return dot / (a.norm * b.norm);
}

/**
 * 1–3 short topic labels for a sentence: its most salient content words, a pair of adjacent
 * ones when the pair recurs in the episode ("playback speed"), in lower case as said.
 */
export function topicsOf(s: Scored, episode: Episode): string[] {
  const seen = new Set<string>();
  const candidates: { label: string; weight: number; parts: string[] }[] = [];
  // A label is worth its episode weight, less for generic words and one-off words.
  const labelWeight = (stemmed: string): number => {
    const word = episode.surface.get(stemmed) ?? stemmed;
    const w = episode.weight.get(stemmed) ?? 0;
    return w * (isGeneric(word, episode.lang) ? 0.3 : 1) * ((episode.tf.get(stemmed) ?? 0) > 1 ? 1 : 0.6);
  };
  for (let i = 0; i < s.content.length; i++) {
    const a = s.content[i] as string;
    const wa = labelWeight(a);
    if (!seen.has(a)) {
      seen.add(a);
      candidates.push({ label: episode.surface.get(a) ?? a, weight: wa, parts: [a] });
    }
    const b = s.content[i + 1];
    if (b && b !== a && (episode.pairs.get(`${a} ${b}`) ?? 0) >= 2) {
      const label = `${episode.surface.get(a) ?? a} ${episode.surface.get(b) ?? b}`;
      candidates.push({ label, weight: (wa + labelWeight(b)) * 0.75, parts: [a, b] });
    }
  }
  candidates.sort((x, y) => y.weight - x.weight || (x.label < y.label ? -1 : 1));
  const out: string[] = [];
  const used = new Set<string>();
  const top = candidates[0]?.weight ?? 0;
  for (const c of candidates) {
    if (out.length >= 3 || (out.length > 0 && c.weight < top * 0.5)) break;
    if (c.parts.some((p) => used.has(p)) || c.label.length > 30) continue;
    out.push(c.label);
    for (const p of c.parts) used.add(p);
  }
  return out;
}
