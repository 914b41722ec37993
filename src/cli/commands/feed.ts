// earmark feed <file|url>: a podcast RSS feed as one Feed (DESIGN.md section 4).
import { decodeFeedBytes, parseFeed } from '../../core/feed';
import { LIMITS, readInput } from '../read-input';
import { oneTarget, parsing, type Command } from './command';

export const feed: Command = {
  name: 'feed',
  args: '<file|url>',
  summary: 'a podcast RSS feed → Feed',
  async run(args) {
    const input = await readInput(oneTarget('feed', args), {
      ...LIMITS.feed,
      accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.5',
    });
    return parsing(input.source, () => parseFeed(decodeFeedBytes(input.bytes, input.contentType)));
  },
};
