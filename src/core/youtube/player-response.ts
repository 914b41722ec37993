// A YouTube video's caption tracks and whether they can be fetched, read from what YouTube sends:
// a watch page (HTML with `ytInitialPlayerResponse = {…};` in a script) or an innertube
// `/youtubei/v1/player` JSON response. Also reads the two pages YouTube serves instead of a watch
// page when it refuses a client (the EU consent interstitial, the "unusual traffic" reCAPTCHA
// page), which both mean `blocked`. Pure string work: no DOM, runs in a worker and in Node.
//
// Status, most decisive first (the contract's `status`, DESIGN.md section 4):
//   playabilityStatus LOGIN_REQUIRED + the bot check ("Sign in to confirm you’re not a bot") → blocked
//   LOGIN_REQUIRED otherwise (age restriction), AGE_CHECK_REQUIRED, AGE_VERIFICATION_REQUIRED → login-required
//   ERROR ("This video is unavailable")                                         → unavailable
//   UNPLAYABLE and every other non-OK status (LIVE_STREAM_OFFLINE, CUSTOM, …)   → unplayable
//   OK (or no playabilityStatus) without captionTracks                          → disabled
//   OK with a track whose baseUrl carries `exp=xpe` (needs a proof-of-origin token, the body comes
//   back empty without one)                                                      → po-token-required
//   OK otherwise                                                                 → ok
// Tracks are listed whatever the status: the caller decides what to do with them.
//
// `videoId` is always a string, '' when the input does not say which video it is (a bot-check
// response carries no videoDetails; a consent page without a `continue` URL). An empty string
// rather than an absent key keeps the JSON shape the same for every status. Note that the consent
// form's hidden input `v` is the consent cookie's version ("cb.20210328-17-p0.de+FX+119"), not
// the video: the video is read from the `continue` (consent) or `next` (reCAPTCHA) watch URL.

export type CaptionStatus =
  'ok' | 'po-token-required' | 'disabled' | 'unplayable' | 'login-required' | 'blocked' | 'unavailable';

export type CaptionTrack = {
  languageCode: string;
  /** The name YouTube shows in its menu ("English", "English (auto-generated)"). */
  name: string;
  /** `asr` for automatic speech recognition (auto-generated) tracks; absent for uploaded ones. */
  kind?: string;
  /** The track's timedtext address (baseUrl), absolute. */
  url: string;
};

export type Captions = {
  videoId: string;
  status: CaptionStatus;
  tracks: CaptionTrack[];
  /**
   * Why the captions cannot be had, when the video does not play: YouTube's own words ("This video
   * is unavailable"), or what the page served instead asked for (consent, a reCAPTCHA).
   */
  reason?: string;
};

export type CaptionFormat = 'json3' | 'srv3' | 'vtt';

/** The input is neither a watch page (or one of its stand-ins) nor a player response. */
export class YouTubeError extends Error {
  override name = 'YouTubeError';
}

const YOUTUBE = 'https://www.youtube.com';
const VIDEO_ID = /^[\w-]{11}$/;

/**
 * Captions from a watch page's HTML or a player response's JSON text (sniffed from the content).
 * Throws YouTubeError when the text is neither.
 */
export function parseCaptions(body: string): Captions {
  // A byte order mark, and the `)]}'` line some Google JSON endpoints prefix against XSSI.
  const text = body.replace(/^\uFEFF/, '').replace(/^\s*\)\]\}'[^\n]*\n/, '');
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(start);
    } catch {
      throw new YouTubeError('The JSON is malformed, so it is not a YouTube player response.');
    }
    const response = unwrapPlayerResponse(json);
    if (!response)
      throw new YouTubeError(
        'The JSON is not a YouTube player response (no playabilityStatus, videoDetails or captions).',
      );
    return captionsFromPlayerResponse(response);
  }
  return captionsFromWatchPage(text);
}

/** Captions from a watch page's HTML (or the consent / reCAPTCHA page served instead of one). */
export function captionsFromWatchPage(html: string): Captions {
  const response = extractPlayerResponse(html);
  if (response) {
    const captions = captionsFromPlayerResponse(response);
    if (!captions.videoId) captions.videoId = videoIdFromPage(html);
    return captions;
  }
  if (isConsentPage(html))
    return { ...blocked(html), reason: 'YouTube asked for cookie consent instead of showing the video' };
  if (isCaptchaPage(html))
    return { ...blocked(html), reason: 'YouTube saw too many requests and asked for a reCAPTCHA' };
  throw new YouTubeError(
    looksLikeHtml(html)
      ? 'The page has no ytInitialPlayerResponse, so it is not a YouTube watch page.'
      : 'This is neither a YouTube watch page nor a player response.',
  );
}

function blocked(html: string): Captions {
  return { videoId: videoIdFromForm(html), status: 'blocked', tracks: [] };
}

/**
 * Captions from a player response already parsed (the watch page's `ytInitialPlayerResponse`
 * object, or the `/youtubei/v1/player` answer). Never throws on odd shapes: what is missing is
 * treated as absent.
 */
