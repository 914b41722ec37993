// The Claude insight engine (issue 4, part 2). For a transcript it:
// 1. builds the compact transcript (paragraphs with ids) and cuts it into windows of about 12k
//    prompt tokens that cover it all, the window at the listener's position first;
// 2. for each window, checks the budget, then streams one Messages request (prompt.ts) and reads
//    the answer's insights one by one as their JSON closes (claude-stream.ts);
// 3. checks each against the schema, grounds its quote in the transcript (the code, not the
//    model, sets the time: grounding.ts), drops what does not ground (counted in `dropped`),
//    skips near-duplicates of what is known or already found, and emits the rest at once;
// 4. sums usage and cost over the windows (prices.ts).
// Failures become EngineErrors in plain words (claude-errors.ts) carrying every insight already
// grounded. An overloaded, failing or rate-limited API is retried a couple of times before
// anything of that window was streamed; the rest is left to the listener's "Try again" (nothing
// retries a failed job by itself; it keeps what it found).
import * as v from 'valibot';
import type { Insight, InsightsResult, Transcript } from '../types';
import { createClaudeClient } from './claude-client';
import { ClaudeEngineError, classifyClaudeError } from './claude-errors';
import { IncompleteStream, StreamFailure, streamInsights, type StreamUsage } from './claude-stream';
import { compactTranscript, estimateTokens, type Paragraph } from './compact';
import { isNearDuplicate } from './dedupe';
import { createGrounder, foldForMatch, type Grounder } from './grounding';
import { insightId } from './ids';
import { costUsd, DEFAULT_MODEL, priceOf, PRICES, type TokenUsage } from './prices';
import {
  buildRequest,
  instructions,
  INSTRUCTION_LIKE,
  SYSTEM_PROMPT,
  transcriptBlock,
  WEB_ADDRESS,
  WireInsight,
} from './prompt';
import type { EngineCallbacks, EngineOptions, InsightEngine } from './types';
import { planWindows, type Window } from './windows';

export type ClaudeEngineOptions = {
  apiKey: string;
  /** The Messages API's address (tests: the local server). Default: https://api.anthropic.com. */
  baseURL?: string;
  /** Model id; default DEFAULT_MODEL (prices.ts). */
  model?: string;
  fetch?: typeof fetch;
  /** What may still be spent today, in US dollars, as of this extraction's start. */
  budget?: { remainingUsd: number };
  /** Longest wait for an answer to start, and longest silence within it, ms. Default 60 s. */
  timeoutMs?: number;
  /** Prompt tokens of transcript per window. Default 12,000. */
  windowTokens?: number;
  /** Retries of an overloaded / failing / rate-limited request before it streamed. Default 2. */
  retries?: number;
  /** First retry delay, ms (doubles each time). Default 2,000. */
  retryDelayMs?: number;
  /** A `retry-after` longer than this (seconds) is not waited for here: the error goes up. */
  maxRetryAfterSeconds?: number;
};

/** The engine's result: the contract's InsightsResult plus the answers it could not ground. */
export type ClaudeResult = InsightsResult & {
  /** Insights the model gave that failed the schema or whose quote was not in the transcript. */
  dropped: number;
};

export interface ClaudeEngine extends InsightEngine {
  readonly model: string;
  extract(
    transcript: Transcript,
    options?: EngineOptions,
    callbacks?: EngineCallbacks,
  ): Promise<ClaudeResult>;
}

export const WINDOW_TOKENS = 12_000;
const DEFAULT_COUNT = 8;
/** Output tokens expected per insight asked for (JSON with quote and text), for the estimate. */
const OUTPUT_TOKENS_PER_INSIGHT = 150;
/** Output tokens expected besides the insights (adaptive thinking, the JSON frame). */
const OUTPUT_TOKENS_OVERHEAD = 600;
/** Known insights within this many seconds of a window are named in its request. */
const KNOWN_MARGIN_SECONDS = 60;

