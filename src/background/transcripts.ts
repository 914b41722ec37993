// The transcript resolver: an ordered chain of places to look for an episode's transcript, each
// step recorded in plain words for the user. (a) What the page links (a media element's caption
// tracks, transcript links); (b) the show's feed, matched to the episode, and its
// <podcast:transcript> tags, the feed found through Apple's public directory when the page names
// none (by the Apple Podcasts page's id, else by show name). The first transcript that downloads and parses is normalised and
// cached in IndexedDB, so it is fetched once. Progress lives in the job record: a worker stopped
// mid-search resumes it (resumeTranscriptJobs).
import { withRoom } from './library/room';
import { rankTranscripts, type TranscriptCandidate } from '../core/choose-transcript';
import {
  appleIds,
  bestShowMatch,
  DirectoryError,
  lookupUrl,
  parseLookup,
  parseSearch,
  searchUrl,
} from '../core/directory';
import { decodeFeedBytes, FeedError, feedKey, matchEpisode, type EpisodeProbe } from '../core/feed';
import { parseTranscript, TranscriptError } from '../core/transcript';
import { formatName } from '../core/transcript/names';
import { mergePieces } from '../core/transcribe/segments';
import type { Feed, Transcript } from '../core/types';
import type { PageCaptions, TranscriptStatus, TranscriptStep } from '../messages';
import type { EarmarkDB, EpisodeRecord, JobRecord } from './db';
import { fetchFeed } from './feeds';
import { FetchError, hostOf, LIMITS, type GuardedFetch } from './net';

export type ResolverDeps = {
  db: EarmarkDB;
  fetch: GuardedFetch;
  /** Whether Earmark may read the host of this address (asked when a download fails). */
  hasAccess: (url: string) => Promise<boolean>;
  /** The listener's languages, most preferred first. */
  languages: readonly string[];
  onUpdate?: (episodeId: string, status: TranscriptStatus) => void;
  now?: () => Date;
};

/** A feed fetched this recently is used as it is, without asking its server again. */
export const FEED_FRESH_MS = 10 * 60 * 1000;
/**
 * Searches running in this worker. A job the database says is running but that is not in here was
 * cut off when a previous worker stopped: it is run again. (Connection state, not data.)
 */
const inFlight = new Map<string, Promise<TranscriptStatus>>();

const jobId = (episodeId: string) => `transcript:${episodeId}`;

/** Writes a search's status into its job record and tells whoever follows the episode. */
async function publish(
  deps: ResolverDeps,
  episodeId: string,
  status: TranscriptStatus,
): Promise<TranscriptStatus> {
  const record: JobRecord = {
    id: jobId(episodeId),
    episodeId,
    kind: 'transcript',
    state: status.state === 'finding' ? 'running' : 'done',
    transcript: status,
    updatedAt: status.updatedAt,
  };
  await deps.db.put('jobs', record);
  deps.onUpdate?.(episodeId, status);
  return status;
}

export async function transcriptStatus(
  db: EarmarkDB,
  episodeId: string,
): Promise<TranscriptStatus | undefined> {
  return (await db.get('jobs', jobId(episodeId)))?.transcript;
}

export function resolveTranscript(
  deps: ResolverDeps,
  episodeId: string,
  options: { force?: boolean } = {},
): Promise<TranscriptStatus> {
  const running = inFlight.get(episodeId);
  if (running) return running;
  const run = search(deps, episodeId, options).finally(() => inFlight.delete(episodeId));
  inFlight.set(episodeId, run);
  return run;
}

