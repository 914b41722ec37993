// Transcribing an episode's audio when nothing is published (the worker's side). The worker
// starts, pauses and resumes jobs and shows them; the driver (src/offscreen/driver.ts) does the
// work in a document that has Web Audio and WebAssembly: Chrome's offscreen document, Firefox's
// background page. Every fact lives in the job record (`transcribe:<episodeId>`), so a stopped
// worker or a closed document loses at most the piece in progress.
import { WHISPER_MODELS, type TranscribeOffer, type TranscriptionView } from '../messages';
import { checkPublicHttpUrl } from '../core/net/url-policy';
import { whisperCached } from '../core/transcribe/whisper-cache';
import type { EarmarkDB, EpisodeRecord, JobRecord, SttJob } from './db';
import { mergePieces } from '../core/transcribe/segments';
import { hostOf } from './net';
import { recordTranscribed } from './transcripts';
import { readSettings, type Settings } from './settings';

export const sttJobId = (episodeId: string) => `transcribe:${episodeId}`;

export type SttDeps = {
  db: EarmarkDB;
  /** Makes sure the driver runs the jobs marked running (creates the offscreen document). */
  kick: () => Promise<void>;
  /** Tells the driver to stop the piece in progress of this episode. */
  halt: (episodeId: string) => Promise<void>;
  /** The listener's position in the episode, when a tab plays it. */
  position: (episodeId: string) => Promise<number | undefined>;
  now?: () => Date;
};

/** The audio to transcribe: the feed's enclosure, else the address the page's player plays. */
export function audioOf(episode: EpisodeRecord): string | undefined {
  for (const url of [episode.enclosureUrl, episode.mediaUrl])
    if (url && checkPublicHttpUrl(url).ok) return url;
  return undefined;
}

/** Who transcribes with these settings, in words. */
export function sttBy(settings: Settings): string {
  if (settings.sttEngine === 'openai') return `${settings.sttModel} at ${hostOf(settings.sttBaseUrl)}`;
  return `${whisperLabel(settings.whisperModel)} on this device`;
}

export function whisperLabel(model: string): string {
  return WHISPER_MODELS.find((m) => m.id === model)?.label ?? model;
}

/** Why transcribing cannot start with these settings, in words (undefined: it can). */
function blockedBy(settings: Settings, audio: string | undefined): string | undefined {
  if (!audio)
    return 'The page gives no public address for the episode’s audio, so there is nothing to transcribe.';
  if (settings.sttEngine === 'openai' && !settings.sttApiKey)
    return 'Set your transcription service’s key in Earmark’s options first (Transcription).';
  return undefined;
}

/** What transcribing the episode would take, shown before it starts. */
export async function transcribeOffer(db: EarmarkDB, episode: EpisodeRecord): Promise<TranscribeOffer> {
  const settings = await readSettings(db);
  const audio = audioOf(episode);
  const blocked = blockedBy(settings, audio);
  const duration = episode.durationSeconds;
  const offer: TranscribeOffer = {
    engine: settings.sttEngine,
    by: sttBy(settings),
    audio: !!audio,
    ...(blocked ? { blocked } : {}),
    ...(duration ? { durationSeconds: duration } : {}),
  };
  if (settings.sttEngine === 'openai') {
    offer.host = hostOf(settings.sttBaseUrl);
    offer.pricePerMinute = settings.sttPricePerMinute;
    if (duration) offer.costUsd = Math.round((duration / 60) * settings.sttPricePerMinute * 100) / 100;
  } else if (!(await whisperCached(settings.whisperModel).catch(() => false))) {
    const model = WHISPER_MODELS.find((m) => m.id === settings.whisperModel);
    if (model) offer.downloadBytes = model.bytes;
  }
  return offer;
}