export function createClaudeEngine(config: ClaudeEngineOptions): ClaudeEngine {
  const model = config.model?.trim() || DEFAULT_MODEL;
  const timeoutMs = config.timeoutMs ?? 60_000;
  const client = createClaudeClient({
    apiKey: config.apiKey,
    timeoutMs,
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });

  async function extract(
    transcript: Transcript,
    options: EngineOptions = {},
    callbacks: EngineCallbacks = {},
  ): Promise<ClaudeResult> {
    const paragraphs = compactTranscript(transcript);
    if (paragraphs.length === 0)
      throw new ClaudeEngineError(
        'empty-transcript',
        'The transcript has no words to find insights in.',
        false,
      );
    const windows = planWindows(paragraphs, {
      maxTokens: config.windowTokens ?? WINDOW_TOKENS,
      ...(options.position !== undefined ? { position: options.position } : {}),
    });
    const shares = shareOut(options.count ?? DEFAULT_COUNT, windows);
    const grounder = createGrounder(transcript);
    const known = options.known ?? [];
    const language = options.language ?? transcript.language;
    const emitted: Insight[] = [];
    const total: StreamUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    let spent = 0;
    let dropped = 0;

    /** Each request is priced on its own (Haiku 5.5's rates depend on one prompt's length). */
    const price = (usage: StreamUsage): number => costUsd(model, toTokenUsage(usage)) ?? 0;
    /** What the current request's start already told `onSpend`. */
    let told = 0;
    const accountStart = (usage: StreamUsage): void => {
      told = price(usage);
      if (told > 0) callbacks.onSpend?.(told);
    };
    const account = (usage: StreamUsage): void => {
      add(total, usage);
      const usd = price(usage);
      spent += usd;
      if (usd > told) callbacks.onSpend?.(usd - told);
      told = 0;
    };

    // Parts a stopped or failed run finished are not paid for twice (same cut: same count).
    const finished = new Set(options.done?.of === windows.length ? options.done.parts : []);
    callbacks.onProgress?.(0, windows.length);
    try {
      for (const [n, window] of windows.entries()) {
        if (finished.has(window.index)) {
          callbacks.onProgress?.(n + 1, windows.length);
          continue;
        }
        if (options.signal?.aborted)
          throw classifyClaudeError(undefined, {
            model,
            aborted: true,
            partial: sorted(emitted),
            known: known.length,
          });
        const count = shares[n] as number;
        const knownHere = [...known, ...emitted].filter(
          (k) => k.start >= window.from - KNOWN_MARGIN_SECONDS && k.start <= window.to + KNOWN_MARGIN_SECONDS,
        );
        const request = {
          model,
          paragraphs: window.paragraphs,
          count,
          ...(language ? { language } : {}),
          known: knownHere,
        };

        if (config.budget) {
          const estimate = estimateCost(model, request);
          const left = config.budget.remainingUsd - spent;
          const kept = known.length + emitted.length;
          if (estimate > left)
            throw new ClaudeEngineError(
              'budget',
              `Today's Claude budget is used up: $${money(Math.max(0, left))} left, and the next part of this ` +
                `episode would cost about $${money(estimate)}.${kept > 0 ? ` The ${kept} insights found so far are kept.` : ''} ` +
                'Raise the daily budget in the options, or continue tomorrow.',
              false,
              sorted(emitted),
            );
        }

        const byId = new Map(window.paragraphs.map((p) => [p.id, p]));
        let accepted = 0;
        const onElement = (element: unknown): void => {
          if (accepted >= count) return; // more than asked: not ours to keep
          const insight = toInsight(element, byId, paragraphs, grounder);
          if (!insight) {
            dropped++;
            return;
          }
          if ([...known, ...emitted].some((k) => isNearDuplicate(k, insight))) return;
          accepted++;
          emitted.push(insight);
          callbacks.onInsight?.(insight);
        };

        await runWindow(
          buildRequest(request),
          account,
          accountStart,
          onElement,
          () => accepted > 0,
          options.signal,
          emitted,
          known.length,
        );
        callbacks.onPartDone?.(window.index, windows.length);
        callbacks.onProgress?.(n + 1, windows.length);
      }
    } catch (error) {
      if (error instanceof ClaudeEngineError) throw error.withSpent(round6(spent));
      throw error;
    }

    const priced = priceOf(model) !== undefined;
    return {
      engine: 'claude',
      model,
      insights: sorted(emitted),
      usage: {
        // Every input token not read from the cache (the API counts cache writes apart).
        inputTokens: total.inputTokens + total.cacheWriteTokens,
        outputTokens: total.outputTokens,
        cacheReadTokens: total.cacheReadTokens,
        ...(priced ? { costUsd: round6(spent) } : {}),
      },
      dropped,
    };
  }

  /**
   * One window's request, retried while nothing of it was kept; `account` gets every attempt's
   * usage, `accountStart` what each one's start tells.
   */
  async function runWindow(
    params: ReturnType<typeof buildRequest>,
    account: (usage: StreamUsage) => void,
    accountStart: (usage: StreamUsage) => void,
    onElement: (element: unknown) => void,
    keptSome: () => boolean,
    signal: AbortSignal | undefined,
    emitted: Insight[],
    known: number,
  ): Promise<void> {
    const retries = config.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await streamInsights(client, params, {
          idleTimeoutMs: timeoutMs,
          onElement,
          onStart: accountStart,
          ...(signal ? { signal } : {}),
        });
        account(result.usage);
        return;
      } catch (failure) {
        if (!(failure instanceof StreamFailure)) throw failure;
        account(failure.state.usage);
        const error = classifyClaudeError(failure.error, {
          model,
          partial: sorted(emitted),
          known,
          streaming: failure.state.streaming,
          timedOut: failure.state.timedOut,
          aborted: failure.state.aborted,
          incomplete: failure.error instanceof IncompleteStream,
          timeoutMs,
        });
        const wait = retryWait(error, attempt);
        if (attempt >= retries || keptSome() || wait === undefined) throw error;
        await sleep(wait, signal);
      }
    }
  }

  /** How long to wait before retrying `error`, or undefined when it is not retried here. */
  function retryWait(error: ClaudeEngineError, attempt: number): number | undefined {
    if (!['overloaded', 'server', 'rate-limited'].includes(error.code) || !error.retry) return undefined;
    const after = error.details.retryAfterSeconds;
    if (after !== undefined) return after <= (config.maxRetryAfterSeconds ?? 20) ? after * 1000 : undefined;
    return (config.retryDelayMs ?? 2000) * 2 ** attempt;
  }

  return { id: 'claude', model, extract };
}

