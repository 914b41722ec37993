// htmlparser2's SAX Parser, guarded: it keeps open elements in an array it shifts and unshifts,
// so a body of unclosed tags (`<p><cite>` × 200,000) costs time quadratic in their depth. Real
// transcripts nest a few levels; deeper than MAX_DEPTH is refused as 'malformed' at once.
import { Parser, type Handler } from 'htmlparser2';
import { TranscriptError } from './errors';

const MAX_DEPTH = 256;

export type MarkupHandler = Pick<Partial<Handler>, 'onopentag' | 'ontext' | 'onclosetag'>;

export function parseMarkup(body: string, handler: MarkupHandler, xmlMode: boolean): void {
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs, implied) {
        if (++depth > MAX_DEPTH) {
          throw new TranscriptError('malformed', 'The markup is nested too deeply to be a transcript.');
        }
        handler.onopentag?.(name, attribs, implied);
      },
      ontext(text) {
        handler.ontext?.(text);
      },
      onclosetag(name, implied) {
        if (depth > 0) depth--;
        handler.onclosetag?.(name, implied);
      },
    },
    xmlMode ? { xmlMode: true, decodeEntities: true } : { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(body);
  parser.end();
}
