// YouTube caption tracks and playability from watch pages, player responses and the pages YouTube
// serves instead (consent, reCAPTCHA): every status of the contract, and the page shapes that
// trip naive readers. Fixtures are hand-made, modelled on real responses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  captionsFromPlayerResponse,
  captionUrl,
  extractPlayerResponse,
  parseCaptions,
  YouTubeError,
  type CaptionStatus,
} from '../../../src/core/youtube';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../fixtures/youtube', name), 'utf8');

const BASE = 'https://www.youtube.com/api/timedtext?v=Ab3_dE-fGh1&ei=x&caps=asr&lang=en';

const track = (over: Record<string, unknown> = {}) => ({
  baseUrl: BASE,
  name: { simpleText: 'English' },
  vssId: '.en',
  languageCode: 'en',
  isTranslatable: true,
  ...over,
});

/** A player response as /youtubei/v1/player sends it, trimmed to the fields that matter. */
function response(
  playabilityStatus: Record<string, unknown> | undefined,
  captionTracks: unknown[] | undefined,
  /** null: the answer has no videoDetails (a bot check, an unavailable video). */
  videoId: string | null = 'Ab3_dE-fGh1',
): string {
  return JSON.stringify({
    responseContext: {},
    ...(playabilityStatus ? { playabilityStatus } : {}),
    ...(captionTracks ? { captions: { playerCaptionsTracklistRenderer: { captionTracks } } } : {}),
    ...(videoId ? { videoDetails: { videoId, title: 'x' } } : {}),
  });
}

const BOT = 'Sign in to confirm you’re not a bot';

describe('parseCaptions: status', () => {
  it.each<[string, string, CaptionStatus, number]>([
    ['playable with tracks', response({ status: 'OK' }, [track()]), 'ok', 1],
    ['no playabilityStatus but tracks', response(undefined, [track()]), 'ok', 1],
    [
      'a track that needs a proof-of-origin token (exp=xpe), tracks still listed',
      response({ status: 'OK' }, [
        track(),
        track({ baseUrl: `${BASE}&exp=xpe&fmt=srv3`, languageCode: 'de' }),
      ]),
      'po-token-required',
      2,
    ],
    ['no captions at all', response({ status: 'OK' }, undefined), 'disabled', 0],
    ['an empty captionTracks list', response({ status: 'OK' }, []), 'disabled', 0],
    ['tracks without an address', response({ status: 'OK' }, [track({ baseUrl: undefined })]), 'disabled', 0],
    [
      'UNPLAYABLE',
      response({ status: 'UNPLAYABLE', reason: 'Video unavailable' }, undefined),
      'unplayable',
      0,
    ],
    [
      'another non-OK status (LIVE_STREAM_OFFLINE)',
      response({ status: 'LIVE_STREAM_OFFLINE' }, undefined),
      'unplayable',
      0,
    ],
    [
      'a CUSTOM status whose error screen mentions the bot check',
      response(
        {
          status: 'CUSTOM',
          reason: 'Custom Reason',
          errorScreen: { playerErrorMessageRenderer: { reason: { runs: [{ text: BOT }] } } },
        },
        undefined,
        null,
      ),
      'unplayable',
      0,
    ],
    [
      'LOGIN_REQUIRED for an age restriction',
      response(
        { status: 'LOGIN_REQUIRED', reason: 'This video may be inappropriate for some users.' },
        undefined,
      ),
      'login-required',
      0,
    ],
    [
      'AGE_VERIFICATION_REQUIRED',
      response({ status: 'AGE_VERIFICATION_REQUIRED' }, undefined),
      'login-required',
      0,
    ],
    [
      'LOGIN_REQUIRED for the bot check (curly apostrophe)',
      response({ status: 'LOGIN_REQUIRED', reason: BOT }, undefined, null),
      'blocked',
      0,
    ],
    [
      'LOGIN_REQUIRED for the bot check (straight apostrophe)',
      response({ status: 'LOGIN_REQUIRED', reason: "Sign in to confirm you're not a bot" }, undefined),
      'blocked',
      0,
    ],
    [
      'LOGIN_REQUIRED with the bot check only on the error screen',
      response(
        {
          status: 'LOGIN_REQUIRED',
          errorScreen: { playerErrorMessageRenderer: { reason: { runs: [{ text: BOT }] } } },
        },
        undefined,
      ),
      'blocked',
      0,
    ],
    [
      'ERROR',
      response({ status: 'ERROR', reason: 'This video is unavailable' }, undefined, null),
      'unavailable',
      0,
    ],
    ['the consent interstitial', fixture('consent-page.html'), 'blocked', 0],
    ['the unusual-traffic reCAPTCHA page', fixture('captcha-page.html'), 'blocked', 0],
    ['a watch page', fixture('watch-page.html'), 'ok', 2],
    ['an innertube answer with a gated track', fixture('player-response.json'), 'po-token-required', 2],
  ])('%s', (_name, body, status, trackCount) => {
    const captions = parseCaptions(body);
    expect(captions.status).toBe(status);
    expect(captions.tracks).toHaveLength(trackCount);
  });

  it('says why a consent or reCAPTCHA page blocks', () => {
    expect(parseCaptions(fixture('consent-page.html')).reason).toMatch(/consent/);
    expect(parseCaptions(fixture('captcha-page.html')).reason).toMatch(/reCAPTCHA/);
  });

  it('gives YouTube’s reason when the video does not play, and none when it does', () => {
    expect(
      parseCaptions(response({ status: 'ERROR', reason: 'This video is unavailable' }, undefined)),
    ).toEqual({
      videoId: 'Ab3_dE-fGh1',
      status: 'unavailable',
      tracks: [],
      reason: 'This video is unavailable',
    });
    expect(parseCaptions(response({ status: 'OK', reason: 'ignored' }, [track()]))).not.toHaveProperty(
      'reason',
    );
  });
});

