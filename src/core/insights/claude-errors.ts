// Every way a Claude request can fail, turned into one EngineError code with words a listener
// can act on (issue 4: "errors in plain words, each distinct"). The SDK gives us its APIError
// (HTTP status, the body's `error.type`, `error.message`, `error.details.error_code`, headers),
// APIConnectionError / APIConnectionTimeoutError, or whatever fetch threw while the stream was
// read; claude-stream.ts adds whether our own idle timer or the caller's signal stopped it.
//
// The API's wording is matched only where no status or type tells two causes apart: a 401/403
// that is about browser (CORS) access, a 400/429 that is a spend limit rather than a rate limit.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk/core/error';
import type { Insight } from '../types';
import { DEFAULT_MODEL } from './prices';
import { EngineError, type EngineErrorCode } from './types';

/** An EngineError from the Claude engine, with what the API said when it said it. */
export class ClaudeEngineError extends EngineError {
  constructor(
    code: EngineErrorCode,
    message: string,
    retry: boolean,
    partial: readonly Insight[] = [],
    readonly details: {
      /** Seconds the API asked us to wait (`retry-after`). */
      retryAfterSeconds?: number;
      status?: number;
      requestId?: string;
      /** US dollars this extraction spent before it failed (for a daily budget). */
      spentUsd?: number;
    } = {},
  ) {
    super(code, message, retry, partial);
  }

  /** The same error, carrying the insights grounded so far. */
  withPartial(partial: readonly Insight[]): ClaudeEngineError {
    return new ClaudeEngineError(this.code, this.message, this.retry, partial, this.details);
  }

  /** The same error, saying what was spent before it. */
  withSpent(spentUsd: number): ClaudeEngineError {
    return new ClaudeEngineError(this.code, this.message, this.retry, this.partial, {
      ...this.details,
      spentUsd,
    });
  }
}

export type FailureContext = {
  model: string;
  /** Insights grounded before the failure (all windows so far). */
  partial?: readonly Insight[];
  /** How many insights the caller already had (a resumed job's): kept too, so counted as kept. */
  known?: number;
  /** Whether the response had started streaming (headers received). */
  streaming?: boolean;
  /** Our idle timer stopped the request. */
  timedOut?: boolean;
  /** The caller's signal stopped it. */
  aborted?: boolean;
  /** The stream ended without its last event (a closed connection, a proxy giving up). */
  incomplete?: boolean;
  timeoutMs?: number;
};

/** Spend limits the API names in `error.details.error_code` (SDK 1.14). */
const SPEND_CODES = new Set([
  'enforced_spend_limit_reached',
  'contract_spend_limit_reached',
  'linked_organization_spend_limit_reached',
]);

/** "…not allowed for this Organization…" / "CORS requests must set 'anthropic-dangerous-direct-browser-access'…". */
const BROWSER_ACCESS = /CORS|dangerous-direct-browser-access|browser/i;
/** "You have reached your specified API usage limits…", "Your credit balance is too low…". */
const SPEND_LIMIT = /spend(ing)? limit|usage limit|credit balance|out of credit|billing/i;
const TOO_LONG =
  /prompt is too long|too many (input )?tokens|request too large|exceeds? the (maximum|context)/i;