async function search(
  deps: ResolverDeps,
  episodeId: string,
  { force = false }: { force?: boolean },
): Promise<TranscriptStatus> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const job = await db.get('jobs', jobId(episodeId));
  // A finished search is not repeated unless asked; a "running" one here was cut off: run it.
  if (!force && job?.transcript && job.state === 'done') return job.transcript;
  const episode = await db.get('episodes', episodeId);
  if (!episode) throw new Error('No such episode.');

  const steps: TranscriptStep[] = [...(episode.pageNotes ?? [])];
  const save = async (state: TranscriptStatus['state'], found?: TranscriptStatus['found']) => {
    const status: TranscriptStatus = {
      state,
      steps: [...steps],
      ...(found ? { found } : {}),
      updatedAt: now().toISOString(),
    };
    return publish(deps, episodeId, status);
  };
  await save('finding');

  // (a) The page. A transcript the page handed over (YouTube captions) cannot be fetched again.
  // So cannot Earmark's own transcription of the audio (it was asked for because none was found).
  const pushed = await db.get('transcripts', episodeId);
  if (pushed?.pushed || pushed?.source === 'transcribed')
    return save('found', foundOf(pushed.source, pushed.transcript, pushed.url, pushed.by));
  // Earmark's transcription, dropped from the cache for room: made again from the pieces its job keeps.
  const transcribed = (await db.get('jobs', `transcribe:${episodeId}`))?.stt;
  if (!pushed && transcribed?.state === 'done') {
    const segments = mergePieces(transcribed.pieces);
    const language = transcribed.language ?? transcribed.detectedLanguage;
    if (segments.length > 0) {
      const status = await recordTranscribed(
        db,
        episodeId,
        { format: 'text', timed: true, ...(language ? { language } : {}), segments },
        { by: transcribed.by, url: transcribed.audioUrl, now: now() },
      );
      deps.onUpdate?.(episodeId, status);
      return status;
    }
  }
  const pageLinks = rankTranscripts(episode.transcriptLinks ?? [], deps.languages);
  if (pageLinks.length === 0)
    steps.push({ source: 'page', outcome: 'none', detail: 'The page links no transcript.' });
  for (const link of pageLinks) {
    const found = await tryTranscript(deps, episode, link, 'page', steps);
    if (found) return save('found', found);
    await save('finding');
  }

  // (b) The show's feed: named by the page, else found in Apple's directory.
  const probe: EpisodeProbe = {
    ...(episode.guid ? { guid: episode.guid } : {}),
    ...(episode.enclosureUrl || episode.mediaUrl
      ? { enclosureUrl: (episode.enclosureUrl ?? episode.mediaUrl)! }
      : {}),
    title: episode.title,
    ...(episode.published ? { published: episode.published } : {}),
  };
  let feedUrl = episode.feedUrl;
  if (!feedUrl) {
    const listed = await findInDirectory(deps, episode, probe, steps);
    if (!listed) return save('none');
    feedUrl = feedKey(listed);
    await db.put('episodes', { ...((await db.get('episodes', episodeId)) ?? episode), feedUrl });
  }
  const feed = await loadFeed(deps, feedUrl, steps);
  if (!feed) return save('none');
  const item = matchEpisode(feed, probe);
  // The feed's enclosure is the audio to transcribe when no transcript turns up.
  if (item?.enclosureUrl && !episode.enclosureUrl) {
    const latest = (await db.get('episodes', episodeId)) ?? episode;
    await db.put('episodes', { ...latest, enclosureUrl: item.enclosureUrl });
  }
  if (!item) {
    steps.push({
      source: 'feed',
      outcome: 'none',
      detail: `The show’s feed (${hostOf(feedUrl)}) has no episode matching this one (${feed.episodes.length} checked).`,
    });
    return save('none');
  }
  if (item.transcripts.length === 0) {
    steps.push({
      source: 'feed',
      outcome: 'none',
      detail: 'The show’s feed publishes no transcript for this episode.',
    });
    return save('none');
  }
  for (const candidate of rankTranscripts(item.transcripts, deps.languages)) {
    const found = await tryTranscript(deps, episode, candidate, 'feed', steps);
    if (found) return save('found', found);
    await save('finding');
  }
  return save('none');
}

const ITUNES_LIMITS = { maxBytes: 2 * 1024 * 1024, timeoutMs: 15_000 } as const;

/**
 * The show's feed address from Apple's public directory: by the Apple Podcasts page's id when the
 * episode was heard there, else by the show's name (with the episode title to narrow it). Fills
 * the probe's guid and enclosure from Apple's episode listing when it names the episode.
 */
async function findInDirectory(
  deps: ResolverDeps,
  episode: EpisodeRecord,
  probe: EpisodeProbe,
  steps: TranscriptStep[],
): Promise<string | undefined> {
  const apple =
    appleIds(episode.canonicalUrl ?? episode.pageUrl) ??
    appleIds(episode.pageUrl) ??
    (episode.appleCollectionId ? { collectionId: episode.appleCollectionId } : undefined);
  if (!apple && !episode.show) {
    steps.push({ source: 'feed', outcome: 'none', detail: 'The page names no feed for this show.' });
    return undefined;
  }
  const url = apple ? lookupUrl(apple.collectionId) : searchUrl(episode.show!, episode.title);
  const what = apple ? 'Apple Podcasts’ listing of the show' : 'Apple Podcasts’ directory';
  try {
    const fetched = await deps.fetch(url, { ...ITUNES_LIMITS, accept: 'application/json' });
    if (fetched.status !== 200) throw new FetchError('http', 'itunes.apple.com answered 304.');
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(fetched.bytes));
    } catch {
      throw new DirectoryError('Apple’s answer is not JSON.');
    }
    if (apple) {
      const lookup = parseLookup(json);
      const listed = lookup.episodes.find((e) => e.trackId === apple.episodeId);
      if (listed?.guid && !probe.guid) probe.guid = listed.guid;
      if (listed?.url && !probe.enclosureUrl) probe.enclosureUrl = listed.url;
      if (!lookup.show?.feedUrl) {
        steps.push({
          source: 'directory',
          outcome: 'none',
          detail: 'Apple Podcasts lists no public feed for this show.',
        });
        return undefined;
      }
      steps.push({
        source: 'directory',
        outcome: 'found',
        detail: `Apple Podcasts names the show’s feed (${hostOf(lookup.show.feedUrl)}).`,
      });
      return lookup.show.feedUrl;
    }
    const show = bestShowMatch(parseSearch(json), episode.show!);
    if (!show) {
      steps.push({
        source: 'directory',
        outcome: 'none',
        detail: `The page names no feed, and Apple Podcasts’ directory has no show named “${episode.show}”.`,
      });
      return undefined;
    }
    steps.push({
      source: 'directory',
      outcome: 'found',
      detail: `The page names no feed; Apple Podcasts’ directory lists “${show.name}” with its feed (${hostOf(show.feedUrl)}).`,
    });
    return show.feedUrl;
  } catch (error) {
    steps.push(await failureStep(deps, 'directory', url, what, error));
    return undefined;
  }
}