describe('parseCaptions: video id', () => {
  it.each([
    ['videoDetails', response({ status: 'OK' }, [track()]), 'Ab3_dE-fGh1'],
    [
      'none in a bot-check answer: empty string',
      response({ status: 'LOGIN_REQUIRED', reason: BOT }, undefined, null),
      '',
    ],
    ['a malformed id is not trusted', response({ status: 'OK' }, [track()], '<script>'), ''],
    [
      'the consent page’s continue URL (not its hidden "v", the cookie version)',
      fixture('consent-page.html'),
      'Qw3_rT-yUi9',
    ],
    ['the reCAPTCHA page’s next URL', fixture('captcha-page.html'), 'Lk8_jH-gFd7'],
    [
      'a consent page without a continue URL',
      '<html><body><form action="https://consent.youtube.com/s" method="POST"><input type="hidden" name="v" value="cb.2024"></form></body></html>',
      '',
    ],
    [
      'a watch page whose player response lacks videoDetails: the canonical link',
      '<html><head><link rel="canonical" href="https://www.youtube.com/watch?v=Cn0_aB-cDe2"></head><script>var ytInitialPlayerResponse = {"playabilityStatus":{"status":"OK"}};</script></html>',
      'Cn0_aB-cDe2',
    ],
  ])('from %s', (_name, body, videoId) => {
    expect(parseCaptions(body).videoId).toBe(videoId);
  });
});