/** The job as the UI sees it. */
export function transcriptionView(job: JobRecord & { stt: SttJob }): TranscriptionView {
  const { stt } = job;
  const doneSeconds = stt.pieces.reduce((sum, piece) => sum + piece.seconds, 0);
  return {
    state: stt.state,
    engine: stt.engine,
    by: stt.by,
    doneSeconds: Math.round(doneSeconds),
    ...(stt.plan?.durationSeconds ? { totalSeconds: Math.round(stt.plan.durationSeconds) } : {}),
    ...(stt.activity && stt.state === 'running' ? { activity: stt.activity } : {}),
    ...(stt.error && stt.state === 'failed' ? { error: stt.error } : {}),
    ...(stt.needsAccess && stt.state === 'failed' ? { needsAccess: stt.needsAccess } : {}),
    ...(stt.costUsd ? { costUsd: Math.round(stt.costUsd * 10000) / 10000 } : {}),
    updatedAt: job.updatedAt,
  };
}

export async function sttJob(
  db: EarmarkDB,
  episodeId: string,
): Promise<(JobRecord & { stt: SttJob }) | undefined> {
  const job = await db.get('jobs', sttJobId(episodeId));
  return job?.stt ? (job as JobRecord & { stt: SttJob }) : undefined;
}

/** The jobs' index state for each transcription state (paused ones are not picked up). */
const JOB_STATE = { running: 'running', paused: 'queued', done: 'done', failed: 'failed' } as const;

/** Changes a job in one transaction (the driver writes the same record). */
export async function updateSttJob(
  db: EarmarkDB,
  episodeId: string,
  change: (stt: SttJob) => SttJob,
  now = new Date(),
): Promise<JobRecord & { stt: SttJob }> {
  const tx = db.transaction('jobs', 'readwrite');
  const job = await tx.store.get(sttJobId(episodeId));
  if (!job?.stt) throw new Error('This episode is not being transcribed.');
  const stt = change(job.stt);
  const record = { ...job, stt, state: JOB_STATE[stt.state], updatedAt: now.toISOString() };
  await tx.store.put(record);
  await tx.done;
  return record;
}

/** Starts transcribing (the user agreed to the offer), or shows the job that runs already. */
export async function startTranscription(deps: SttDeps, episodeId: string): Promise<TranscriptionView> {
  const { db } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const existing = await sttJob(db, episodeId);
  if (existing && existing.stt.state !== 'failed' && existing.stt.state !== 'paused') {
    if (existing.stt.state === 'running') await deps.kick();
    return transcriptionView(existing);
  }
  if (existing) return resumeTranscription(deps, episodeId);
  const episode = await db.get('episodes', episodeId);
  if (!episode) throw new Error('No such episode.');
  const settings = await readSettings(db);
  const audioUrl = audioOf(episode);
  const blocked = blockedBy(settings, audioUrl);
  if (blocked || !audioUrl) throw new Error(blocked);
  const position = await deps.position(episodeId).catch(() => undefined);
  const language = episode.feedUrl ? (await db.get('feeds', episode.feedUrl))?.feed.language : undefined;
  const stt: SttJob = {
    state: 'running',
    engine: settings.sttEngine,
    model: settings.sttEngine === 'openai' ? settings.sttModel : settings.whisperModel,
    by: sttBy(settings),
    audioUrl,
    // The show's language, when its feed says (Whisper in the browser does not detect one).
    ...(language ? { language } : {}),
    ...(position && position > 0 ? { startAt: position } : {}),
    pieces: [],
    activity: 'Reading the episode’s audio…',
    startedAt: now.toISOString(),
  };
  const job = {
    id: sttJobId(episodeId),
    episodeId,
    kind: 'transcribe' as const,
    state: 'running' as const,
    stt,
    updatedAt: now.toISOString(),
  };
  await db.put('jobs', job);
  await deps.kick();
  return transcriptionView(job);
}

export async function pauseTranscription(deps: SttDeps, episodeId: string): Promise<TranscriptionView> {
  const job = await updateSttJob(deps.db, episodeId, (stt) =>
    stt.state === 'running' ? { ...stt, state: 'paused' } : stt,
  );
  await deps.halt(episodeId).catch(() => {});
  return transcriptionView(job);
}

