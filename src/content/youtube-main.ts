// Runs in YouTube's own page world (manifest: "world": "MAIN") because caption tracks are served
// with the player's own tokens and cookies, which only the page has. On request from Earmark's
// content script (a CustomEvent carrying JSON), it reads the player's current response, picks a
// caption track, fetches it from the page, and answers with the body. Everything it answers is
// page data: the content script and the background validate it like any other.
import { captionUrl, captionsFromPlayerResponse, needsPoToken } from '../core/youtube/player-response';
import { chooseCaptionTrack } from '../core/youtube/choose-track';

const REQUEST = 'earmark:captions-request';
const RESPONSE = 'earmark:captions-response';
const MAX_CHARS = 10 * 1024 * 1024;

type Player = HTMLElement & { getPlayerResponse?: () => unknown };

document.addEventListener(REQUEST, (event) => {
  let id = '';
  try {
    id = String((JSON.parse(String((event as CustomEvent).detail)) as { id?: unknown }).id ?? '');
  } catch {
    return;
  }
  void answer().then((reply) =>
    document.dispatchEvent(new CustomEvent(RESPONSE, { detail: JSON.stringify({ id, ...reply }) })),
  );
});

async function answer(): Promise<Record<string, unknown>> {
  // The player's response follows SPA navigation; ytInitialPlayerResponse is the first video's.
  const player = document.querySelector<Player>('#movie_player');
  const raw =
    player?.getPlayerResponse?.() ??
    (window as { ytInitialPlayerResponse?: unknown }).ytInitialPlayerResponse;
  const captions = captionsFromPlayerResponse(raw);
  const current = new URLSearchParams(location.search).get('v');
  if (!captions.videoId || (current && captions.videoId !== current))
    return {
      videoId: current ?? '',
      status: 'unavailable',
      reason: 'the player has not loaded this video yet',
    };
  if (captions.status !== 'ok' && captions.status !== 'po-token-required')
    return {
      videoId: captions.videoId,
      status: captions.status,
      ...(captions.reason ? { reason: captions.reason } : {}),
    };
  const track = chooseCaptionTrack(captions.tracks, navigator.languages ?? [navigator.language]);
  if (!track) return { videoId: captions.videoId, status: 'disabled' };
  const meta = {
    languageCode: track.languageCode,
    name: track.name,
    ...(track.kind ? { kind: track.kind } : {}),
  };
  try {
    const response = await fetch(captionUrl(track, 'json3'), { credentials: 'include' });
    const body = response.ok ? await response.text() : '';
    if (!body.trim())
      // Without a proof-of-origin token YouTube answers 200 with an empty body.
      return {
        videoId: captions.videoId,
        status: needsPoToken(track.url) ? 'po-token-required' : 'disabled',
        track: meta,
      };
    if (body.length > MAX_CHARS)
      return { videoId: captions.videoId, status: 'unavailable', reason: 'the captions are too large' };
    return { videoId: captions.videoId, status: 'ok', track: meta, body };
  } catch (error) {
    return {
      videoId: captions.videoId,
      status: 'unavailable',
      reason: `the captions did not download (${(error as Error).message})`,
    };
  }
}
