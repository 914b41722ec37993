// The content script's side of reading YouTube captions: asks the page-world script
// (youtube-main.ts) and checks the shape of its answer. Bounded: no answer within the timeout is
// an answer too ("unavailable"), never a wait forever.
import * as v from 'valibot';
import { PageCaptionsSchema, type PageCaptions } from '../messages';

const REQUEST = 'earmark:captions-request';
const RESPONSE = 'earmark:captions-response';

export function requestPageCaptions(doc: Document, videoId: string, timeoutMs = 8000): Promise<PageCaptions> {
  const id = Math.random().toString(36).slice(2);
  return new Promise((resolve) => {
    const done = (value: PageCaptions) => {
      clearTimeout(timer);
      doc.removeEventListener(RESPONSE, onResponse);
      resolve(value);
    };
    const onResponse = (event: Event) => {
      let data: unknown;
      try {
        data = JSON.parse(String((event as CustomEvent).detail));
      } catch {
        return;
      }
      if ((data as { id?: unknown })?.id !== id) return;
      const { id: _id, ...rest } = data as Record<string, unknown>;
      const parsed = v.safeParse(PageCaptionsSchema, rest);
      done(
        parsed.success
          ? parsed.output
          : { videoId, status: 'unavailable', reason: 'the page answered in an unknown shape' },
      );
    };
    const timer = setTimeout(
      () => done({ videoId, status: 'unavailable', reason: 'the page did not answer in time' }),
      timeoutMs,
    );
    doc.addEventListener(RESPONSE, onResponse);
    doc.dispatchEvent(new CustomEvent(REQUEST, { detail: JSON.stringify({ id }) }));
  });
}