describe('parseCaptions: tracks', () => {
  it('reads a watch page: names from simpleText and runs, asr kind, relative and \\u0026 addresses', () => {
    expect(parseCaptions(fixture('watch-page.html'))).toEqual({
      videoId: 'Ab3_dE-fGh1',
      status: 'ok',
      tracks: [
        {
          languageCode: 'en',
          name: 'English',
          url: 'https://www.youtube.com/api/timedtext?v=Ab3_dE-fGh1&caps=asr&sparams=ip,ipbits,expire&lang=en',
        },
        {
          languageCode: 'en',
          name: 'English (auto-generated)',
          kind: 'asr',
          url: 'https://www.youtube.com/api/timedtext?v=Ab3_dE-fGh1&kind=asr&lang=en',
        },
      ],
    });
  });

  it('falls back to the language code for a track without a name, and skips tracks without a language', () => {
    const captions = parseCaptions(
      response({ status: 'OK' }, [
        track({ name: undefined, languageCode: 'fr' }),
        track({ languageCode: undefined }),
      ]),
    );
    expect(captions.tracks).toEqual([{ languageCode: 'fr', name: 'fr', url: BASE }]);
  });

  it('reads a player response wrapped the way /watch?pbj=1 answers', () => {
    const wrapped = `[{"page":"watch"},{"playerResponse":${response({ status: 'OK' }, [track()])}}]`;
    expect(parseCaptions(wrapped).tracks).toHaveLength(1);
  });

  it('ignores a byte order mark', () => {
    expect(parseCaptions(`\uFEFF${response({ status: 'OK' }, [track()])}`).status).toBe('ok');
  });

  it('takes an already parsed object (what a page script reads from window)', () => {
    expect(captionsFromPlayerResponse(JSON.parse(response({ status: 'OK' }, [track()]))).status).toBe('ok');
    expect(captionsFromPlayerResponse(null)).toEqual({ videoId: '', status: 'disabled', tracks: [] });
  });
});

describe('extractPlayerResponse', () => {
  const pr = '{"videoDetails":{"videoId":"Ab3_dE-fGh1","title":"a }; b \\" { c"},"x":[1,{"y":"}"}]}';

  it.each([
    ['var …;', `<script>var ytInitialPlayerResponse = ${pr};var other = {};</script>`],
    ['without var or spaces', `<script>ytInitialPlayerResponse=${pr};</script>`],
    ['window["…"] =', `<script>window["ytInitialPlayerResponse"] = ${pr};</script>`],
    [
      'after an earlier "= null;"',
      `<script>var ytInitialPlayerResponse = null;</script><script>ytInitialPlayerResponse = ${pr};</script>`,
    ],
    [
      'after a comparison that is not an assignment',
      `<script>if (ytInitialPlayerResponse == null) {}</script><script>var ytInitialPlayerResponse = ${pr};</script>`,
    ],
  ])('finds the object: %s', (_name, html) => {
    expect(extractPlayerResponse(html)).toEqual(JSON.parse(pr));
  });

  it('returns undefined for a page without one, or with one cut off', () => {
    expect(extractPlayerResponse('<html><body>Nothing</body></html>')).toBeUndefined();
    expect(extractPlayerResponse('<script>var ytInitialPlayerResponse = {"a":{"b":1}')).toBeUndefined();
  });
});

describe('parseCaptions: not YouTube', () => {
  it.each([
    ['plain text', 'hello there'],
    ['an empty body', ''],
    ['malformed JSON', '{"playabilityStatus": '],
    ['JSON of another shape', '{"version":"1.0.0","segments":[]}'],
    ['an HTML page without a player response', '<!DOCTYPE html><html><body><p>A blog</p></body></html>'],
    [
      'a page with a reCAPTCHA that is not YouTube’s',
      '<html><body><div class="g-recaptcha"></div></body></html>',
    ],
    [
      'a timedtext XML body',
      '<?xml version="1.0"?><transcript><text start="0" dur="1">Hi</text></transcript>',
    ],
  ])('%s → YouTubeError', (_name, body) => {
    expect(() => parseCaptions(body)).toThrow(YouTubeError);
  });
});

describe('captionUrl', () => {
  it.each([
    ['adds fmt', BASE, 'json3', `${BASE}&fmt=json3`],
    ['replaces fmt', `${BASE}&fmt=srv3&kind=asr`, 'vtt', `${BASE}&kind=asr&fmt=vtt`],
    [
      'keeps signed lists verbatim',
      `${BASE}&sparams=ip,ipbits,expire&fmt=srv3`,
      'srv3',
      `${BASE}&sparams=ip,ipbits,expire&fmt=srv3`,
    ],
    [
      'resolves a relative address',
      '/api/timedtext?v=Ab3_dE-fGh1',
      'json3',
      'https://www.youtube.com/api/timedtext?v=Ab3_dE-fGh1&fmt=json3',
    ],
  ] as const)('%s', (_name, url, fmt, expected) => {
    expect(captionUrl({ url }, fmt)).toBe(expected);
  });
});
