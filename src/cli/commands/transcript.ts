// earmark transcript <file|url>: any transcript file (VTT, SRT, Podcasting 2.0 JSON, HTML, text,
// YouTube json3/srv3/srv1) as one Transcript (DESIGN.md section 4).
import { decodeFeedBytes } from '../../core/feed';
import { parseTranscript } from '../../core/transcript';
import { LIMITS, readInput } from '../read-input';
import { oneTarget, parsing, type Command } from './command';

export const transcript: Command = {
  name: 'transcript',
  args: '<file|url>',
  summary: 'a transcript file (VTT, SRT, JSON, HTML, text, YouTube captions) → Transcript',
  async run(args) {
    const input = await readInput(oneTarget('transcript', args), LIMITS.transcript);
    // The declared type and the name only break ties: the parser sniffs the content.
    return parsing(input.source, () =>
      parseTranscript(decodeFeedBytes(input.bytes, input.contentType), {
        url: input.source,
        ...(input.contentType ? { type: input.contentType } : {}),
      }),
    );
  },
};
