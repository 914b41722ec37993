// The insight engine interface (issue 4): every engine — Claude, the local extractive one, the
// browser's on-device model — takes a Transcript and emits grounded insights one by one as they
// are ready, then resolves to the whole result with its usage.
import type { Insight, InsightsResult, Transcript } from '../types';

export type EngineId = 'claude' | 'local' | 'on-device';

export type EngineOptions = {
  /** How many insights to aim for (engines may return fewer, never invent more). Default 8. */
  count?: number;
  /** Language to write insight texts in (BCP 47); default: the transcript's. */
  language?: string;
  /** The listener's position in seconds: the part around it is worked on first. */
  position?: number;
  /** Insights already known for this episode (a resumed job): do not emit them again. */
  known?: readonly Insight[];
  /**
   * Parts of this transcript an earlier run of the same engine finished (a resumed job), by their
   * index in time order, of how many parts it cut the transcript into: not asked for again.
   */
  done?: { parts: readonly number[]; of: number };
  signal?: AbortSignal;
};

export type EngineCallbacks = {
  /** Called once per grounded insight, as soon as it is ready. */
  onInsight?: (insight: Insight) => void;
  /** Work done so far, e.g. windows processed of windows in all. */
  onProgress?: (done: number, total: number) => void;
  /** A part of the transcript is finished (its index in time order, of how many): a resumed run skips it. */
  onPartDone?: (index: number, of: number) => void;
  /**
   * Money spent, US dollars, told as it becomes known (a request's input when it starts, the rest
   * when it ends): what a stopped worker had been charged is counted. Adds up to `usage.costUsd`.
   */
  onSpend?: (usd: number) => void;
};

export interface InsightEngine {
  readonly id: EngineId;
  /** Resolves with every emitted insight and the usage; rejects with an EngineError. */
  extract(
    transcript: Transcript,
    options?: EngineOptions,
    callbacks?: EngineCallbacks,
  ): Promise<InsightsResult>;
}

export type EngineErrorCode =
  | 'bad-key'
  | 'browser-access-disabled'
  | 'permission'
  | 'model-not-found'
  | 'too-large'
  | 'rate-limited'
  | 'spend-limit'
  | 'overloaded'
  | 'server'
  | 'offline'
  | 'timeout'
  | 'stream-interrupted'
  | 'budget'
  | 'bad-output'
  | 'empty-transcript'
  | 'aborted';

/** Every engine failure, with words a listener can act on. `retry`: whether trying later helps. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly retry: boolean,
    /** Insights already grounded before the failure (kept, never thrown away). */
    readonly partial: readonly Insight[] = [],
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
