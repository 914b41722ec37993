// YouTube watch pages and player responses under fuzzing: the watch page, the consent and reCAPTCHA
// pages YouTube serves instead, and an innertube player response, mutated as text (and the response
// as JSON values); generated player responses with playability and tracks of any kind; and, for
// captionsFromPlayerResponse, values of any shape at all (it reads the page's own player object in
// the page's world). parseCaptions gives valid Captions or a YouTubeError; every track's address
// takes a `fmt` (captionUrl).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import {
  captionsFromPlayerResponse,
  captionUrl,
  parseCaptions,
  YouTubeError,
  type Captions,
} from '../../src/core/youtube';
import { jsonMutant, jsonTextMutant, weird } from './json-mutate';
import { mutant } from './mutate';
import { attempt, params, tally, TIMEOUT, typedBy } from './runs';

const read = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
const PAGES = [
  'youtube/watch-page.html',
  'youtube/consent-page.html',
  'youtube/captcha-page.html',
  'pages/youtube-watch.html',
].map(read);
const RESPONSE = read('youtube/player-response.json');
const RESPONSE_VALUE = JSON.parse(RESPONSE) as unknown;
const TOKENS = [
  'ytInitialPlayerResponse = {',
  'var ytInitialPlayerResponse = null;',
  '};',
  '"playabilityStatus":{"status":"LOGIN_REQUIRED","reason":"Sign in to confirm you’re not a bot"},',
  '"captionTracks":[',
  `)]}'\n`,
  '<form action="https://consent.youtube.com/save">',
  '<input type="hidden" name="continue" value="https://www.youtube.com/watch?v=Zz9_yX-wVu8">',
  '/das_captcha',
  'g-recaptcha',
  '<link rel="canonical" href="https://www.youtube.com/watch?v=abc">',
  "'",
  '"\\',
];

// YouTubeError has no code: its message says which check refused the input.
const LABELS: [string, string][] = [
  ['The JSON is malformed', 'malformed JSON'],
  ['The JSON is not a YouTube player response', 'JSON, not a player response'],
  ['The page has no ytInitialPlayerResponse', 'page without a player response'],
  ['This is neither', 'neither page nor response'],
];
const youtubeError = typedBy(
  YouTubeError,
  (e) =>
    `YouTubeError: ${LABELS.find(([start]) => e.message.startsWith(start))?.[1] ?? e.message.slice(0, 40)}`,
);

const STATUSES = [
  'ok',
  'po-token-required',
  'disabled',
  'unplayable',
  'login-required',
  'blocked',
  'unavailable',
];

function checkCaptions(c: Captions): void {
  if (!STATUSES.includes(c.status)) throw new Error(`invariant: status ${c.status}`);
  if (c.videoId !== '' && !/^[\w-]{11}$/.test(c.videoId)) throw new Error(`invariant: videoId ${c.videoId}`);
  if (c.reason !== undefined && (typeof c.reason !== 'string' || c.reason === ''))
    throw new Error('invariant: reason');
  if ((c.status === 'ok' || c.status === 'po-token-required') && c.tracks.length === 0)
    throw new Error(`invariant: ${c.status} without tracks`);
  for (const track of c.tracks) {
    if (typeof track.languageCode !== 'string' || track.languageCode === '' || typeof track.name !== 'string')
      throw new Error(`invariant: track ${JSON.stringify(track)}`);
    if (!/^https?:/.test(track.url)) throw new Error(`invariant: track url ${track.url}`);
    const url = captionUrl(track, 'json3');
    if (new URL(url).searchParams.getAll('fmt').join() !== 'json3')
      throw new Error(`invariant: captionUrl ${url}`);
  }
  JSON.stringify(c); // plain JSON: it is posted to the background
}

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('Sign in to confirm you’re not a bot', 'This video is unavailable', ''),
  weird,
);
const track = fc.record(
  {
    baseUrl: fc.oneof(
      fc.constantFrom(
        '/api/timedtext?v=Zz9_yX-wVu8&lang=en',
        'https://www.youtube.com/api/timedtext?v=x&exp=xpe&fmt=srv3',
        'javascript:alert(1)',
        '//evil.example/x',
        'https://www.youtube.com/api/timedtext?fmt&fmt=&fmt=vtt&=&&',
        'http://[',
        '',
      ),
      fc.webUrl({ withQueryParameters: true }),
      weird,
    ),
    languageCode: fc.oneof(fc.constantFrom('en', 'de', 'a'.repeat(300), ''), weird),
    kind: fc.oneof(fc.constant('asr'), weird),
    name: fc.oneof(
      text.map((s) => ({ simpleText: s })),
      fc.array(text).map((ts) => ({ runs: ts.map((t) => ({ text: t })) })),
      weird,
    ),
  },
  { requiredKeys: [] },
);
const response = fc.record(
  {
    playabilityStatus: fc.oneof(
      fc.record(
        {
          status: fc.oneof(
            fc.constantFrom(
              'OK',
              'LOGIN_REQUIRED',
              'AGE_CHECK_REQUIRED',
              'ERROR',
              'UNPLAYABLE',
              'LIVE_STREAM_OFFLINE',
            ),
            weird,
          ),
          reason: text,
          errorScreen: fc.record({
            playerErrorMessageRenderer: fc.record({
              reason: fc.oneof(
                text.map((s) => ({ simpleText: s })),
                weird,
              ),
            }),
          }),
        },
        { requiredKeys: [] },
      ),
      weird,
    ),
    videoDetails: fc.oneof(
      fc.record({ videoId: fc.oneof(fc.constantFrom('Zz9_yX-wVu8', 'short'), weird) }),
      weird,
    ),
    captions: fc.oneof(
      fc.record({
        playerCaptionsTracklistRenderer: fc.record({
          captionTracks: fc.oneof(fc.array(fc.oneof(track, weird), { maxLength: 8 }), weird),
        }),
      }),
      weird,
    ),
  },
  { requiredKeys: [] },
);
const generatedText = fc.oneof(
  response.map((r) => JSON.stringify(r)),
  response.map((r) => `[{"page":"watch"},{"playerResponse":${JSON.stringify(r)}}]`),
  response.map(
    (r) => `<html><script>var ytInitialPlayerResponse = ${JSON.stringify(r)};var x = "};";</script></html>`,
  ),
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

describe('YouTube watch page and player response fuzzing', () => {
  const t = tally('YouTube watch page / player response');
  const o = tally('YouTube player object (captionsFromPlayerResponse)');

  const check = (body: string) => {
    const result = attempt(t, body.length, youtubeError, () => parseCaptions(body));
    if (result.ok) checkCaptions(result.value);
  };
  // It is documented never to throw: nothing is its own error.
  const never = () => undefined;
  const checkObject = (value: unknown) => {
    const result = attempt(o, 0, never, () => captionsFromPlayerResponse(value));
    if (result.ok) checkCaptions(result.value);
  };

  for (const [name, inputs] of [
    ['mutated pages and responses', mutant([...PAGES, RESPONSE], TOKENS)],
    ['mutated response values', jsonTextMutant([RESPONSE_VALUE])],
    ['generated responses', generatedText],
  ] as const)
    it(name, () => fc.assert(fc.property(inputs, check), params()), TIMEOUT);

  it(
    'player objects of any shape',
    () => {
      fc.assert(
        fc.property(fc.oneof(response, jsonMutant([RESPONSE_VALUE]), anything), checkObject),
        params(),
      );
    },
    TIMEOUT,
  );
});
