// Every message schema (src/messages.ts, src/messages-background.ts) under fuzzing, through the
// background's router so that the whole path runs (envelope, type lookup, sender check, payload
// schema, dispatch): a valid message of each type mutated as a JSON value, forged envelopes and
// values of any shape, from right, wrong and made-up senders. The router always answers with a
// Reply and never throws; a handler runs only for a payload its schema accepts from the context
// the message is declared for, and gets the validated payload; a handler's own failure comes back
// as 'failed'. The content scripts' and the popup port's schemas are fuzzed with valibot directly.
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, it } from 'vitest';
import { createRouter, senderKind, type Handlers, type Sender } from '../../src/background/router';
import { toBackground } from '../../src/messages-background';
import {
  PopupPortRequestSchema,
  toContent,
  type BackgroundType,
  type ErrorCode,
  type Reply,
} from '../../src/messages';
import { jsonMutant, weird } from './json-mutate';
import { CONTENT_SAMPLES, SAMPLES } from './message-samples';
import { attempt, attemptAsync, params, Tally, tally, TIMEOUT, typedBy } from './runs';

const TYPES = Object.keys(SAMPLES) as BackgroundType[];

const options = { extensionId: 'abc', extensionOrigin: 'chrome-extension://abc/' };
const SENDERS: Sender[] = [
  { id: 'abc', url: 'https://overcast.fm/+x', tab: { id: 3 }, frameId: 0 }, // a content script
  { id: 'abc', url: 'chrome-extension://abc/src/ui/popup/index.html' }, // the popup
  { id: 'abc', url: 'chrome-extension://abc/src/ui/library/index.html', tab: { id: 9 }, frameId: 0 },
  { id: 'abc', url: 'https://overcast.fm/+x', tab: { id: 3 }, frameId: 1 }, // a subframe
  { id: 'evil', url: 'https://overcast.fm/+x', tab: { id: 3 }, frameId: 0 }, // another extension
  { id: 'abc', url: 'chrome-extension://abcd/x.html' }, // a look-alike origin
  { id: 'abc', url: 'file:///tmp/x.html', tab: { id: 3 }, frameId: 0 },
  { id: 'abc', url: 'https://overcast.fm/', tab: { id: -1 }, frameId: 0 },
  {},
];
const sender: fc.Arbitrary<Sender> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SENDERS) },
  fc.record(
    {
      id: fc.oneof(fc.constantFrom('abc', 'ABC', 'abc ', ''), fc.string({ maxLength: 5 })),
      url: fc.oneof(
        fc.constantFrom(
          'chrome-extension://abc/',
          'chrome-extension://abc',
          'https://x.com/',
          'javascript:1',
          '',
        ),
        fc.webUrl(),
        fc.string({ maxLength: 10 }),
      ),
      tab: fc.record({ id: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }),
      frameId: fc.oneof(fc.constant(0), fc.integer(), fc.double()),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<Sender>,
);

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** A message: a valid one, one whose payload was mutated, a forged envelope, or anything at all. */
const message = fc.oneof(
  fc.constantFrom(...TYPES).map((type) => ({ type, payload: SAMPLES[type] as unknown })),
  {
    weight: 5,
    arbitrary: fc
      .constantFrom(...TYPES)
      .chain((type) => jsonMutant([SAMPLES[type]]).map((payload) => ({ type, payload }))),
  },
  fc.record({
    type: fc.oneof(
      fc.constantFrom(...TYPES),
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'Episode/Detected',
        'episode/detected ',
      ),
      fc.string({ maxLength: 30 }),
      weird,
    ),
    payload: fc.oneof(anything, weird),
  }),
  fc
    .constantFrom(...TYPES)
    .chain((type) =>
      fc.record({ type: fc.constant(type), payload: fc.constant(SAMPLES[type] as unknown), extra: anything }),
    ),
  anything,
);

const ERROR_CODES: ErrorCode[] = ['invalid-message', 'unknown-type', 'forbidden-sender', 'failed'];

/** A refusal, so that attemptAsync counts it by code. */
class Refused extends Error {
  constructor(readonly code: ErrorCode) {
    super(`refused: ${code}`);
  }
}

