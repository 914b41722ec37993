// Typed senders over the contract in messages.ts, for content scripts and UI pages. Each call
// resolves to the handler's value or throws a MessageError with the router's code and words.
// They use the browser's own extension API, not webextension-polyfill: in Manifest V3 both
// Chrome's `chrome` and Firefox's `browser` return promises for these calls, and content scripts,
// which load into every player page, are spared the polyfill's weight.
import type {
  BackgroundRequest,
  BackgroundResponse,
  BackgroundType,
  ContentRequest,
  ContentResponse,
  ContentType,
  ErrorCode,
  Reply,
} from './messages';

/** The extension API of this browser: Firefox's `browser`, else Chrome's `chrome`. */
export function extensionApi(): typeof chrome {
  return (globalThis as { browser?: typeof chrome }).browser ?? chrome;
}

export class MessageError extends Error {
  constructor(
    readonly code: ErrorCode | 'no-answer',
    message: string,
  ) {
    super(message);
    this.name = 'MessageError';
  }
}

/** A raw reply from the router, as its value or a MessageError. */
export function unwrap<T>(reply: unknown): T {
  const r = reply as Reply<T> | undefined;
  if (!r || typeof r !== 'object' || !('ok' in r))
    throw new MessageError('no-answer', 'Earmark’s background did not answer.');
  if (!r.ok) throw new MessageError(r.error.code, r.error.message);
  return r.value;
}

export async function sendToBackground<K extends BackgroundType>(
  type: K,
  payload: BackgroundRequest<K>,
): Promise<BackgroundResponse<K>> {
  let reply: unknown;
  try {
    reply = await extensionApi().runtime.sendMessage({ type, payload });
  } catch (error) {
    throw new MessageError('no-answer', `Earmark’s background did not answer: ${(error as Error).message}`);
  }
  return unwrap<BackgroundResponse<K>>(reply);
}

/** Sends to a tab's content script; rejects with 'no-answer' when none runs there. */
export async function sendToTab<K extends ContentType>(
  tabId: number,
  type: K,
  payload: ContentRequest<K>,
): Promise<ContentResponse<K>> {
  let reply: unknown;
  try {
    reply = await extensionApi().tabs.sendMessage(tabId, { type, payload });
  } catch (error) {
    throw new MessageError(
      'no-answer',
      `No Earmark content script answers in this tab: ${(error as Error).message}`,
    );
  }
  return unwrap<ContentResponse<K>>(reply);
}