export function captionsFromPlayerResponse(response: unknown): Captions {
  const pr = asRecord(response) ?? {};
  const playability = asRecord(pr.playabilityStatus);
  const videoId = asString(asRecord(pr.videoDetails)?.videoId);
  const tracks = readTracks(pr);
  const status = statusOf(playability, tracks);
  const reason = playability ? reasonOf(playability) : undefined;
  return {
    videoId: videoId && VIDEO_ID.test(videoId) ? videoId : '',
    status,
    tracks,
    ...(status !== 'ok' && status !== 'po-token-required' && status !== 'disabled' && reason
      ? { reason }
      : {}),
  };
}

/**
 * The track's address with `fmt` set (json3, srv3 or vtt), replacing any `fmt` already there. The
 * rest of the query is kept byte for byte (URLSearchParams would re-encode the signed `sparams`).
 */
export function captionUrl(track: Pick<CaptionTrack, 'url'>, fmt: CaptionFormat): string {
  const url = new URL(track.url, YOUTUBE);
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !/^fmt(=|$)/.test(pair));
  kept.push(`fmt=${fmt}`);
  url.search = `?${kept.join('&')}`;
  return url.href;
}

/** Whether a track address demands a proof-of-origin token (its body is empty without one). */
export function needsPoToken(url: string): boolean {
  return /[?&]exp=xpe(?:&|$)/.test(url);
}

/**
 * The `ytInitialPlayerResponse` object literal of a watch page, parsed, or undefined when the page
 * has none. Found by matching braces (respecting strings and escapes) from the `=` after the name,
 * so a `};` inside a string or a second script on the same line does not cut it short.
 */
export function extractPlayerResponse(html: string): Record<string, unknown> | undefined {
  const NAME = 'ytInitialPlayerResponse';
  // Real pages assign it once; a bound on the tries keeps a hostile page from costing n² time.
  let tries = 0;
  for (let at = html.indexOf(NAME); at >= 0 && tries < 8; at = html.indexOf(NAME, at + NAME.length)) {
    let i = at + NAME.length;
    // window["ytInitialPlayerResponse"] = {…}
    if (html[i] === '"' || html[i] === "'") i++;
    if (html[i] === ']') i++;
    i = skipSpace(html, i);
    if (html[i] !== '=' || html[i + 1] === '=') continue;
    i = skipSpace(html, i + 1);
    if (html[i] !== '{') continue; // "= null;" on pages that load the player later
    tries++;
    const end = matchBrace(html, i);
    if (end < 0) return undefined; // unbalanced to the end of the page: a later start is inside it
    try {
      const value: unknown = JSON.parse(html.slice(i, end + 1));
      const record = asRecord(value);
      if (record) return record;
    } catch {
      // Not JSON after all (a script assigning something else): try the next occurrence.
    }
  }
  return undefined;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s.charAt(i))) i++;
  return i;
}

