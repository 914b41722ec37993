// The local engine: the default with no key, offline, free and deterministic. Extractive: it
// picks the transcript's own sentences that read most like insights (local/score.ts), a diverse
// set spread over the episode (maximal marginal relevance: no two about the same thing), each
// grounded by construction — its quote is the sentence's words, its time the start of the
// segment the sentence begins in — and checked with the grounder all the same.
import type { Insight, InsightsResult, Transcript } from '../types';
import { createGrounder } from './grounding';
import { isNearDuplicate } from './dedupe';
import { insightId } from './ids';
import { guessLang, langOf, lists } from './local/lexicon';
import { scoreEpisode, similarity, topicsOf, type Episode, type Scored } from './local/score';
import { splitSentences } from './local/sentences';
import { EngineError, type EngineCallbacks, type EngineOptions, type InsightEngine } from './types';

export type LocalEngineOptions = {
  /** Insights when the caller names no count: one per this many seconds of audio... Default 240. */
  secondsPerInsight?: number;
  /** ...within these bounds. Default 3 and 8. */
  minCount?: number;
  maxCount?: number;
  /** MMR: relevance against difference from what is already picked, 0–1. Default 0.6. */
  lambda?: number;
};

/** Two sentences this similar (cosine of content words) are about the same thing. */
const SAME_THING = 0.45;
/** Below this score a sentence is picked only to reach the minimum count. */
const WEAK = 0.15;

function aborted(partial: readonly Insight[]): EngineError {
  return new EngineError('aborted', 'Finding insights was stopped.', false, partial);
}

/** The sentence as an insight's text: leading fillers ("So,", "And", "I think") off, capitalised, ended. */
export function cleanSentence(text: string, language?: string): string {
  const lead = lists(langOf(language)).lead;
  let out = text.trim().replace(lead, '').trim();
  if (out.split(/\s+/).length < 3) out = text.trim();
  out = out.replace(/^[.,;:\s–—-]+/, '');
  out = out.charAt(0).toLocaleUpperCase(language) + out.slice(1);
  if (!/[.!?…。？！]["'”’»)\]]*$/u.test(out)) out = `${out.replace(/[,;:\s–—-]+$/, '')}.`;
  return out;
}

/** The episode's length in seconds: the last segment's end (or start). */
function duration(transcript: Transcript): number {
  let end = 0;
  for (const s of transcript.segments) end = Math.max(end, s.end ?? s.start, s.start);
  return end;
}

/**
 * Picks up to `count` sentences by maximal marginal relevance: each pick is the best of
 * λ·score − (1−λ)·(its similarity to the closest pick) − a penalty for sitting close in time
 * to a pick; a sentence about the same thing as a pick (cosine ≥ 0.45) is never picked.
 */
function select(
  episode: Episode,
  count: number,
  seconds: number,
  lambda: number,
  minCount: number,
): Scored[] {
  const pool = episode.sentences
    .filter((s) => !s.excluded)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const maxSim = new Float64Array(pool.length);
  const taken = new Uint8Array(pool.length);
  const picked: Scored[] = [];
  // The spacing a set spread over the episode would have.
  const spacing = seconds / Math.max(1, count);
  while (picked.length < count) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i] || (maxSim[i] as number) >= SAME_THING) continue;
      const s = pool[i] as Scored;
      if (s.score < WEAK && picked.length >= minCount) break; // sorted: none better follow
      let near = 0;
      for (const p of picked) {
        const apart = Math.abs(p.start - s.start);
        if (apart < spacing / 2) near = Math.max(near, 1 - apart / (spacing / 2));
      }
      const value = lambda * s.score - (1 - lambda) * (maxSim[i] as number) - 0.1 * near;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    if (best < 0) break;
    const chosen = pool[best] as Scored;
    taken[best] = 1;
    picked.push(chosen);
    for (let i = 0; i < pool.length; i++) {
      if (!taken[i]) maxSim[i] = Math.max(maxSim[i] as number, similarity(chosen, pool[i] as Scored));
    }
  }
  return picked;
}