export function classifyClaudeError(error: unknown, ctx: FailureContext): ClaudeEngineError {
  const partial = ctx.partial ?? [];
  if (error instanceof ClaudeEngineError) return error.withPartial(partial);
  if (error instanceof EngineError)
    return new ClaudeEngineError(error.code, error.message, error.retry, partial);
  const kept = keptNote(partial.length + (ctx.known ?? 0));
  const make = (
    code: EngineErrorCode,
    message: string,
    retry: boolean,
    details: ClaudeEngineError['details'] = {},
  ) => new ClaudeEngineError(code, message, retry, partial, details);

  if (ctx.timedOut || error instanceof APIConnectionTimeoutError) {
    const seconds = ctx.timeoutMs ? ` within ${formatWait(ctx.timeoutMs / 1000)}` : ' in time';
    return make('timeout', `Claude did not answer${seconds}.${kept} Try again later.`, true);
  }
  if (ctx.aborted || error instanceof APIUserAbortError) return make('aborted', `Stopped.${kept}`, true);

  if (error instanceof APIError && error.status === undefined && !(error instanceof APIConnectionError)) {
    // An `event: error` in the middle of a stream (the body says what kind).
    const what = error.type === 'overloaded_error' ? 'Claude became overloaded' : 'Claude reported an error';
    return make(
      'stream-interrupted',
      `The answer stopped midway: ${what} while writing it.${kept || ' Nothing was kept.'} Try again for the rest.`,
      true,
      requestIdOf(error),
    );
  }
  if (
    ctx.incomplete ||
    error instanceof APIConnectionError ||
    (!(error instanceof APIError) && isNetworkError(error))
  ) {
    if (ctx.streaming || ctx.incomplete)
      return make(
        'stream-interrupted',
        `The connection to Claude was cut while the answer was arriving.${kept || ' Nothing was kept.'} Try again for the rest.`,
        true,
      );
    return make(
      'offline',
      'Could not reach the Claude API. Check your internet connection, then try again.',
      true,
    );
  }
  if (!(error instanceof APIError)) {
    const message = error instanceof Error ? error.message : String(error);
    return make('bad-output', `Claude's answer could not be read (${message}).${kept}`, true);
  }

  const status = error.status ?? 0;
  const apiMessage = error.apiMessage ?? '';
  const details = { status, ...requestIdOf(error) };
  const spend =
    (error.errorCode !== null && SPEND_CODES.has(error.errorCode)) ||
    error.type === 'billing_error' ||
    status === 402 ||
    ((status === 400 || status === 429) && SPEND_LIMIT.test(apiMessage));

  if ((status === 401 || status === 403) && BROWSER_ACCESS.test(apiMessage))
    return make(
      'browser-access-disabled',
      'Your Anthropic key works, but its organisation does not allow requests from a browser. ' +
        'Ask the organisation’s admin (or Anthropic support) to allow browser access, or use a key from another organisation.',
      false,
      details,
    );
  if (status === 401)
    return make(
      'bad-key',
      'Your Anthropic API key was not accepted. Check the key in Earmark’s options (it starts with "sk-ant-").',
      false,
      details,
    );
  if (spend)
    return make(
      'spend-limit',
      'Your Anthropic account has reached its spend limit or is out of credit. ' +
        `Nothing more is sent until the limit is raised or credit added in the Claude Console.${untilNote(apiMessage)}`,
      false,
      details,
    );
  if (status === 403)
    return make(
      'permission',
      'Your Anthropic key is not allowed to use this model or feature. ' +
        'Choose another model in Earmark’s options, or use a key whose workspace may use it.',
      false,
      details,
    );
  if (
    status === 404 ||
    (status === 400 && /model/i.test(apiMessage) && /not (found|exist)|retired/i.test(apiMessage))
  ) {
    // The API names the model ("model: claude-…"); a 404 without it is a wrong address.
    if (status === 404 && !/model/i.test(apiMessage))
      return make(
        'server',
        `The Claude API address answered 404 (not found). Check the API address.`,
        false,
        details,
      );
    const offer =
      ctx.model === DEFAULT_MODEL
        ? ' Earmark needs an update for a current model.'
        : ` Choose another model in Earmark’s options, such as the default, ${DEFAULT_MODEL}.`;
    return make(
      'model-not-found',
      `The model "${ctx.model}" was not found or has been retired.${offer}`,
      false,
      {
        ...details,
      },
    );
  }
  if (status === 413 || (status === 400 && TOO_LONG.test(apiMessage)))
    return make(
      'too-large',
      'This part of the transcript is too large for one request to Claude.',
      false,
      details,
    );
  if (status === 429) {
    const after = retryAfterSeconds(error.headers);
    const when = after !== undefined ? `in about ${formatWait(after)}` : 'in a minute or two';
    return make(
      'rate-limited',
      `Claude is limiting how fast your key can send requests. Try again ${when}.${kept}`,
      true,
      { ...details, ...(after !== undefined ? { retryAfterSeconds: after } : {}) },
    );
  }
  if (status === 529 || error.type === 'overloaded_error') {
    const after = retryAfterSeconds(error.headers);
    return make('overloaded', `Claude is overloaded right now. Try again in a few minutes.${kept}`, true, {
      ...details,
      ...(after !== undefined ? { retryAfterSeconds: after } : {}),
    });
  }
  if (status === 408 || status === 504)
    return make('timeout', `The Claude API timed out (${status}).${kept} Try again later.`, true, details);
  if (status >= 500)
    return make(
      'server',
      `The Claude API had an internal error (${status}).${kept} Try again later.`,
      true,
      details,
    );
  return make(
    'server',
    `The Claude API refused the request (${status}${apiMessage ? `: ${oneLine(apiMessage)}` : ''}).`,
    false,
    details,
  );
}

/** Seconds from `retry-after` (seconds or an HTTP date) or `retry-after-ms`. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

function formatWait(seconds: number): string {
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

function keptNote(count: number): string {
  if (count === 0) return '';
  return count === 1
    ? ' The insight already found is kept.'
    : ` The ${count} insights already found are kept.`;
}

/** "You will regain access on 2026-04-01 at 00:00 UTC." is worth passing on. */
function untilNote(apiMessage: string): string {
  const m = /regain access on ([^.]+)/i.exec(apiMessage);
  return m ? ` Access returns on ${m[1]}.` : '';
}

function requestIdOf(error: APIError): { requestId?: string } {
  return error.requestID ? { requestId: error.requestID } : {};
}

/** What fetch throws when a connection fails or is cut (undici: "terminated", "fetch failed"). */
function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return (
    error.name === 'TypeError' ||
    /terminated|network|socket|ECONN|EPIPE|closed/i.test(error.message) ||
    typeof cause?.code === 'string'
  );
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 200);
