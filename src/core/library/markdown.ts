// A day's saved insights and a day's brief as Markdown (the user's own notes, to paste or keep),
// and links that open an episode at a moment. Everything in the output that came from a page, a
// feed, a transcript or the model is escaped: it reads as the same text, and can make no link,
// image, HTML, heading or list of its own. Only http(s) links are ever written.
import { formatClock } from '../text/time';
import type { Insight } from '../types';
import { formatDay } from './day';
import type { EpisodeRecord, SavedRecord } from './records';

// ── Deep links ─────────────────────────────────────────────────────────────────────────────────

function httpUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

const YOUTUBE_ID = /^[\w-]{11}$/;

/** The video id of a YouTube watch, youtu.be, embed, shorts or live URL. */
function youtubeId(raw: string | undefined): string | undefined {
  const url = httpUrl(raw);
  if (!url) return undefined;
  const host = url.hostname.toLowerCase().replace(/^(?:www|m|music)\./, '');
  let id: string | null | undefined;
  if (host === 'youtu.be') id = url.pathname.split('/')[1];
  else if (host === 'youtube.com' || host === 'youtube-nocookie.com')
    id =
      url.pathname === '/watch'
        ? url.searchParams.get('v')
        : /^\/(?:embed|shorts|live|v)\/([\w-]{11})(?:\/|$)/.exec(url.pathname)?.[1];
  return id && YOUTUBE_ID.test(id) ? id : undefined;
}

/** The episode id of an Overcast episode page (overcast.fm/+ID, maybe already with a time). */
function overcastId(raw: string | undefined): string | undefined {
  const url = httpUrl(raw);
  if (!url || url.hostname.toLowerCase().replace(/^www\./, '') !== 'overcast.fm') return undefined;
  return /^\/\+([\w-]+)(?:\/|$)/.exec(url.pathname)?.[1];
}

/**
 * A link that opens the episode at `seconds` (floored; bad values count as 0), best first:
 * YouTube at the second (`&t=123s`); Overcast's time link (`overcast.fm/+ID/1:23`); the audio file
 * with a media fragment (`#t=123`, which browsers' players honour); else the episode's page,
 * without a time. Only ever an http(s) URL; undefined when the episode has none.
 */
export function deepLink(episode: EpisodeRecord | undefined, seconds: number): string | undefined {
  if (!episode) return undefined;
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const pages = [episode.canonicalUrl, episode.pageUrl];

  let video = pages.map(youtubeId).find(Boolean);
  if (!video && episode.site === 'youtube')
    video = episode.aliases
      .map((a) => /^youtube:(.+)$/.exec(a)?.[1])
      .find((id) => id !== undefined && YOUTUBE_ID.test(id));
  if (video) return `https://www.youtube.com/watch?v=${video}&t=${s}s`;

  const overcast = pages.map(overcastId).find(Boolean);
  if (overcast) return `https://overcast.fm/+${overcast}/${formatClock(s)}`;

  const media = [episode.enclosureUrl, episode.mediaUrl].map(httpUrl).find(Boolean);
  if (media) {
    media.hash = `t=${s}`;
    return media.href;
  }
  return pages.map(httpUrl).find(Boolean)?.href;
}

// ── Escaping ───────────────────────────────────────────────────────────────────────────────────

/** One line of untrusted text as inert Markdown (CommonMark and GitHub's extensions). */
function escapeLine(line: string): string {
  const escaped = line
    .trim() // leading spaces would make an indented code block
    .replace(/[\\`*_[\]#|~]/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '\\&') // "&lt;" stays those four characters, not "<"
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  // What would start a list, a heading underline or a thematic break at the start of a line.
  return escaped.replace(/^[-+=]/, '\\$&').replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/** Untrusted text on one line (a heading, a link's text): white space, line breaks too, as one space. */
export function escapeInline(text: string): string {
  return escapeLine(text.replace(/\s+/g, ' '));
}

/** Untrusted text over several lines: its lines, each escaped; runs of blank lines as one. */
function escapeLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/).map(escapeLine);
  return lines.filter((line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''));
}

/** A link destination that cannot end early: parentheses, spaces, brackets and backslashes encoded. */
function destination(url: string): string {
  return url.replace(/[()<>\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

// ── The day's list ─────────────────────────────────────────────────────────────────────────────

export type DayListItem = { saved: SavedRecord; episode?: EpisodeRecord };

/** An insight as a heading, its quote (a block quote) and where it is said (linked to the moment). */
function insightLines(insight: Insight, episode: EpisodeRecord | undefined): string[] {
  const out = [`## ${escapeInline(insight.text) || '(no text)'}`, ''];
  const quote = escapeLines(insight.quote.trim());
  if (quote.length > 0) out.push(...quote.map((line) => (line ? `> ${line}` : '>')), '');
  const name = episode
    ? [episode.show, episode.title]
        .map((part) => escapeInline(part ?? ''))
        .filter(Boolean)
        .join(' — ')
    : '';
  const where = `${name || 'Episode not in the library'} · ${formatClock(insight.start)}`;
  const link = deepLink(episode, insight.start);
  out.push(link ? `[${where}](${destination(link)})` : where, '');
  return out;
}

/**
 * The list of one day as Markdown, items in the order given: a heading with the date, then for
 * each item its insight (a heading), the quote (a block quote), where it is said (show — episode ·
 * time, linked to that moment when there is a link) and the user's note.
 */
export function dayListMarkdown(day: string, items: DayListItem[]): string {
  const out = [`# Earmark — saved on ${formatDay(day)}`, ''];
  if (items.length === 0) out.push('Nothing saved on this day.', '');
  for (const { saved, episode } of items) {
    out.push(...insightLines(saved.insight, episode));
    const note = escapeLines((saved.note ?? '').trim());
    if (note.length > 0) {
      // Lines of a paragraph end in a backslash (a hard line break); blank lines part paragraphs.
      const lines = note.map((line, i) => (line !== '' && note[i + 1] ? `${line}\\` : line));
      lines[0] = `**Note:** ${lines[0]}`;
      out.push(...lines, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ── The daily brief ────────────────────────────────────────────────────────────────────────────

/** An item of a brief (its insight and why it is there, as the brief keeps them) and its episode. */
export type BriefListItem = { insight: Insight; reason: string; episode?: EpisodeRecord };

export type BriefMarkdownInput = {
  day: string;
  /** When it was made: not written (the heading names the day); taken so a stored brief passes as is. */
  createdAt?: string;
  items: BriefListItem[];
};

/**
 * One day's brief as Markdown, items in the order given (best first), as the day's list is:
 * a heading with the date, then for each item its insight, quote, where it is said (linked to
 * the moment) and why it is in the brief. A day with nothing new says so.
 */
export function briefMarkdown({ day, items }: BriefMarkdownInput): string {
  const out = [`# Earmark — daily brief for ${formatDay(day)}`, ''];
  if (items.length === 0) out.push('Nothing new arrived on this day.', '');
  for (const { insight, reason, episode } of items) {
    out.push(...insightLines(insight, episode));
    const why = escapeInline(reason);
    if (why) out.push(`**Why:** ${why}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