describe('message fuzzing through the router', () => {
  const t = tally('messages to the background (router)');
  const c = tally('messages to content scripts and the popup port (schemas)');
  const scratch = new Tally('schemas');

  it(
    'every outcome is a Reply; a handler runs only for a valid payload from its declared sender',
    async () => {
      let calls: { type: string; payload: unknown; ctx: { tabId?: number } }[] = [];
      let fail = false;
      // Off once the message was answered: a slow route is timed again (runs.ts), not counted again.
      let recording = true;
      const handlers = Object.fromEntries(
        TYPES.map((type) => [
          type,
          async (payload: unknown, ctx: { tabId?: number }) => {
            if (recording) calls.push({ type, payload, ctx });
            if (fail) throw new Error('the handler failed');
            return { echoed: type };
          },
        ]),
      ) as unknown as Handlers;
      const route = createRouter(handlers, options);

      await fc.assert(
        fc.asyncProperty(message, sender, fc.nat(9), fc.boolean(), async (msg, other, pick, handlerFails) => {
          // Mostly the sender the type is declared for, so that payloads reach their schema.
          const type = (msg as { type?: unknown } | null)?.type;
          const declared = typeof type === 'string' && Object.hasOwn(toBackground, type);
          const from =
            declared && pick < 6
              ? toBackground[type as BackgroundType].from === 'content'
                ? SENDERS[0]!
                : SENDERS[1 + (pick % 2)]!
              : other;
          calls = [];
          recording = true;
          fail = handlerFails;
          const outcome = await attemptAsync(
            t,
            0,
            typedBy(Refused, (e) => e.code),
            async () => {
              const reply = (await route(msg, from)) as Reply<unknown>;
              recording = false;
              if (reply?.ok === true) return reply.value;
              if (
                reply?.ok !== false ||
                !ERROR_CODES.includes(reply.error?.code) ||
                typeof reply.error.message !== 'string'
              )
                throw new Error(`invariant: not a Reply: ${JSON.stringify(reply)}`);
              throw new Refused(reply.error.code);
            },
          );
          const refusedBeforeDispatch = !outcome.ok && outcome.code !== 'failed';
          if (refusedBeforeDispatch && calls.length > 0)
            throw new Error('invariant: a refused message reached a handler');
          if (!refusedBeforeDispatch) {
            // The handler ran: once, for a valid payload from the declared context, with its tab.
            const call = calls[0];
            if (calls.length !== 1 || !call) throw new Error(`invariant: ${calls.length} handler calls`);
            const declaration = toBackground[call.type as BackgroundType];
            const original = (msg as { type: unknown; payload: unknown }).payload;
            if ((msg as { type: unknown }).type !== call.type)
              throw new Error('invariant: dispatched to another type');
            if (!v.is(declaration.request, original))
              throw new Error(`invariant: ${call.type} took an invalid payload`);
            if (!v.is(declaration.request, call.payload))
              throw new Error('invariant: the validated payload fails its schema');
            const kind = senderKind(from, options);
            if (kind !== declaration.from)
              throw new Error(`invariant: ${call.type} taken from a ${String(kind)} sender`);
            const tabId = kind === 'content' ? from.tab?.id : undefined;
            if (call.ctx.tabId !== tabId) throw new Error('invariant: wrong tab in the handler context');
            if (outcome.ok !== !handlerFails)
              throw new Error('invariant: a handler failure was not reported as failed');
          }
        }),
        params(),
      );
    },
    TIMEOUT,
  );

  it(
    'content and popup port schemas accept only what re-validates, and never throw',
    () => {
      const schemas = [
        ...Object.entries(toContent).map(([type, d]) => [type, d.request] as const),
        ['popup port', PopupPortRequestSchema] as const,
      ];
      const samples: Record<string, unknown> = {
        ...CONTENT_SAMPLES,
        'popup port': { type: 'subscribe', tabId: 3 },
      };
      const input = fc
        .nat(schemas.length - 1)
        .chain((i) =>
          fc.tuple(
            fc.constant(i),
            fc.oneof(
              fc.constant(samples[schemas[i]![0]]),
              jsonMutant([samples[schemas[i]![0]]]),
              anything,
              weird,
            ),
          ),
        );
      fc.assert(
        fc.property(input, ([i, payload]) => {
          const [name, schema] = schemas[i]!;
          // safeParse never throws: its refusal is `success: false`.
          const result = attempt(
            scratch,
            0,
            () => undefined,
            () => v.safeParse(schema as v.GenericSchema, payload),
          );
          if (result.ok && result.value.success) c.accept();
          else c.reject('invalid (success: false)');
          if (result.ok && result.value.success && !v.is(schema as v.GenericSchema, result.value.output))
            throw new Error(`invariant: ${name}'s output fails its schema`);
        }),
        params(),
      );
    },
    TIMEOUT,
  );
});
