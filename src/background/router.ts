// The one router of messages to the background. For each message it: looks up the declaration
// in the contract (src/messages-background.ts), checks the sender's context, validates the payload with the
// declared schema, and only then calls the handler. Every outcome is a Reply: nothing a page
// sends reaches a handler (or storage) unvalidated, and no failure is silent.
import * as v from 'valibot';
import { toBackground } from '../messages-background';
import {
  type BackgroundRequest,
  type BackgroundResponse,
  type BackgroundType,
  type Reply,
  type SenderKind,
} from '../messages';

/** What the router needs to know of a sender (a subset of runtime.MessageSender). */
export type Sender = { id?: string; url?: string; tab?: { id?: number }; frameId?: number };

/** A handler gets the validated payload and the sender's tab (for content messages). */
export type Handlers = {
  [K in BackgroundType]: (
    payload: BackgroundRequest<K>,
    ctx: { tabId?: number },
  ) => Promise<BackgroundResponse<K>>;
};

export type RouterOptions = { extensionId: string; extensionOrigin: string };

/** Which context sent a message, or null when it is none we accept. */
export function senderKind(
  sender: Sender,
  { extensionId, extensionOrigin }: RouterOptions,
): SenderKind | null {
  if (sender.id !== extensionId || !sender.url) return null;
  if (sender.url.startsWith(extensionOrigin)) return 'ui';
  // Content scripts run only in the top frame of http(s) pages.
  if (
    sender.tab?.id !== undefined &&
    sender.tab.id >= 0 &&
    sender.frameId === 0 &&
    /^https?:/.test(sender.url)
  )
    return 'content';
  return null;
}

const EnvelopeSchema = v.object({ type: v.string(), payload: v.unknown() });

export function createRouter(handlers: Handlers, options: RouterOptions) {
  return async function route(message: unknown, sender: Sender): Promise<Reply<unknown>> {
    const envelope = v.safeParse(EnvelopeSchema, message);
    if (!envelope.success) return fail('invalid-message', 'A message must be { type, payload }.');
    const type = envelope.output.type;
    if (!Object.hasOwn(toBackground, type))
      return fail('unknown-type', `No such message: ${type.slice(0, 60)}`);
    const declaration = toBackground[type as BackgroundType];
    const kind = senderKind(sender, options);
    if (kind !== declaration.from)
      return fail('forbidden-sender', `${type} is not accepted from this sender.`);
    const payload = v.safeParse(declaration.request, envelope.output.payload);
    if (!payload.success) return fail('invalid-message', `${type}: ${describeIssues(payload.issues)}`);
    try {
      const handler = handlers[type as BackgroundType] as (
        p: unknown,
        ctx: { tabId?: number },
      ) => Promise<unknown>;
      const ctx = kind === 'content' && sender.tab?.id !== undefined ? { tabId: sender.tab.id } : {};
      return { ok: true, value: await handler(payload.output, ctx) };
    } catch (error) {
      return fail('failed', error instanceof Error ? error.message : String(error));
    }
  };
}

function fail(code: Extract<Reply<unknown>, { ok: false }>['error']['code'], message: string): Reply<never> {
  return { ok: false, error: { code, message } };
}

/** A short, readable summary of what failed validation ("hint.title: Invalid length"). */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path?.map((p) => String(p.key)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
