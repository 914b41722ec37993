// One streamed Messages request: sends it, reads the SSE events as they arrive, hands out each
// element of the answer's `insights` array the moment its JSON closes (partial-json.ts), and
// returns the usage. It reads `text_delta` of text blocks (the `output_config.format` answer)
// and `input_json_delta` of tool_use blocks alike; thinking blocks are skipped.
//
// Timeouts: the SDK's `timeout` only covers the wait for the response headers, so an idle timer
// here also stops a stream that goes quiet (no event for `idleTimeoutMs`). Note the SDK's stream
// iterator ends quietly, without an error, when its request is aborted: whether the stream really
// finished is told by `message_stop`, not by the loop ending.
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ClaudeClient } from './claude-client';
import { readArrayElements } from './partial-json';

export type StreamUsage = {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
};

export type StreamResult = {
  usage: StreamUsage;
  stopReason: string | null;
  /** Elements completed (parsed or not). */
  elements: number;
};

/** A stream that ended (or was closed) before its `message_stop`. */
export class IncompleteStream extends Error {
  override name = 'IncompleteStream';
}

/** Why a stream failed, with what the error classifier needs to know about it. */
export class StreamFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly state: { streaming: boolean; timedOut: boolean; aborted: boolean; usage: StreamUsage },
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'StreamFailure';
  }
}

export type StreamOptions = {
  signal?: AbortSignal;
  /** Longest silence allowed (before the headers and between events), ms. */
  idleTimeoutMs: number;
  /** Each array element as it completes (`undefined` for one that is not valid JSON). */
  onElement: (element: unknown) => void;
  /** The usage `message_start` tells (the input, charged from then on, even if the stream is cut). */
  onStart?: (usage: StreamUsage) => void;
};

export async function streamInsights(
  client: ClaudeClient,
  params: MessageCreateParamsStreaming,
  { signal, idleTimeoutMs, onElement, onStart }: StreamOptions,
): Promise<StreamResult> {
  const usage: StreamUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const controller = new AbortController();
  let timedOut = false;
  let streaming = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, idleTimeoutMs);
  };
  const stop = (): void => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', stop, { once: true });

  const reader = readArrayElements('insights');
  const jsonBlocks = new Set<number>();
  let stopReason: string | null = null;
  let finished = false;
  /** Characters of content that arrived, and whether the API said how many tokens it wrote. */
  let streamedChars = 0;
  let outputReported = false;
  const fail = (error: unknown): StreamFailure => {
    // The output is counted only in the closing message_delta, yet a stream cut before it is
    // billed for what was written: count at least what arrived (~4 characters a token).
    if (!outputReported) usage.outputTokens = Math.max(usage.outputTokens, Math.ceil(streamedChars / 4));
    return new StreamFailure(error, { streaming, timedOut, aborted: signal?.aborted ?? false, usage });
  };
  // An error thrown by the caller's own callback is theirs, not the stream's: it goes up as it is.
  let callbackError: { error: unknown } | undefined;
  const deliver = (element: unknown): void => {
    if (callbackError) return;
    try {
      onElement(element);
    } catch (error) {
      callbackError = { error };
      controller.abort();
    }
  };

  try {
    arm();
    const stream = await client.messages.create(params, { signal: controller.signal });
    streaming = true;
    arm();
    for await (const event of stream) {
      arm();
      switch (event.type) {
        case 'message_start': {
          const u = event.message.usage;
          usage.inputTokens = u.input_tokens ?? 0;
          usage.cacheReadTokens = u.cache_read_input_tokens ?? 0;
          usage.cacheWriteTokens = u.cache_creation_input_tokens ?? 0;
          usage.outputTokens = u.output_tokens ?? 0;
          onStart?.({ ...usage });
          break;
        }
        case 'content_block_start':
          if (event.content_block.type === 'text' || event.content_block.type === 'tool_use')
            jsonBlocks.add(event.index);
          break;
        case 'content_block_delta': {
          const d = event.delta;
          streamedChars +=
            d.type === 'text_delta'
              ? d.text.length
              : d.type === 'input_json_delta'
                ? d.partial_json.length
                : d.type === 'thinking_delta'
                  ? d.thinking.length
                  : 0;
          if (!jsonBlocks.has(event.index)) break;
          const chunk =
            d.type === 'text_delta' ? d.text : d.type === 'input_json_delta' ? d.partial_json : '';
          if (chunk) for (const element of reader.push(chunk)) deliver(element);
          break;
        }
        case 'message_delta': {
          stopReason = event.delta.stop_reason ?? null;
          const u = event.usage;
          if (typeof u.output_tokens === 'number') {
            usage.outputTokens = u.output_tokens;
            outputReported = true;
          }
          if (typeof u.input_tokens === 'number') usage.inputTokens = u.input_tokens;
          if (typeof u.cache_read_input_tokens === 'number')
            usage.cacheReadTokens = u.cache_read_input_tokens;
          if (typeof u.cache_creation_input_tokens === 'number')
            usage.cacheWriteTokens = u.cache_creation_input_tokens;
          break;
        }
        case 'message_stop':
          finished = true;
          break;
        default:
          break;
      }
    }
  } catch (error) {
    if (callbackError) throw callbackError.error;
    throw fail(error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
  if (callbackError) throw callbackError.error;
  // The SDK ends the loop without an error when the request was aborted (our timer, the caller).
  if (!finished) throw fail(new IncompleteStream('the stream ended before message_stop'));
  return { usage, stopReason, elements: reader.count };
}
