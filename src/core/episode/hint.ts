// EpisodeHint: what a site adapter saw on a page, sent from the content script to the background.
// The schema is the gate: the background validates every hint against it before anything is
// stored, and the content script clamps its strings to the same limits before sending.
import * as v from 'valibot';

export const LIMITS = {
  title: 500,
  show: 300,
  id: 200,
  url: 2048,
  site: 40,
  /** Two days: longer "durations" are live streams or nonsense. */
  durationSeconds: 172_800,
} as const;

const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

/** An absolute http(s) URL of bounded length; nothing else (no javascript:, data:, blob:, file:). */
export const HttpUrlSchema = v.pipe(
  v.string(),
  v.maxLength(LIMITS.url),
  v.url(),
  v.check((s) => /^https?:\/\//i.test(s), 'must be an http(s) URL'),
);

const id = v.pipe(v.string(), v.maxLength(LIMITS.id), v.regex(/^[\w.:~-]+$/, 'must be a plain identifier'));

export const EpisodeHintSchema = v.strictObject({
  /** The adapter that produced the hint ("generic", "overcast", …). */
  site: v.pipe(v.string(), v.maxLength(LIMITS.site), v.regex(/^[a-z0-9-]+$/)),
  pageUrl: HttpUrlSchema,
  title: text(LIMITS.title),
  show: v.optional(text(LIMITS.show)),
  artwork: v.optional(HttpUrlSchema),
  durationSeconds: v.optional(
    v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LIMITS.durationSeconds)),
  ),
  canonicalUrl: v.optional(HttpUrlSchema),
  /** The audio file as published (enclosure) when the page names it. */
  enclosureUrl: v.optional(HttpUrlSchema),
  /** What the media element is actually playing (its currentSrc), when it is a real URL. */
  mediaUrl: v.optional(HttpUrlSchema),
  feedUrl: v.optional(HttpUrlSchema),
  guid: v.optional(text(LIMITS.id)),
  /** Publication date as the page gives it (ISO 8601 preferred). */
  published: v.optional(text(40)),
  /** Transcripts the page links (a media element's <track>, a transcript link), at most 8. */
  transcripts: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          url: HttpUrlSchema,
          type: v.optional(text(100)),
          language: v.optional(
            v.pipe(v.string(), v.maxLength(35), v.regex(/^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/)),
          ),
        }),
      ),
      v.maxLength(8),
    ),
  ),
  ids: v.optional(
    v.strictObject({
      youtube: v.optional(id),
      spotify: v.optional(id),
      appleEpisode: v.optional(id),
      appleCollection: v.optional(id),
    }),
  ),
});

export type EpisodeHint = v.InferOutput<typeof EpisodeHintSchema>;

export const PlaybackSchema = v.strictObject({
  position: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LIMITS.durationSeconds)),
  duration: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LIMITS.durationSeconds))),
  paused: v.boolean(),
  rate: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(16)),
  /** When the position was read (ms since the epoch), so readers can extrapolate while playing. */
  at: v.pipe(v.number(), v.finite(), v.minValue(0)),
});

export type Playback = v.InferOutput<typeof PlaybackSchema>;

export { positionAt } from './position';
