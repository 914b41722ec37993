// The transcription driver: runs the jobs the worker marked running, one at a time, piece by
// piece. It lives where Web Audio and WebAssembly do (Chrome's offscreen document, Firefox's
// background page) and keeps every result in the job record as soon as a piece is done, so a
// stopped worker changes nothing here and a closed document loses at most the piece in progress.
//
// The audio is streamed, never held whole: a range request per run of pieces (from the
// listener's position to the end, then from the start), cut at frame boundaries into pieces of
// two minutes, each decoded to 16 kHz mono and handed to the engine.
import {
  AudioError,
  leadingTagBytes,
  PIECE_SECONDS,
  pieceCount,
  PieceCutter,
  pieceOffset,
  probeAudio,
  type AudioProbe,
  type Piece,
} from '../core/audio';
import { checkPublicHttpUrl } from '../core/net/url-policy';
import { formatClock } from '../core/text/time';
import { mergePieces, offsetSegments } from '../core/transcribe/segments';
import { SttError, type SpeechEngine } from '../core/transcribe/types';
import type { Transcript } from '../core/types';
import type { EarmarkDB, SttJob, SttPlan } from '../background/db';
import { runnableSttJobs, sttJob, updateSttJob } from '../background/transcribe';
import { hostOf } from '../background/net';
import { recordTranscribed } from '../background/transcripts';

const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 64 * 1024;
/** Audio the head must hold after an ID3 tag to tell the format; a bigger tag is skipped by a read. */
const MIN_AUDIO_IN_HEAD = 16 * 1024;
const MAX_TAG_BYTES = 16 * 1024 * 1024;
/** Waits before trying a piece again after a passing failure (a rate limit says its own). */
const RETRY_DELAYS_MS = [2_000, 10_000];
const MAX_RETRY_WAIT_MS = 60_000;

export type DriverDeps = {
  db: EarmarkDB;
  fetch?: typeof fetch;
  /** One piece's bytes → 16 kHz mono samples (Web Audio). */
  decode: (bytes: Uint8Array) => Promise<Float32Array>;
  /** The engine for a job (Whisper is loaded, the first time after a download). */
  engine: (job: SttJob, activity: (words: string) => void) => Promise<SpeechEngine>;
  /** A job changed (progress, done, failed); `idle`: nothing is left to run. */
  notify: (episodeId: string | undefined, idle?: boolean) => void;
  now?: () => Date;
  pieceSeconds?: number;
  retryDelaysMs?: readonly number[];
};

type Audio = { url: string; probe: AudioProbe; seekable: boolean; totalBytes?: number };

class Paused extends Error {}

export type Driver = {
  /** Runs every job marked running, one after another; resolves when none is left. */
  kick(): Promise<void>;
  /** Stops the piece in progress of this episode (its job was paused or removed). */
  halt(episodeId: string): void;
  /** Stops for good, as a closing document does: the piece in progress is dropped, nothing more runs. */
  stop(): void;
};

