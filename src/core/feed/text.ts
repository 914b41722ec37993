// Plain text from a feed's text fields. Titles arrive as XML-decoded text or as CDATA, either of
// which may hold HTML ("Tom &amp; Jerry <i>live</i>", "&nbsp;", "&rsquo;"): podcast apps render
// them as HTML, so we read them as HTML too (htmlparser2 in HTML mode decodes every named entity)
// and keep only the text.
import { Parser } from 'htmlparser2';

/** Characters kept from any one text field: a title longer than this is not a title. */
export const MAX_FIELD_CHARS = 10_000;

// C0 controls other than tab/LF/CR, DEL, and the BOM: noise from broken encoders.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFEFF]/g;

/** Collapses white space (NBSP included) and trims. */
export function squash(text: string): string {
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** The text of a fragment that may hold HTML markup and entities, white space collapsed. */
export function plainText(raw: string): string {
  if (!/[<&]/.test(raw)) return squash(raw);
  // Fast path for the usual case, XML's five named entities and no markup: no parser needed.
  // (Numeric references go to the parser, which maps &#146; to ’ as HTML does.)
  if (!raw.includes('<') && !/&(?!(?:amp|lt|gt|quot|apos);)/.test(raw))
    return squash(raw.replace(SIMPLE_ENTITY, (entity) => NAMED[entity] ?? entity));
  let out = '';
  let skip = 0; // inside <script>/<style>: code, not text
  const parser = new Parser(
    {
      onopentagname(name) {
        if (name === 'script' || name === 'style') skip++;
        else if (BREAKS.has(name)) out += ' ';
      },
      onclosetag(name) {
        if ((name === 'script' || name === 'style') && skip > 0) skip--;
        else if (BREAKS.has(name)) out += ' ';
      },
      ontext(text) {
        if (skip === 0) out += text;
      },
    },
    { decodeEntities: true },
  );
  parser.end(raw);
  return squash(out);
}

const SIMPLE_ENTITY = /&(?:amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

/** Elements that separate words when their markup is dropped. */
const BREAKS = new Set(['br', 'p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td']);