async function loadFeed(deps: ResolverDeps, url: string, steps: TranscriptStep[]): Promise<Feed | undefined> {
  const now = deps.now ?? (() => new Date());
  const cached = await deps.db.get('feeds', url);
  if (cached && now().getTime() - Date.parse(cached.fetchedAt) < FEED_FRESH_MS) return cached.feed;
  try {
    const { feed, ...validators } = await fetchFeed(deps.fetch, url, cached);
    await deps.db.put('feeds', { url, feed, fetchedAt: now().toISOString(), ...validators });
    return feed;
  } catch (error) {
    steps.push(await failureStep(deps, 'feed', url, 'the show’s feed', error));
    return undefined;
  }
}

async function tryTranscript(
  deps: ResolverDeps,
  episode: EpisodeRecord,
  candidate: TranscriptCandidate,
  source: 'page' | 'feed',
  steps: TranscriptStep[],
): Promise<TranscriptStatus['found'] | undefined> {
  const where = source === 'page' ? 'the page' : 'the show’s feed';
  try {
    const fetched = await deps.fetch(candidate.url, { ...LIMITS.transcript });
    if (fetched.status !== 200) throw new FetchError('http', `${hostOf(candidate.url)} answered 304.`);
    const transcript: Transcript = parseTranscript(decodeFeedBytes(fetched.bytes, fetched.contentType), {
      ...(candidate.type ? { type: candidate.type } : {}),
      url: candidate.url,
      ...(candidate.language ? { language: candidate.language } : {}),
    });
    const stamp = (deps.now ?? (() => new Date()))().toISOString();
    const record = {
      episodeId: episode.id,
      source,
      url: candidate.url,
      transcript,
      fetchedAt: stamp,
      usedAt: stamp,
    };
    await withRoom(deps.db, () => deps.db.put('transcripts', record), { keep: [episode.id] });
    const found = foundOf(source, transcript, candidate.url);
    steps.push({
      source,
      outcome: 'found',
      detail: `Found on ${where}: ${formatName(transcript.format)}, ${transcript.segments.length} segments.`,
    });
    return found;
  } catch (error) {
    steps.push(await failureStep(deps, source, candidate.url, `a transcript linked from ${where}`, error));
    return undefined;
  }
}

function foundOf(
  source: 'page' | 'feed' | 'transcribed',
  transcript: Transcript,
  url: string,
  by?: string,
): NonNullable<TranscriptStatus['found']> {
  return {
    source,
    format: transcript.format,
    ...(transcript.language ? { language: transcript.language } : {}),
    segments: transcript.segments.length,
    url,
    ...(by ? { by } : {}),
  };
}

/**
 * Stores Earmark's own transcription of an episode's audio as its transcript, cached like any
 * other, and marks the transcript search found, so insights, cards and grounding use it as they
 * would a published one.
 */
export async function recordTranscribed(
  db: EarmarkDB,
  episodeId: string,
  transcript: Transcript,
  { by, url, now = new Date() }: { by: string; url: string; now?: Date },
): Promise<TranscriptStatus> {
  const stamp = now.toISOString();
  const record = {
    episodeId,
    source: 'transcribed' as const,
    by,
    url,
    transcript,
    fetchedAt: stamp,
    usedAt: stamp,
  };
  await withRoom(db, () => db.put('transcripts', record), { keep: [episodeId] });
  const previous = (await db.get('jobs', jobId(episodeId)))?.transcript;
  const status: TranscriptStatus = {
    state: 'found',
    steps: previous?.steps ?? [],
    found: foundOf('transcribed', transcript, url, by),
    updatedAt: stamp,
  };
  await db.put('jobs', {
    id: jobId(episodeId),
    episodeId,
    kind: 'transcript',
    state: 'done',
    transcript: status,
    updatedAt: stamp,
  });
  return status;
}

