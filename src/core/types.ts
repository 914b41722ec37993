// The JSON shapes shared by every part of Earmark (DESIGN.md section 4, a contract).
// Times are seconds (numbers), dates ISO 8601 strings.

export type Segment = { start: number; end?: number; speaker?: string; text: string };

export type Transcript = {
  format: 'vtt' | 'srt' | 'json' | 'html' | 'text' | 'youtube';
  language?: string;
  /** false: starts are estimated from word position, not published times. */
  timed?: boolean;
  segments: Segment[];
};

export type FeedEpisode = {
  guid?: string;
  title: string;
  published?: string;
  enclosureUrl?: string;
  durationSeconds?: number;
  transcripts: { url: string; type?: string; language?: string; rel?: string }[];
  chaptersUrl?: string;
};

export type Feed = {
  title: string;
  link?: string;
  language?: string;
  image?: string;
  episodes: FeedEpisode[];
};

export type Insight = {
  id: string;
  text: string;
  quote: string;
  start: number;
  end?: number;
  topics: string[];
  importance: 1 | 2 | 3 | 4 | 5;
};

export type InsightsResult = {
  engine: string;
  model?: string;
  insights: Insight[];
  usage?: { inputTokens: number; outputTokens: number; cacheReadTokens?: number; costUsd?: number };
};