/** Importance 1–5 from where a score falls among all the candidate sentences' scores. */
function importanceScale(episode: Episode): (score: number) => Insight['importance'] {
  const scores = episode.sentences
    .filter((s) => !s.excluded)
    .map((s) => s.score)
    .sort((a, b) => a - b);
  return (score) => {
    let below = 0;
    for (const s of scores) if (s < score) below++;
    const q = scores.length > 1 ? below / (scores.length - 1) : 1;
    return q >= 0.99 ? 5 : q >= 0.96 ? 4 : q >= 0.9 ? 3 : q >= 0.75 ? 2 : 1;
  };
}

export function createLocalEngine(engineOptions: LocalEngineOptions = {}): InsightEngine {
  const secondsPerInsight = engineOptions.secondsPerInsight ?? 240;
  const minCount = engineOptions.minCount ?? 3;
  const maxCount = engineOptions.maxCount ?? 8;
  const lambda = engineOptions.lambda ?? 0.6;

  async function extract(
    transcript: Transcript,
    options: EngineOptions = {},
    callbacks: EngineCallbacks = {},
  ): Promise<InsightsResult> {
    const { signal } = options;
    if (signal?.aborted) throw aborted([]);
    const segments = Array.isArray(transcript?.segments) ? transcript.segments : [];
    if (!segments.some((s) => typeof s?.text === 'string' && /[\p{L}\p{N}]/u.test(s.text))) {
      throw new EngineError('empty-transcript', 'The transcript has no text to find insights in.', false);
    }
    const language = transcript.language ?? options.language;
    const seconds = duration(transcript);
    const count = Math.max(
      0,
      Math.floor(
        options.count ?? Math.min(maxCount, Math.max(minCount, Math.round(seconds / secondsPerInsight))),
      ),
    );

    const sentences = splitSentences(transcript, language);
    const lang = guessLang(
      language,
      sentences.map((s) => s.text),
    );
    const episode = scoreEpisode(sentences, lang);
    if (signal?.aborted) throw aborted([]);
    const picked = select(episode, count, seconds, lambda, Math.min(minCount, count));
    const importance = importanceScale(episode);
    const grounder = createGrounder(transcript);

    // Each pick as an insight, grounded on its own words (asserted: a pick that fails is skipped).
    const chosen: Insight[] = [];
    for (const s of picked) {
      const found = grounder.ground(s.text, { from: s.start, to: s.start });
      if (!found.ok || found.segment !== s.segment) continue;
      const insight: Insight = {
        id: insightId(found.quote, found.start),
        text: cleanSentence(s.text, lang === 'other' ? language : lang),
        quote: found.quote,
        start: found.start,
        topics: topicsOf(s, episode),
        importance: importance(s.score),
      };
      if (found.end !== undefined) insight.end = found.end;
      if (grounder.check(insight)) chosen.push(insight);
    }

    // The set does not depend on the position; the order of emission does: what is still to
    // be heard first, each part in the order picked (best first).
    const position = options.position;
    const order =
      position !== undefined && Number.isFinite(position)
        ? [...chosen.filter((i) => i.start >= position), ...chosen.filter((i) => i.start < position)]
        : chosen;
    const known = options.known ?? [];
    const fresh = order.filter((i) => !known.some((k) => k.id === i.id || isNearDuplicate(k, i)));

    const emitted: Insight[] = [];
    callbacks.onProgress?.(0, fresh.length);
    for (const insight of fresh) {
      if (signal?.aborted) throw aborted(emitted);
      callbacks.onInsight?.(insight);
      emitted.push(insight);
      callbacks.onProgress?.(emitted.length, fresh.length);
    }
    return { engine: 'local', insights: [...emitted].sort((a, b) => a.start - b.start) };
  }

  return { id: 'local', extract };
}

/** The local engine with its defaults. */
export const localEngine: InsightEngine = createLocalEngine();
