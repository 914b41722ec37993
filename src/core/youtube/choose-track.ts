// Which caption track to read: one in the listener's languages first, uploaded (made by people)
// before auto-generated (`asr`), then any uploaded track, then any auto-generated one.
import type { CaptionTrack } from './player-response';

export function chooseCaptionTrack(
  tracks: CaptionTrack[],
  languages: readonly string[],
): CaptionTrack | undefined {
  const primary = (code: string) => code.toLowerCase().split(/[-_]/)[0] ?? '';
  const wanted = languages.map(primary);
  const score = (t: CaptionTrack) => {
    const at = wanted.indexOf(primary(t.languageCode));
    const language = at === -1 ? 0 : 100 - at;
    return language * 2 + (t.kind === 'asr' ? 0 : 1);
  };
  return [...tracks].sort((a, b) => score(b) - score(a))[0];
}
