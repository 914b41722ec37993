// The engine for a job, from the settings as they are now. Whisper is loaded once and kept while
// the document lives (loading it again takes seconds, downloading it minutes).
import { readSettings } from '../background/settings';
import { whisperLabel } from '../background/transcribe';
import type { EarmarkDB, SttJob } from '../background/db';
import { createOpenAiEngine } from '../core/transcribe/openai';
import { SttError, type SpeechEngine } from '../core/transcribe/types';
import { extensionApi } from '../messaging';
import { ORT_DIR } from './ort';

const MB = 1_000_000;
/** At most one progress line a second: each is a database write and a message. */
const PROGRESS_EVERY_MS = 1_000;

export function engineFactory(
  db: EarmarkDB,
): (job: SttJob, activity: (words: string) => void) => Promise<SpeechEngine> {
  let whisper: { model: string; engine: Promise<SpeechEngine> } | undefined;
  // Kept while its settings hold: it remembers a model that answers text only, so the next job
  // does not ask for timed segments first again.
  let service: { settings: string; engine: SpeechEngine } | undefined;
  return async (job, activity) => {
    const settings = await readSettings(db);
    if (job.engine === 'openai') {
      if (!settings.sttApiKey)
        throw new SttError(
          'auth',
          'No key is set for the transcription service: add it in Earmark’s options.',
        );
      const config = {
        baseUrl: settings.sttBaseUrl,
        apiKey: settings.sttApiKey,
        model: job.model,
        pricePerMinute: settings.sttPricePerMinute,
      };
      const key = JSON.stringify(config);
      if (service?.settings !== key) service = { settings: key, engine: createOpenAiEngine(config) };
      return service.engine;
    }
    if (whisper?.model !== job.model) {
      let last = 0;
      activity('Loading the speech model…');
      const engine = import('./whisper').then(({ createWhisperEngine }) =>
        createWhisperEngine({
          model: job.model as Parameters<typeof createWhisperEngine>[0]['model'],
          label: whisperLabel(job.model),
          wasmBase: extensionApi().runtime.getURL(`${ORT_DIR}/`),
          onProgress: ({ loadedBytes, totalBytes, phase }) => {
            const at = Date.now();
            if (at - last < PROGRESS_EVERY_MS) return;
            last = at;
            activity(
              phase === 'download' && totalBytes > 0
                ? `Downloading the speech model: ${Math.round(loadedBytes / MB)} of ${Math.round(totalBytes / MB)} MB`
                : 'Loading the speech model…',
            );
          },
        }),
      );
      whisper = { model: job.model, engine };
      // A failed load is tried afresh next time (the network may be back).
      engine.catch(() => {
        if (whisper?.engine === engine) whisper = undefined;
      });
    }
    return whisper.engine;
  };
}