export function createDriver(deps: DriverDeps): Driver {
  const { db } = deps;
  const doFetch = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const now = deps.now ?? (() => new Date());
  const pieceSeconds = deps.pieceSeconds ?? PIECE_SECONDS;
  const retryDelays = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
  let loop: Promise<void> | undefined;
  let again = false;
  let current: { episodeId: string; abort: AbortController } | undefined;
  let stopped = false;

  async function runLoop(): Promise<void> {
    let last: string | undefined;
    for (;;) {
      again = false;
      const episodeId = stopped ? undefined : (await runnableSttJobs(db))[0];
      if (!episodeId) break;
      last = episodeId;
      const abort = new AbortController();
      current = { episodeId, abort };
      try {
        await transcribe(episodeId, abort.signal);
      } finally {
        current = undefined;
      }
      // A job that ended neither paused nor done nor failed (it cannot) is not looped on forever.
      const job = await sttJob(db, episodeId);
      if (stopped || (job?.stt.state === 'running' && !again)) break;
    }
    if (!stopped) deps.notify(last, true);
  }

  async function save(episodeId: string, change: (stt: SttJob) => SttJob): Promise<SttJob> {
    const job = await updateSttJob(db, episodeId, change, now());
    deps.notify(episodeId);
    return job.stt;
  }

  async function fail(episodeId: string, error: string, needsAccess?: string): Promise<void> {
    await save(episodeId, (stt) =>
      stt.state === 'running'
        ? {
            ...stt,
            state: 'failed',
            error,
            ...(needsAccess ? { needsAccess } : {}),
            activity: undefined,
          }
        : stt,
    ).catch(() => {});
  }

  async function transcribe(episodeId: string, signal: AbortSignal): Promise<void> {
    const job = await sttJob(db, episodeId);
    if (!job || job.stt.state !== 'running') return;
    try {
      const audio = await openAudio(job.stt.audioUrl, signal);
      let plan = job.stt.plan ?? planFor(audio);
      if (!job.stt.plan) await save(episodeId, (stt) => ({ ...stt, plan }));
      const engine = await deps.engine(job.stt, (activity) => {
        void save(episodeId, (stt) => ({ ...stt, activity })).catch(() => {});
      });
      if (engine.by !== job.stt.by) await save(episodeId, (stt) => ({ ...stt, by: engine.by }));
      const done = new Set(job.stt.pieces.map((p) => p.index));
      // The listener's piece first, when the audio can be read from there.
      const wanted = job.stt.startAt && plan.pieces ? Math.floor(job.stt.startAt / pieceSeconds) : 0;
      const first =
        audio.seekable &&
        wanted > 0 &&
        wanted < plan.pieces! &&
        pieceOffset(audio.probe, wanted, pieceSeconds)
          ? wanted
          : 0;
      const order = (): number | undefined => nextPiece(done, first, plan.pieces);

      // Pieces a positioned read missed (an Ogg offset is an estimate and can land past its
      // piece): read from the start of the file instead.
      const fromStart = new Set<number>();
      for (let want = order(); want !== undefined; want = order()) {
        let processed = false;
        let lastIndex = -1;
        let broke = false;
        const { positioned, pieces } = await readPieces(audio, fromStart.has(want) ? 0 : want, signal);
        for await (const piece of pieces) {
          if (lastIndex < 0 && piece.index > want) fromStart.add(want);
          lastIndex = piece.index;
          if (done.has(piece.index)) continue;
          await transcribePiece(episodeId, engine, piece, signal);
          done.add(piece.index);
          processed = true;
          // The next piece wanted is not the next in this stream: start another read there
          // (a stream that could not start at its piece reads on to the end instead).
          if (positioned && order() !== piece.index + 1) {
            broke = true;
            break;
          }
        }
        if (!broke) {
          // The stream ended: the audio has lastIndex + 1 pieces, whatever the estimate said.
          const pieces = lastIndex + 1;
          if (plan.pieces !== pieces) {
            plan = { ...plan, pieces };
            await save(episodeId, (stt) => ({ ...stt, plan }));
          }
          if (!processed && order() === want) {
            if (fromStart.has(want) || want === 0)
              throw new AudioError('malformed', 'The audio ended early.');
            fromStart.add(want);
          }
        }
      }
      await finish(episodeId);
    } catch (error) {
      if (error instanceof Paused || signal.aborted) return;
      const { message, needsAccess } = explain(error, job.stt.audioUrl);
      await fail(episodeId, message, needsAccess);
    }
  }

  async function transcribePiece(
    episodeId: string,
    engine: SpeechEngine,
    piece: Piece,
    signal: AbortSignal,
  ): Promise<void> {
    const fresh = await sttJob(db, episodeId);
    if (fresh?.stt.state !== 'running') throw new Paused();
    const end = piece.start + piece.duration;
    await save(episodeId, (stt) => ({
      ...stt,
      activity: `Transcribing ${formatClock(Math.round(piece.start))}–${formatClock(Math.round(end))}`,
    }));
    const pcm = await deps.decode(piece.bytes);
    const before = fresh.stt.pieces.find((p) => p.index === piece.index - 1);
    // The words just before, as context: the engine keeps as much of them as it takes.
    const prompt = before?.segments.map((s) => s.text).join(' ');
    const result = await withRetries(
      () =>
        engine.transcribe(pcm, {
          ...(fresh.stt.language ? { language: fresh.stt.language } : {}),
          ...(prompt ? { prompt } : {}),
          signal,
        }),
      signal,
      (words) => void save(episodeId, (stt) => ({ ...stt, activity: words })).catch(() => {}),
    );
    const segments = offsetSegments(result.segments, piece.start);
    await save(episodeId, (stt) => ({
      ...stt,
      pieces: [
        ...stt.pieces.filter((p) => p.index !== piece.index),
        { index: piece.index, seconds: piece.duration, segments },
      ],
      ...(result.costUsd ? { costUsd: (stt.costUsd ?? 0) + result.costUsd } : {}),
      ...(!stt.detectedLanguage && result.language ? { detectedLanguage: result.language } : {}),
      activity: undefined,
    }));
  }

  async function withRetries<T>(
    run: () => Promise<T>,
    signal: AbortSignal,
    say: (words: string) => void,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (signal.aborted) throw new Paused();
        if (!(error instanceof SttError) || !error.retryable || attempt >= retryDelays.length) throw error;
        const wait = Math.min(
          MAX_RETRY_WAIT_MS,
          error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : retryDelays[attempt]!,
        );
        say(`${error.message} Trying again in ${Math.ceil(wait / 1000)} s.`);
        await sleep(wait, signal);
      }
    }
  }

  async function finish(episodeId: string): Promise<void> {
    const job = await sttJob(db, episodeId);
    if (!job || job.stt.state !== 'running') return;
    const segments = mergePieces(job.stt.pieces);
    if (segments.length === 0) {
      await fail(episodeId, 'No speech was heard in the episode’s audio, so there is no transcript to make.');
      return;
    }
    const language = job.stt.language ?? job.stt.detectedLanguage;
    const transcript: Transcript = {
      format: 'text',
      timed: true,
      ...(language ? { language } : {}),
      segments,
    };
    await recordTranscribed(db, episodeId, transcript, { by: job.stt.by, url: job.stt.audioUrl, now: now() });
    await save(episodeId, (stt) => ({ ...stt, state: 'done', activity: undefined }));
  }

  /** The audio's first bytes (and last, for the duration), and whether it can be read out of order. */
  async function openAudio(url: string, signal: AbortSignal): Promise<Audio> {
    const verdict = checkPublicHttpUrl(url);
    if (!verdict.ok)
      throw new AudioError('unsupported', `The audio’s address cannot be read: ${verdict.reason}`);
    const response = await get(url, 0, signal, HEAD_BYTES - 1);
    const seekable = response.status === 206;
    const totalBytes = seekable
      ? Number(/\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1]) || undefined
      : Number(response.headers.get('content-length')) || undefined;
    let head = await readAtMost(response, HEAD_BYTES);
    let headOffset = 0;
    // Cover art in the ID3 tag can push the first frame past the head: read a head from there.
    const tag = leadingTagBytes(head);
    if (tag > 0 && head.length === HEAD_BYTES && tag + MIN_AUDIO_IN_HEAD > head.length) {
      if (tag > MAX_TAG_BYTES)
        throw new AudioError(
          'malformed',
          `The audio file starts with ${Math.round(tag / 1e6)} MB of tags, not audio.`,
        );
      const after = seekable ? await get(url, tag, signal, tag + HEAD_BYTES - 1) : await get(url, 0, signal);
      const bytes = await readAtMost(after, seekable ? HEAD_BYTES : tag + HEAD_BYTES);
      head = seekable ? bytes : bytes.subarray(tag);
      headOffset = tag;
    }
    let tailBytes: Uint8Array | undefined;
    if (seekable && totalBytes && totalBytes > HEAD_BYTES) {
      const end = await get(url, totalBytes - TAIL_BYTES, signal, totalBytes - 1);
      tailBytes = end.status === 206 ? await readAtMost(end, TAIL_BYTES) : undefined;
      if (!tailBytes) await end.body?.cancel().catch(() => {});
    }
    const probe = probeAudio(head, totalBytes, tailBytes, headOffset);
    return { url, probe, seekable, ...(totalBytes ? { totalBytes } : {}) };
  }

  function planFor(audio: Audio): SttPlan {
    const duration = audio.probe.durationSeconds;
    return {
      format: audio.probe.format,
      ...(audio.totalBytes ? { totalBytes: audio.totalBytes } : {}),
      ...(duration ? { durationSeconds: duration, pieces: pieceCount(audio.probe, pieceSeconds)! } : {}),
      pieceSeconds,
      seekable: audio.seekable,
      ...(audio.probe.approximate ? { approximate: true } : {}),
    };
  }

  /**
   * The pieces of the audio from piece `from` on, as they stream in. `positioned`: the stream
   * starts at that piece (else at the start of the file).
   */
  async function readPieces(
    audio: Audio,
    from: number,
    signal: AbortSignal,
  ): Promise<{ positioned: boolean; pieces: AsyncGenerator<Piece> }> {
    const offset = (audio.seekable && from > 0 ? pieceOffset(audio.probe, from, pieceSeconds) : 0) ?? 0;
    const response = await get(audio.url, offset, signal);
    // A server that ignores the range sends the whole file: cut it from the start.
    const startByte = offset > 0 && response.status === 206 ? offset : 0;
    const cutter = new PieceCutter(audio.probe, { startByte, pieceSeconds });
    const reader = response.body!.getReader();
    async function* pieces(): AsyncGenerator<Piece> {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const piece of cutter.push(value)) yield piece;
        }
        for (const piece of cutter.end()) yield piece;
      } finally {
        await reader.cancel().catch(() => {});
      }
    }
    return { positioned: startByte > 0 || from === 0, pieces: pieces() };
  }

  async function get(url: string, from: number, signal: AbortSignal, to?: number): Promise<Response> {
    const headers: Record<string, string> = {};
    if (from > 0 || to !== undefined) headers.Range = `bytes=${from}-${to ?? ''}`;
    const response = await doFetch(url, { headers, signal, credentials: 'omit', cache: 'no-store' });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new AudioError(
        'malformed',
        `${hostOf(url)} answered ${response.status} for the episode’s audio.`,
      );
    }
    if (!response.body) throw new AudioError('empty', `${hostOf(url)} sent no audio.`);
    return response;
  }

  return {
    async kick() {
      again = true;
      loop ??= runLoop().finally(() => {
        loop = undefined;
      });
      return loop;
    },
    halt(episodeId) {
      if (current?.episodeId === episodeId) current.abort.abort();
    },
    stop() {
      stopped = true;
      current?.abort.abort();
    },
  };
}

