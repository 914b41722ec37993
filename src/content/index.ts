// The content script: recognises the episode playing in the page and answers the extension's
// questions about the player. All it sends goes through the typed contract (src/messages.ts).
// The manifest runs it on the players Earmark knows; elsewhere the background injects the same
// code (built on its own as content-injected.js) when the popup opens on a tab, or on every site
// the user allowed. Run twice in one page (both ways), it starts once.
import * as v from 'valibot';
import { toContent, type ContentRequest, type ContentType, type Reply } from '../messages';
import { extensionApi, MessageError, sendToBackground } from '../messaging';
import { startCards } from './cards';
import { startDetector } from './detector';
import { startMediaBridge } from './media-bridge';
import { requestPageCaptions } from './page-captions';
import { adapterFor } from './sites';

const marker = globalThis as { __earmarkContent?: boolean };
if (!marker.__earmarkContent) {
  marker.__earmarkContent = true;
  start();
}

function start(): void {
  /** Videos whose captions this page has already handed over. */
  const captionsSent = new Set<string>();

  // Made before the detector, which tells it what plays as soon as it starts.
  const cards = startCards({
    doc: document,
    send: sendToBackground,
    seek: (time) => detector.seek(time),
    mount: () => adapterFor(new URL(location.href)).mount?.(document) ?? null,
    onError,
  });

  const detector = startDetector({
    doc: document,
    adapter: () => adapterFor(new URL(location.href)),
    report: async (hint) => {
      const { episodeId } = await sendToBackground('episode/detected', { hint });
      const videoId = hint.site === 'youtube' ? hint.ids?.youtube : undefined;
      if (videoId && !captionsSent.has(videoId)) {
        captionsSent.add(videoId);
        // The player's captions can only be read from the page: read them and hand them over.
        void requestPageCaptions(document, videoId)
          .then((captions) => sendToBackground('transcript/page-captions', captions))
          .catch(onError);
      }
      return episodeId;
    },
    reportPlayback: (playback) => {
      sendToBackground('playback/changed', playback).catch(onError);
    },
    onEpisode: (episode) => cards.setEpisode(episode),
    onError,
  });

  // Media the player keeps out of the document, told by media-bridge-main.ts in the page's world.
  const bridge = startMediaBridge({ doc: document, offer: (media) => detector.offer(media) });

  function onError(error: unknown): void {
    // The extension was updated or removed under this page: this script is an orphan; stop it.
    if (/context invalidated/i.test(String((error as Error)?.message))) {
      cards.stop();
      bridge.stop();
      return detector.stop();
    }
    if (error instanceof MessageError && error.code === 'invalid-message')
      console.warn(`Earmark: this page's episode data was refused: ${error.message}`);
    else console.warn('Earmark:', (error as Error)?.message ?? error);
  }

  // SPAs change episode without reloading: re-read the page after each same-document navigation.
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  nav?.addEventListener('navigatesuccess', () => detector.refresh());
  addEventListener('popstate', () => detector.refresh());
  // YouTube's own navigation event, fired once the new video's page is in place.
  document.addEventListener('yt-navigate-finish', () => detector.refresh());

  const runtime = extensionApi().runtime;
  // Every answer is ready at once: given through sendResponse (a returned promise is not
  // honoured by Chrome's own API, which this script uses to stay light).
  runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    const reply = answer(message, sender);
    if (reply) sendResponse(reply);
    return false;
  });

  function answer(message: unknown, sender: chrome.runtime.MessageSender): Reply<unknown> | undefined {
    if (sender.id !== runtime.id) return undefined;
    const envelope = message as { type?: unknown; payload?: unknown } | null;
    const type = envelope?.type;
    if (typeof type !== 'string' || !Object.hasOwn(toContent, type)) return undefined;
    const parsed = v.safeParse(toContent[type as ContentType].request, envelope?.payload);
    if (!parsed.success) return { ok: false, error: { code: 'invalid-message', message: type } };
    if (type === 'player/state') return { ok: true, value: detector.state() };
    if (type === 'cards/update') {
      cards.update(parsed.output as ContentRequest<'cards/update'>);
      return { ok: true, value: null };
    }
    if (type === 'cards/current') return { ok: true, value: cards.current() };
    const { time } = parsed.output as ContentRequest<'player/seek'>;
    const position = detector.seek(time);
    return { ok: true, value: position === null ? null : { position } };
  }
}