/**
 * Goes on from the pieces done, after a pause or a failure. The engine is the one the options
 * name now (switching engine is one way out of a failure); the pieces done are kept.
 */
export async function resumeTranscription(deps: SttDeps, episodeId: string): Promise<TranscriptionView> {
  const settings = await readSettings(deps.db);
  const current = await sttJob(deps.db, episodeId);
  if (!current) return startTranscription(deps, episodeId);
  if (current.stt.state === 'done') return transcriptionView(current);
  const blocked = blockedBy(settings, current.stt.audioUrl);
  if (blocked) throw new Error(blocked);
  const job = await updateSttJob(deps.db, episodeId, (stt) => {
    const { error: _e, needsAccess: _n, ...rest } = stt;
    return {
      ...rest,
      state: 'running',
      engine: settings.sttEngine,
      model: settings.sttEngine === 'openai' ? settings.sttModel : settings.whisperModel,
      by: sttBy(settings),
      activity: 'Going on…',
    };
  });
  await deps.kick();
  return transcriptionView(job);
}

/** Jobs that should be running (a stopped browser or a closed document may have left them so), oldest first. */
export async function runnableSttJobs(db: EarmarkDB): Promise<string[]> {
  const running = await db.getAllFromIndex('jobs', 'by-state', 'running');
  return running
    .filter((j) => j.kind === 'transcribe' && j.stt?.state === 'running')
    .sort((a, b) => a.stt!.startedAt.localeCompare(b.stt!.startedAt))
    .map((j) => j.episodeId);
}

/**
 * Once the first piece is done (the one the listener is hearing), its words stand as the episode's
 * transcript so far, so insights for what they hear now come before the rest is transcribed; the
 * whole replaces it when done (the driver's finish). True when this call wrote it (exactly once a
 * job: the flag is set in the same transaction that reads it).
 */
export async function recordFirstPiece(
  db: EarmarkDB,
  { episodeId, stt }: JobRecord & { stt: SttJob },
  now = new Date(),
): Promise<boolean> {
  if (stt.state !== 'running' || stt.insightsOf || stt.pieces.length !== 1) return false;
  if (stt.plan?.pieces !== undefined && stt.plan.pieces < 2) return false;
  const segments = mergePieces(stt.pieces);
  if (segments.length === 0 || (await db.get('transcripts', episodeId))) return false;
  let first = false;
  await updateSttJob(
    db,
    episodeId,
    (current) => {
      first = !current.insightsOf;
      return { ...current, insightsOf: 'part' };
    },
    now,
  );
  if (!first) return false;
  const language = stt.language ?? stt.detectedLanguage;
  await recordTranscribed(
    db,
    episodeId,
    { format: 'text', timed: true, ...(language ? { language } : {}), segments },
    { by: `${stt.by}, so far`, url: stt.audioUrl, now },
  );
  return true;
}

/**
 * The job is done: whether its insights must be made again from the whole transcript (they were
 * made from the first piece). True once: the flag flips in one transaction.
 */
export async function wholeAfterPart(db: EarmarkDB, episodeId: string): Promise<boolean> {
  let again = false;
  await updateSttJob(db, episodeId, (stt) => {
    again = stt.insightsOf === 'part';
    return again ? { ...stt, insightsOf: 'whole' } : stt;
  });
  return again;
}

/**
 * What a change of the job asks of insights (the driver wrote progress, or finished): those of
 * the first piece, of the whole (`force`: made again over the first piece's), or none.
 */
export async function insightsAfter(
  db: EarmarkDB,
  episodeId: string,
): Promise<{ force: boolean } | undefined> {
  const job = await sttJob(db, episodeId);
  if (job?.stt.state === 'done') return { force: await wholeAfterPart(db, episodeId) };
  if (job?.stt.state === 'running' && (await recordFirstPiece(db, job))) return { force: true };
  return undefined;
}
