// earmark captions <watch-page.html|player-response.json>: a YouTube video's caption tracks and
// whether they can be fetched, { videoId, status, tracks[] } (DESIGN.md section 4).
import { decodeFeedBytes } from '../../core/feed';
import { parseCaptions } from '../../core/youtube';
import { LIMITS, readInput } from '../read-input';
import { oneTarget, parsing, type Command } from './command';

export const captions: Command = {
  name: 'captions',
  args: '<watch-page.html|player-response.json>',
  summary: "a saved YouTube watch page or /youtubei/v1/player answer → the video's caption tracks",
  async run(args) {
    const input = await readInput(oneTarget('captions', args), LIMITS.captions);
    return parsing(input.source, () => parseCaptions(decodeFeedBytes(input.bytes, input.contentType)));
  },
};
