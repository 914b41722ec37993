// Checks the YouTube caption reader against the real captures in ../shared/fixtures/real/youtube
// (SOURCES.md there says what each one is). Not part of the test suite, which must pass without
// ../shared: run it by hand with `npx tsx test/core/youtube/check-real.ts`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaptions, YouTubeError, type CaptionStatus } from '../../../src/core/youtube';

const dir = join(import.meta.dirname, '../../../../shared/fixtures/real/youtube');

/** What SOURCES.md says each file is, as the status Earmark should give (undefined: not ours). */
const expected: Record<string, CaptionStatus | 'not-a-player-response'> = {
  'yta-transcript.xml': 'not-a-player-response', // a timedtext body, for the transcript parser
  'yta-youtube.html': 'po-token-required', // WEB captionTracks carry exp=xpe
  'yta-youtube.innertube.json': 'ok',
  'yta-youtube_age_restricted.innertube.json': 'login-required',
  'yta-youtube_altered_user_agent.innertube.json': 'ok',
  'yta-youtube_consent_page.html': 'blocked',
  'yta-youtube_consent_page_invalid.html': 'blocked',
  'yta-youtube_po_token_required.innertube.json': 'po-token-required',
  'yta-youtube_request_blocked.innertube.json': 'blocked',
  'yta-youtube_too_many_requests.html': 'blocked',
  'yta-youtube_transcripts_disabled.innertube.json': 'disabled',
  'yta-youtube_transcripts_disabled2.innertube.json': 'disabled',
  'yta-youtube_unplayable.innertube.json': 'unplayable',
  'yta-youtube_video_unavailable.innertube.json': 'unavailable',
  'yta-youtube_ww1_nl_en.innertube.json': 'ok',
};

if (!existsSync(dir)) {
  console.log(`note: ${dir} is absent; nothing to check.`);
  process.exit(0);
}

let failures = 0;
for (const file of readdirSync(dir).sort()) {
  const body = readFileSync(join(dir, file), 'utf8');
  let got: string;
  let detail: string;
  try {
    const c = parseCaptions(body);
    got = c.status;
    const kinds = c.tracks.map((t) => `${t.languageCode}${t.kind ? `/${t.kind}` : ''}`).join(' ');
    detail = `videoId=${JSON.stringify(c.videoId)} tracks=${c.tracks.length} [${kinds}]${c.reason ? ` reason=${JSON.stringify(c.reason)}` : ''}`;
  } catch (error) {
    if (!(error instanceof YouTubeError)) throw error;
    got = 'not-a-player-response';
    detail = error.message;
  }
  const want = expected[file];
  const verdict = want === undefined ? '?' : want === got ? 'ok' : 'MISMATCH';
  if (verdict !== 'ok') failures++;
  console.log(`${verdict.padEnd(8)} ${file}: ${got} (expected ${want ?? 'unknown'}) ${detail}`);
}
process.exit(failures ? 1 : 0);