/** A model's element as a grounded Insight, or undefined (bad shape, quote not found). */
function toInsight(
  element: unknown,
  byId: ReadonlyMap<string, Paragraph>,
  all: readonly Paragraph[],
  grounder: Grounder,
): Insight | undefined {
  const parsed = v.safeParse(WireInsight, element);
  if (!parsed.success) return undefined;
  const wire = parsed.output;
  // A quote that is an instruction to the model is a planted line, not an insight (even though
  // it is in the transcript, so it would ground); so is a text that says one.
  if (INSTRUCTION_LIKE.test(wire.quote) || INSTRUCTION_LIKE.test(wire.text)) return undefined;
  // A web address the speaker's words do not contain was not said: an injected "visit …".
  const quote = foldForMatch(wire.quote);
  for (const address of wire.text.match(WEB_ADDRESS) ?? [])
    if (!quote.includes(foldForMatch(address))) return undefined;
  // The cited paragraph (this window's, else anywhere in the episode) is where to look first.
  const cited = byId.get(wire.paragraph) ?? all.find((p) => p.id === wire.paragraph);
  const near = cited ? { from: cited.start, to: cited.end ?? cited.start } : undefined;
  const found = grounder.ground(wire.quote, near);
  if (!found.ok) return undefined;
  const insight: Insight = {
    id: insightId(found.quote, found.start),
    text: wire.text,
    quote: found.quote,
    start: found.start,
    ...(found.end !== undefined ? { end: found.end } : {}),
    topics: wire.topics,
    importance: wire.importance,
  };
  return grounder.check(insight) ? insight : undefined;
}

/**
 * How many insights to ask of each window: `count` shared in proportion to the windows' sizes
 * (largest remainders, so the shares add up to `count`), at least 1 each.
 */
export function shareOut(count: number, windows: readonly Window[]): number[] {
  const sizes = windows.map((w) => w.paragraphs.reduce((n, p) => n + p.text.length, 0));
  const all = sizes.reduce((a, b) => a + b, 0) || 1;
  const exact = sizes.map((s) => (Math.max(1, count) * s) / all);
  const shares = exact.map(Math.floor);
  let left = Math.max(1, count) - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    shares[i] = (shares[i] as number) + 1;
    left--;
  }
  return shares.map((s) => Math.max(1, s));
}

/** The likely cost of one window's request, US dollars (the transcript block priced as a cache write). */
export function estimateCost(
  model: string,
  request: Parameters<typeof instructions>[0] & { paragraphs: readonly Paragraph[] },
): number {
  const usage: TokenUsage = {
    inputTokens: estimateTokens(SYSTEM_PROMPT) + estimateTokens(instructions(request)),
    cacheWriteTokens: estimateTokens(transcriptBlock(request.paragraphs)),
    outputTokens: OUTPUT_TOKENS_OVERHEAD + request.count * OUTPUT_TOKENS_PER_INSIGHT,
  };
  // A model missing from the price table is estimated at the dearest price known.
  return costUsd(model, usage) ?? Math.max(...Object.keys(PRICES).map((m) => costUsd(m, usage) ?? 0));
}

function toTokenUsage(u: StreamUsage): TokenUsage {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheReadTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
  };
}

function add(sum: StreamUsage, u: StreamUsage): void {
  sum.inputTokens += u.inputTokens;
  sum.outputTokens += u.outputTokens;
  sum.cacheReadTokens += u.cacheReadTokens;
  sum.cacheWriteTokens += u.cacheWriteTokens;
}

const sorted = (insights: readonly Insight[]): Insight[] => [...insights].sort((a, b) => a.start - b.start);
const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
const money = (n: number): string => (n < 0.01 ? n.toFixed(4) : n.toFixed(2));

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
