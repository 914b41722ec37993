// Hand check of the transcript parsers against the real-world files in ../shared/fixtures/real
// (see its SOURCES.md). Not part of the test suite (the suite must pass without ../shared):
//   npx tsx test/core/transcript/check-real.ts [path/to/fixtures/real]
// Prints, per file: parsed or the error, the segment count, and any mismatch with the expected
// output that comes with some files, with the reason. Exits 0 whatever it finds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cuesToPieces, scanCues, splitLines } from '../../../src/core/transcript/cues';
import { parseTranscript, TranscriptError } from '../../../src/core/transcript/index';
import type { Transcript } from '../../../src/core/types';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REAL = process.argv[2] ?? join(ROOT, '..', 'shared', 'fixtures', 'real');

/** Why a known difference from a reference is expected, by file. */
const WHY: Record<string, string> = {
  'cue-times__fraction-digits.vtt':
    'we accept fewer than 3 fraction digits (lenient, as real files need); vtt.js follows the spec (exactly 3)',
  'cue-times__minimum-spots-over-sixty.vtt':
    '"120:00.000" is minutes:seconds for us (hour-less files write m:ss.ttt); vtt.js reads 120 as hours; the spec rejects it',
  'cuetext__escape-characters__incorrect.vtt':
    'we decode entities as HTML does, legacy ones without ";" included (&nbsp &lt &gt); vtt.js leaves them as text',
  'cuetext__timestamp__no-end-gt.vtt':
    'an unterminated tag: we drop the tag name and keep the words; vtt.js keeps the raw text (a browser shows nothing)',
  'cuetext__voice__no-end-gt.vtt':
    'an unterminated tag: we drop the tag name and keep the words; vtt.js keeps the raw text (a browser shows nothing)',
  'transcriptator-podnews_weekly_review_2023-03-17.html':
    'the reference gives each paragraph the speaker of the <cite> AFTER it; in the file a <cite> precedes its paragraph ("Norma Jean Baki. I\'m the head of Events at Podbean" follows <cite>Norma-Jean Belenky:</cite>), so ours follows the file. Segments: we split the 9 paragraphs into sentences; each paragraph start is kept',
};

type Expected = { startTime: number; endTime?: number; speaker?: string; body?: string; text?: string };

const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();
const joined = (t: Transcript): string => fold(t.segments.map((s) => s.text).join(' '));

function tryParse(path: string): Transcript | string {
  try {
    return parseTranscript(readFileSync(path, 'utf8'), { url: path });
  } catch (err) {
    return err instanceof TranscriptError ? `${err.code}: ${err.message}` : `NOT A TranscriptError: ${err}`;
  }
}

/** Where two texts first differ, with some context. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return 'identical';
  return `differ at char ${i}: «${a.slice(Math.max(0, i - 30), i + 30)}» vs «${b.slice(Math.max(0, i - 30), i + 30)}»`;
}

function line(...parts: (string | number)[]): void {
  console.log(parts.join('  '));
}

function parseAll(dir: string): Map<string, Transcript> {
  const parsed = new Map<string, Transcript>();
  console.log(`\n## Every transcript file (${dir})`);
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(vtt|srt|json|html|xml|txt)$/.test(name)) continue;
    const result = tryParse(join(dir, name));
    if (typeof result === 'string') {
      line('  FAIL', name, result);
      continue;
    }
    parsed.set(name, result);
    const words = result.segments.map((s) => s.text.split(' ').length);
    const speakers = new Set(result.segments.map((s) => s.speaker).filter(Boolean));
    line(
      '  ok  ',
      name.padEnd(52),
      `${result.format}/${result.timed ? 'timed' : 'untimed'}`,
      `${result.segments.length} segments`,
      `words/segment max ${Math.max(...words)} median ${words.sort((a, b) => a - b)[words.length >> 1]}`,
      `speakers ${[...speakers].join(', ') || '-'}`,
    );
  }
  return parsed;
}

function sameEpisode(parsed: Map<string, Transcript>, names: string[], label: string): void {
  console.log(`\n## ${label}: same text from ${names.join(', ')}`);
  const texts = names.map((n) => parsed.get(n)).map((t) => (t ? joined(t) : undefined));
  const [first] = texts;
  for (let k = 1; k < names.length; k++) {
    const other = texts[k];
    if (first === undefined || other === undefined) {
      line('  SKIP', names[k] ?? '', 'not parsed');
      continue;
    }
    const verdict = firstDifference(first, other);
    const [short, long] = first.length <= other.length ? [first, other] : [other, first];
    if (verdict !== 'identical' && long.startsWith(short)) {
      const cut = first.length <= other.length ? names[0] : names[k];
      line(
        '  match',
        `${names[0]} vs ${names[k]}:`,
        `identical for all ${short.length} chars of ${cut}, which stops there (the other goes on for ${long.length - short.length} more)`,
      );
      continue;
    }
    line(verdict === 'identical' ? '  match' : '  MISMATCH', `${names[0]} vs ${names[k]}:`, verdict);
  }
}

function compareExpected(parsed: Map<string, Transcript>, name: string, expectedPath: string): void {
  console.log(`\n## ${name} vs ${basename(expectedPath)}`);
  const ours = parsed.get(name);
  if (!ours) return line('  SKIP', 'not parsed');
  const expected = (JSON.parse(readFileSync(expectedPath, 'utf8')) as { segments: Expected[] }).segments;
  const text = fold(expected.map((e) => e.body ?? '').join(' '));
  const verdict = firstDifference(text, joined(ours));
  line(verdict === 'identical' ? '  text match' : '  TEXT MISMATCH', verdict);
  line('  segments: expected', expected.length, 'ours', ours.segments.length);
  let starts = 0;
  let speakerDiffs = 0;
  let endDiffs = 0;
  let exact = 0;
  const shown: string[] = [];
  for (const e of expected) {
    const s = ours.segments.find((seg) => Math.abs(seg.start - e.startTime) < 0.0005);
    if (!s) {
      if (shown.length < 5) shown.push(`no segment starts at ${e.startTime}`);
      continue;
    }
    starts++;
    if ((s.speaker ?? '') !== (e.speaker ?? '')) {
      speakerDiffs++;
      if (shown.length < 5)
        shown.push(`at ${e.startTime}: speaker ours «${s.speaker}» expected «${e.speaker}»`);
    }
    if (e.endTime !== undefined && s.end !== undefined && Math.abs(s.end - e.endTime) > 0.0005) endDiffs++;
    if (fold(e.body ?? '') === s.text && s.end === e.endTime) exact++;
  }
  line('  expected starts found', `${starts}/${expected.length}`, 'identical cues', exact);
  line('  speaker differences', speakerDiffs, 'end differences', endDiffs);
  for (const s of shown) line('   -', s);
  if (WHY[name]) line('  why:', WHY[name]);
}

/** The WebVTT escapes vtt.js leaves in its expected text, decoded independently of our code. */
function referenceText(raw: string): string {
  const escapes: Record<string, string> = {
    '&amp;': '&',
    '&lt;': '<',
    '&gt;': '>',
    '&lrm;': '\u200e',
    '&rlm;': '\u200f',
    '&nbsp;': '\u00a0',
  };
  return fold(raw.replace(/<[^>\n]*>/g, '').replace(/&(?:amp|lt|gt|lrm|rlm|nbsp);/g, (m) => escapes[m] ?? m));
}