/**
 * The next piece to do: from `first` to the end, then from the start; undefined when all are done.
 * With the count unknown, the first not done (the stream's end will fix the count).
 */
export function nextPiece(
  done: ReadonlySet<number>,
  first: number,
  total: number | undefined,
): number | undefined {
  if (total === undefined) {
    let i = 0;
    while (done.has(i)) i++;
    return i;
  }
  for (let i = first; i < total; i++) if (!done.has(i)) return i;
  for (let i = 0; i < Math.min(first, total); i++) if (!done.has(i)) return i;
  return undefined;
}

async function readAtMost(response: Response, max: number): Promise<Uint8Array> {
  const reader = response.body!.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      length += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const out = new Uint8Array(Math.min(length, max));
  let at = 0;
  for (const part of parts) {
    const take = Math.min(part.length, out.length - at);
    out.set(part.subarray(0, take), at);
    at += take;
    if (at >= out.length) break;
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Paused());
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Paused());
      },
      { once: true },
    );
  });
}

/** A failure in words, and the host to allow when the audio could not be reached at all. */
function explain(error: unknown, audioUrl: string): { message: string; needsAccess?: string } {
  if (error instanceof AudioError || error instanceof SttError) return { message: error.message };
  if (error instanceof TypeError)
    // fetch's own failure: offline, refused, or (without host access) blocked by CORS.
    return {
      message: `Could not reach ${hostOf(audioUrl)} for the episode’s audio (${error.message}).`,
      needsAccess: hostOf(audioUrl),
    };
  const reason = (error as Error)?.message ?? String(error);
  if ((error as Error)?.name === 'EncodingError' || /decode/i.test(reason))
    return { message: `A piece of the episode’s audio could not be decoded (${reason}).` };
  return { message: `Transcribing stopped: ${reason}` };
}