async function failureStep(
  deps: ResolverDeps,
  source: TranscriptStep['source'],
  url: string,
  what: string,
  error: unknown,
): Promise<TranscriptStep> {
  if (
    error instanceof FetchError &&
    error.code === 'network' &&
    !(await deps.hasAccess(url).catch(() => true))
  )
    return {
      source,
      outcome: 'no-access',
      host: hostOf(url),
      detail: `Earmark needs your permission to read ${hostOf(url)} to get ${what}.`,
    };
  const reason =
    error instanceof FetchError ||
    error instanceof FeedError ||
    error instanceof TranscriptError ||
    error instanceof DirectoryError
      ? error.message
      : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
  return { source, outcome: 'error', detail: `Could not use ${what} (${hostOf(url)}): ${reason}` };
}

/** Transcript searches a stopped worker left running: run them again. */
export async function resumeTranscriptJobs(deps: ResolverDeps): Promise<number> {
  const running = await deps.db.getAllFromIndex('jobs', 'by-state', 'running');
  const orphans = running.filter((j) => j.kind === 'transcript' && !inFlight.has(j.episodeId));
  await Promise.all(orphans.map((job) => resolveTranscript(deps, job.episodeId).catch(() => undefined)));
  return orphans.length;
}

const CAPTION_NOTES: Record<Exclude<PageCaptions['status'], 'ok'>, string> = {
  'po-token-required':
    'YouTube sent an empty caption file: its captions for this video need a proof-of-origin token that only YouTube’s own player can make.',
  disabled: 'The video has no captions.',
  blocked: 'YouTube refused to show this video’s details (a bot check or a consent page).',
  'login-required': 'The video needs a signed-in, age-verified account, so its captions are out of reach.',
  unplayable: 'The video does not play, so its captions are out of reach.',
  unavailable: 'The video’s captions are unavailable.',
};

/**
 * Captions a tab's player handed over (YouTube): stored as the episode's transcript when they
 * parse, and in any case noted as the search's first step, so the user sees what the page said.
 */
export async function acceptPageCaptions(
  deps: ResolverDeps,
  tabId: number,
  captions: PageCaptions,
): Promise<TranscriptStatus | null> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const tab = await db.get('tabs', tabId);
  const episode = tab?.episodeId ? await db.get('episodes', tab.episodeId) : undefined;
  if (!episode) throw new Error('No episode plays in this tab.');
  if (!captions.videoId || !episode.aliases.includes(`youtube:${captions.videoId}`))
    throw new Error('These captions are for another video than the one playing in the tab.');
  await inFlight.get(episode.id)?.catch(() => undefined); // let a running search finish first

  const label = captions.track ? ` (${captions.track.name || captions.track.languageCode})` : '';
  let note: TranscriptStep;
  let found: TranscriptStatus['found'];
  if (captions.status === 'ok' && captions.body) {
    try {
      const transcript = parseTranscript(captions.body, {
        type: 'youtube',
        ...(captions.track?.languageCode ? { language: captions.track.languageCode } : {}),
      });
      const url = `https://www.youtube.com/watch?v=${captions.videoId}`;
      const stamp = now().toISOString();
      const record = {
        episodeId: episode.id,
        source: 'page' as const,
        url,
        pushed: true,
        transcript,
        fetchedAt: stamp,
        usedAt: stamp,
      };
      await withRoom(db, () => db.put('transcripts', record), { keep: [episode.id] });
      found = foundOf('page', transcript, url);
      note = {
        source: 'page',
        outcome: 'found',
        detail: `Found on the page: YouTube captions${label}, ${transcript.segments.length} segments.`,
      };
    } catch (error) {
      note = {
        source: 'page',
        outcome: 'error',
        detail: `Could not use the video’s captions${label}: ${(error as Error).message}`,
      };
    }
  } else {
    const base = CAPTION_NOTES[captions.status === 'ok' ? 'unavailable' : captions.status];
    note = {
      source: 'page',
      outcome: 'none',
      detail: captions.reason ? `${base} (YouTube: ${captions.reason})` : base,
    };
  }
  await db.put('episodes', { ...episode, pageNotes: [note] });

  const job = await db.get('jobs', jobId(episode.id));
  const previous = job?.transcript;
  const others = (previous?.steps ?? []).filter(
    (s) => !(episode.pageNotes ?? []).some((n) => n.detail === s.detail),
  );
  const state: TranscriptStatus['state'] = found ? 'found' : (previous?.state ?? 'none');
  const status: TranscriptStatus = {
    state,
    steps: [note, ...others],
    ...(found ? { found } : previous?.found ? { found: previous.found } : {}),
    updatedAt: now().toISOString(),
  };
  return publish(deps, episode.id, status);
}