function vttjs(dir: string): void {
  console.log(`\n## mozilla vtt.js edge cases (${dir}): cue level (before sentence merging)`);
  let matched = 0;
  let total = 0;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.vtt')) continue;
    const body = readFileSync(join(dir, name), 'utf8');
    const expectedPath = join(dir, name.replace(/\.vtt$/, '.json'));
    const whole = tryParse(join(dir, name));
    const summary = typeof whole === 'string' ? whole : `${whole.segments.length} segment(s)`;
    if (!existsSync(expectedPath)) {
      line('  n/a  ', name.padEnd(50), 'no expected cues in the corpus; ours:', summary);
      continue;
    }
    total++;
    const expected = (
      JSON.parse(readFileSync(expectedPath, 'utf8')) as {
        cues: { startTime: number; endTime: number; text: string }[];
      }
    ).cues
      .map((c) => ({ start: c.startTime, end: c.endTime, text: referenceText(c.text) }))
      .filter((c) => c.text.length > 0);
    const lines = splitLines(body.replace(/^\uFEFF/, ''));
    const headerEnd = lines.findIndex((l, i) => i > 0 && (l.length === 0 || l.includes('-->')));
    const pieces = lines[0]?.startsWith('WEBVTT')
      ? cuesToPieces(scanCues(lines, headerEnd < 0 ? lines.length : headerEnd, true), {
          prefixes: false,
          strictTags: true,
        })
      : [];
    const ours = pieces
      .filter((p) => p.text.length > 0)
      .map((p) => ({ start: p.start, end: p.end, text: p.text }));
    const same =
      ours.length === expected.length &&
      ours.every((c, i) => {
        const e = expected[i];
        return e && c.start === e.start && c.end === e.end && c.text === e.text;
      });
    if (same) matched++;
    line(
      same ? '  match' : '  DIFF ',
      name.padEnd(50),
      same
        ? `${ours.length} cue(s); parse: ${summary}`
        : `expected ${JSON.stringify(expected)} ours ${JSON.stringify(ours)}`,
    );
    if (!same) line('         why:', WHY[name] ?? 'unexplained');
  }
  line(`  ${matched}/${total} files with expected cues match`);
}

function main(): void {
  if (!existsSync(REAL)) {
    console.log(`No real fixtures at ${REAL}: nothing to check (they live outside the repository).`);
    return;
  }
  const transcripts = join(REAL, 'transcripts');
  const parsed = parseAll(transcripts);
  sameEpisode(
    parsed,
    ['transcriptator-buzzcast.html', 'transcriptator-buzzcast.json', 'transcriptator-buzzcast.srt'],
    'Buzzsprout, one episode',
  );
  sameEpisode(parsed, ['podcastindex-example.html', 'podcastindex-example.srt'], 'podcast-namespace example');
  sameEpisode(
    parsed,
    ['transcriptator-how_to_start_a_podcast.json', 'transcriptator-one_word_segments.json'],
    'word-level JSON, one source',
  );
  compareExpected(
    parsed,
    'transcriptator-podnews_daily_2024-01-25.vtt',
    join(transcripts, 'expected', 'transcriptator-podnews_daily_2024-01-25_vtt_parsed.json'),
  );
  compareExpected(
    parsed,
    'transcriptator-podnews_weekly_review_2023-03-17.html',
    join(transcripts, 'expected', 'transcriptator-podnews_weekly_review_2023-03-17_html_parsed.json'),
  );
  const youtube = join(REAL, 'youtube', 'yta-transcript.xml');
  if (existsSync(youtube)) {
    console.log('\n## YouTube srv1 sample (youtube/yta-transcript.xml)');
    const t = tryParse(youtube);
    line('  ', typeof t === 'string' ? t : JSON.stringify(t.segments));
  }
  const edge = join(transcripts, 'vttjs-edgecases');
  if (existsSync(edge)) vttjs(edge);
}

main();