/** Index of the `}` closing the `{` at `open`, or -1. Strings ('…' and "…") and escapes are skipped. */
function matchBrace(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s.charAt(i);
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The player response in what the client sent: itself, or wrapped (`/watch?pbj=1` answers). */
function unwrapPlayerResponse(json: unknown): Record<string, unknown> | undefined {
  const candidates = Array.isArray(json) ? json : [json];
  for (const candidate of candidates) {
    const record = asRecord(candidate);
    if (!record) continue;
    if (isPlayerResponse(record)) return record;
    const inner = asRecord(record.playerResponse);
    if (inner && isPlayerResponse(inner)) return inner;
  }
  return undefined;
}

function isPlayerResponse(r: Record<string, unknown>): boolean {
  return 'playabilityStatus' in r || 'videoDetails' in r || 'captions' in r;
}

function readTracks(pr: Record<string, unknown>): CaptionTrack[] {
  const renderer = asRecord(asRecord(pr.captions)?.playerCaptionsTracklistRenderer);
  const list = renderer?.captionTracks;
  if (!Array.isArray(list)) return [];
  const tracks: CaptionTrack[] = [];
  for (const item of list) {
    const t = asRecord(item);
    const baseUrl = asString(t?.baseUrl);
    const languageCode = asString(t?.languageCode);
    if (!t || !baseUrl || !languageCode) continue;
    let url: string;
    try {
      url = new URL(baseUrl, YOUTUBE).href; // some watch pages give "/api/timedtext?…"
    } catch {
      continue;
    }
    if (!/^https?:/.test(url)) continue;
    const kind = asString(t.kind);
    tracks.push({
      languageCode,
      name: textOf(t.name) || languageCode,
      ...(kind ? { kind } : {}),
      url,
    });
  }
  return tracks;
}

function statusOf(playability: Record<string, unknown> | undefined, tracks: CaptionTrack[]): CaptionStatus {
  const status = asString(playability?.status) ?? 'OK';
  switch (status) {
    case 'OK':
      break;
    case 'LOGIN_REQUIRED':
      return isBotCheck(playability ?? {}) ? 'blocked' : 'login-required';
    case 'AGE_CHECK_REQUIRED':
    case 'AGE_VERIFICATION_REQUIRED':
      return 'login-required';
    case 'ERROR':
      return 'unavailable';
    default:
      return 'unplayable';
  }
  // No captionTracks, or none with an address and a language: no captions we can read.
  if (tracks.length === 0) return 'disabled';
  return tracks.some((t) => needsPoToken(t.url)) ? 'po-token-required' : 'ok';
}

/**
 * YouTube's bot check answers LOGIN_REQUIRED like an age gate; only its reason tells them apart.
 * The English text has a curly apostrophe ("you’re"); straight ones are accepted too. Other
 * interface languages word it differently and read as login-required (the innertube client asks
 * for English, `hl=en`, which is what the resolver sends).
 */
function isBotCheck(playability: Record<string, unknown>): boolean {
  const screen = asRecord(asRecord(playability.errorScreen)?.playerErrorMessageRenderer);
  const texts = [asString(playability.reason), textOf(screen?.reason)];
  return texts.some((t) => t !== undefined && /not a bot/i.test(t.replace(/[\u2018\u2019]/g, "'")));
}

function reasonOf(playability: Record<string, unknown>): string | undefined {
  const reason = asString(playability.reason)?.trim();
  if (reason) return reason;
  const screen = asRecord(asRecord(playability.errorScreen)?.playerErrorMessageRenderer);
  return textOf(screen?.reason) || undefined;
}

/** A YouTube text object: `{ simpleText }` or `{ runs: [{ text }] }`. */
function textOf(value: unknown): string {
  const r = asRecord(value);
  if (!r) return '';
  const simple = asString(r.simpleText);
  if (simple) return simple.trim();
  if (!Array.isArray(r.runs)) return '';
  return r.runs
    .map((run) => asString(asRecord(run)?.text) ?? '')
    .join('')
    .trim();
}

function isConsentPage(html: string): boolean {
  for (const form of tags(html, 'form'))
    if (/^https:\/\/consent\.youtube\.com\//i.test(attribute(form, 'action') ?? '')) return true;
  return false;
}

/** YouTube's own "unusual traffic" form, or Google's /sorry/ page continuing to YouTube. */
function isCaptchaPage(html: string): boolean {
  return html.includes('/das_captcha') || (html.includes('g-recaptcha') && /youtube\.com/i.test(html));
}

/** The video a consent or reCAPTCHA page would continue to: its `continue` or `next` watch URL. */
function videoIdFromForm(html: string): string {
  for (const name of ['continue', 'next']) {
    const value = hiddenInput(html, name);
    const id = value ? videoIdFromUrl(value) : '';
    if (id) return id;
  }
  return '';
}

/** A watch page whose player response lacks videoDetails: its canonical or og:url link. */
function videoIdFromPage(html: string): string {
  for (const link of tags(html, 'link')) {
    const href = attribute(link, 'href');
    if (attribute(link, 'rel')?.toLowerCase() === 'canonical' && href)
      return videoIdFromUrl(decodeAttribute(href));
  }
  for (const meta of tags(html, 'meta')) {
    const content = attribute(meta, 'content');
    if (attribute(meta, 'property') === 'og:url' && content) return videoIdFromUrl(decodeAttribute(content));
  }
  return '';
}

function videoIdFromUrl(raw: string): string {
  try {
    const id = new URL(raw, YOUTUBE).searchParams.get('v') ?? '';
    return VIDEO_ID.test(id) ? id : '';
  } catch {
    return '';
  }
}

/** The value of `<input type="hidden" name=NAME value=…>`, attributes in any order. */
function hiddenInput(html: string, name: string): string | undefined {
  for (const input of tags(html, 'input')) {
    if (attribute(input, 'name') !== name) continue;
    const value = attribute(input, 'value');
    if (value !== undefined) return decodeAttribute(value);
  }
  return undefined;
}

/** Longer start tags are not the small ones read here; skipping them keeps attribute reads cheap. */
const MAX_TAG = 4096;

/**
 * The start tags `<name …>` of a page, in order. A hand-rolled scan rather than one regular
 * expression over the page, so that unclosed tags cost linear time, not quadratic.
 */
function* tags(html: string, name: string): Generator<string> {
  const open = new RegExp(`<${name}\\b`, 'gi');
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const end = html.indexOf('>', m.index);
    if (end < 0) return; // no later tag can close either
    if (end - m.index <= MAX_TAG) yield html.slice(m.index, end + 1);
    open.lastIndex = end + 1;
  }
}

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** The few entities YouTube writes in attribute values (`&amp;` last, so nothing decodes twice). */
function decodeAttribute(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/gi, "'")
    .replace(/&#x3d;|&#61;/gi, '=')
    .replace(/&#x2f;|&#47;/gi, '/')
    .replace(/&amp;/g, '&');
}

function looksLikeHtml(s: string): boolean {
  return /^\s*</.test(s);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
