// The episode resolver: turns a validated EpisodeHint into one stored episode, reusing the
// episode any of its aliases already names, and remembers which episode plays in which tab.
import type { EpisodeHint, Playback } from '../core/episode/hint';
import { aliasesFor, episodeIdFor } from '../core/episode/identity';
import { feedKey } from '../core/feed';
import { checkPublicHttpUrl } from '../core/net/url-policy';
import type { EpisodeView, NowPlaying, ShowFollow } from '../messages';
import type { EarmarkDB, EpisodeRecord } from './db';
import { insightsStatus } from './insights';
import { transcriptStatus } from './transcripts';
import { sttJob, transcribeOffer, transcriptionView } from './transcribe';

/** Stores what the hint says about its episode and returns the stored record. */
export async function recordEpisode(
  db: EarmarkDB,
  hint: EpisodeHint,
  now = new Date(),
): Promise<EpisodeRecord> {
  const aliases = aliasesFor(hint);
  if (aliases.length === 0) throw new Error('the hint names no episode');
  const tx = db.transaction('episodes', 'readwrite');
  const byAlias = tx.store.index('by-alias');
  // The strongest alias that is already known decides which episode this is.
  let existing: EpisodeRecord | undefined;
  for (const alias of aliases) {
    existing = await byAlias.get(alias);
    if (existing) break;
  }
  // Aliases another episode already owns stay with it (weak evidence never merges two episodes).
  const owned = await Promise.all(aliases.map((a) => byAlias.getKey(a)));
  const fresh = aliases.filter((_, i) => owned[i] === undefined || owned[i] === existing?.id);
  const stamp = now.toISOString();
  const record: EpisodeRecord = {
    ...existing,
    id: existing?.id ?? episodeIdFor(aliases[0]!),
    title: hint.title,
    show: hint.show ?? existing?.show,
    artwork: hint.artwork ?? existing?.artwork,
    durationSeconds: hint.durationSeconds ?? existing?.durationSeconds,
    pageUrl: hint.pageUrl,
    canonicalUrl: hint.canonicalUrl ?? existing?.canonicalUrl,
    enclosureUrl: hint.enclosureUrl ?? existing?.enclosureUrl,
    mediaUrl: hint.mediaUrl ?? existing?.mediaUrl,
    feedUrl: hint.feedUrl ? feedKey(hint.feedUrl) : existing?.feedUrl,
    guid: hint.guid ?? existing?.guid,
    published: hint.published ?? existing?.published,
    appleCollectionId: hint.ids?.appleCollection ?? existing?.appleCollectionId,
    transcriptLinks: hint.transcripts ?? existing?.transcriptLinks,
    site: hint.site,
    aliases: [...new Set([...(existing?.aliases ?? []), ...fresh])],
    firstSeen: existing?.firstSeen ?? stamp,
    lastSeen: stamp,
  };
  for (const key of Object.keys(record) as (keyof EpisodeRecord)[])
    if (record[key] === undefined) delete record[key];
  await tx.store.put(record);
  await tx.done;
  return record;
}

export async function setTabEpisode(
  db: EarmarkDB,
  tabId: number,
  episodeId: string,
  pageUrl?: string,
): Promise<void> {
  const tx = db.transaction('tabs', 'readwrite');
  const old = await tx.store.get(tabId);
  // A new episode in the tab starts with no playback reading of its own.
  const playback = old?.episodeId === episodeId ? old.playback : undefined;
  const url = pageUrl ?? old?.pageUrl;
  await tx.store.put({
    tabId,
    episodeId,
    ...(url ? { pageUrl: url } : {}),
    ...(playback ? { playback } : {}),
    updatedAt: new Date().toISOString(),
  });
  await tx.done;
}

export async function setTabPlayback(db: EarmarkDB, tabId: number, playback: Playback): Promise<void> {
  const tx = db.transaction('tabs', 'readwrite');
  const old = await tx.store.get(tabId);
  await tx.store.put({ ...old, tabId, playback, updatedAt: new Date().toISOString() });
  await tx.done;
}

export async function forgetTab(db: EarmarkDB, tabId: number): Promise<void> {
  await db.delete('tabs', tabId);
}

/** Tab ids do not survive a browser restart: start each session with no tabs. */
export async function forgetAllTabs(db: EarmarkDB): Promise<void> {
  await db.clear('tabs');
}

/** Reads episodes by id, each at most once: lists and results name the same episode many times. */
export function episodeLookup(db: EarmarkDB): (id: string) => Promise<EpisodeRecord | undefined> {
  const known = new Map<string, Promise<EpisodeRecord | undefined>>();
  return (id) => {
    let episode = known.get(id);
    if (!episode) known.set(id, (episode = db.get('episodes', id)));
    return episode;
  };
}

export function toView(e: EpisodeRecord): EpisodeView {
  return {
    id: e.id,
    title: e.title,
    ...(e.show ? { show: e.show } : {}),
    // Pages and feeds name the artwork; the UI loads it: never from a private address.
    ...(e.artwork && checkPublicHttpUrl(e.artwork).ok ? { artwork: e.artwork } : {}),
    ...(e.durationSeconds !== undefined ? { durationSeconds: e.durationSeconds } : {}),
    pageUrl: e.pageUrl,
    site: e.site,
    lastSeen: e.lastSeen,
  };
}

/** What plays in a tab: the stored record, or `live`, what its content script just said. */
export async function nowPlaying(
  db: EarmarkDB,
  tabId: number,
  live?: { episodeId: string; playback?: Playback },
): Promise<NowPlaying | null> {
  const tab = live ?? (await db.get('tabs', tabId));
  if (!tab?.episodeId) return null;
  const episode = await db.get('episodes', tab.episodeId);
  if (!episode) return null;
  const transcript = await transcriptStatus(db, episode.id);
  const insights = await insightsStatus(db, episode.id);
  const follow = await showFollow(db, episode);
  const job = await sttJob(db, episode.id);
  // No transcript anywhere and none being made: what transcribing the audio would take.
  const offer = !job && transcript?.state === 'none' ? await transcribeOffer(db, episode) : undefined;
  return {
    tabId,
    episode: toView(episode),
    ...(tab.playback ? { playback: tab.playback } : {}),
    ...(transcript ? { transcript } : {}),
    ...(insights ? { insights } : {}),
    ...(follow ? { follow } : {}),
    ...(job ? { transcription: transcriptionView(job) } : {}),
    ...(offer ? { transcribe: offer } : {}),
  };
}

/** The show's feed, when known, and whether it is followed (the popup and cards offer to follow). */
export async function showFollow(
  db: EarmarkDB,
  episode: { feedUrl?: string; show?: string },
): Promise<ShowFollow | undefined> {
  if (!episode.feedUrl) return undefined;
  const followed = (await db.count('follows', episode.feedUrl)) > 0;
  return { feedUrl: episode.feedUrl, ...(episode.show ? { title: episode.show } : {}), followed };
}
