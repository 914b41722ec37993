// Which of several published transcripts to take: the listener's languages first, then timed
// formats (WebVTT, SRT, JSON) before untimed ones (HTML, plain text).

export type TranscriptCandidate = { url: string; type?: string; language?: string; rel?: string };

const FORMAT_RANK: [RegExp, number][] = [
  [/vtt|webvtt/i, 5],
  [/json/i, 4],
  [/srt|subrip/i, 4],
  [/html/i, 2],
  [/text\/plain|txt/i, 1],
];

function formatScore(c: TranscriptCandidate): number {
  const probe = `${c.type ?? ''} ${c.url.replace(/[?#].*$/, '')}`;
  for (const [pattern, score] of FORMAT_RANK) if (pattern.test(probe)) return score;
  return 0;
}

function languageScore(language: string | undefined, preferred: readonly string[]): number {
  if (!language) return preferred.length; // unknown: after every explicit match, before a mismatch
  const lang = language.toLowerCase().replace('_', '-');
  for (const [i, want] of preferred.entries()) {
    const w = want.toLowerCase();
    if (lang === w) return 2 * preferred.length - 2 * i + 2;
    if (lang.split('-')[0] === w.split('-')[0]) return 2 * preferred.length - 2 * i + 1;
  }
  return -1;
}

/** Candidates, best first (stable for equal scores). `captions` rel (YouTube-style) come last. */
export function rankTranscripts<T extends TranscriptCandidate>(
  candidates: T[],
  languages: readonly string[],
): T[] {
  return candidates
    .map((c, i) => ({ c, i, lang: languageScore(c.language, languages), fmt: formatScore(c) }))
    .sort((a, b) => b.lang - a.lang || b.fmt - a.fmt || a.i - b.i)
    .map(({ c }) => c);
}
