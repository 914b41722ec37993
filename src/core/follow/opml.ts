// OPML, the subscription lists podcast apps import and export. parseOpml reads every feed a list
// names, as leniently as real exports need (xmlUrl in any case, shows nested in category outlines,
// HTML entities, a cut-off file) and says in plain words what it skipped; serializeOpml writes an
// OPML 2.0 file that Overcast, Pocket Casts, AntennaPod and Apple Podcasts import. htmlparser2
// streams the file: there is no DOMParser in a service worker.
import { CONTROL, squash } from '../feed/text';
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import { checkPublicHttpUrl } from '../net/url-policy';

export type OpmlErrorCode = 'not-xml' | 'not-opml' | 'empty' | 'too-large';

/** The one error parseOpml throws, with a message a user can act on. Anything else is a bug. */
export class OpmlError extends Error {
  override name = 'OpmlError';
  readonly code: OpmlErrorCode;

  constructor(code: OpmlErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type OpmlFeed = { url: string; title?: string };
export type OpmlList = { title?: string; feeds: OpmlFeed[]; problems: string[] };

/** 5 MB of text: subscription lists of thousands of shows are a few hundred kB. */
export const MAX_OPML_CHARS = 5 * 1024 * 1024;
export const DEFAULT_MAX_FEEDS = 2000;
/** Lines naming skipped outlines; past this, one line counts the rest. */
export const MAX_PROBLEM_LINES = 50;
/**
 * Deeper nesting than this stops the reading (what was read is kept). Files that never close their
 * outlines nest one level per show, so the cap is well above a real list's length; it bounds the
 * work, as htmlparser2 keeps its element stack with unshift/indexOf.
 */
export const MAX_DEPTH = 10_000;
const MAX_TITLE_CHARS = 1000;

const ADVICE = 'Export your subscriptions from your podcast app as OPML and choose that file.';
const NOT_OPML = 'This file is not an OPML subscription list';

/** Top-level elements of a web page, and of a feed (someone chose a show's feed, not their list). */
const PAGE_ROOTS = new Set(['html', 'head', 'body', 'div', 'p', 'table', 'script', 'meta', 'link']);
const FEED_ROOTS = new Set(['rss', 'feed', 'rdf:rdf', 'channel']);

/** Thrown from a callback to stop the parser once the list has closed (or nests too deep). */
class Stop {}

/** Attribute by name in any case: exporters write xmlUrl, xmlurl and XMLURL. */
function attr(attribs: Record<string, string>, name: string): string | undefined {
  const exact = attribs[name];
  if (exact !== undefined) return exact;
  for (const key in attribs) if (key.toLowerCase() === name.toLowerCase()) return attribs[key];
  return undefined;
}

/** An attribute's text: entities decoded as a browser would (a bare "&b=2" in a URL stays). */
const attrText = (raw: string | undefined): string | undefined =>
  raw === undefined ? undefined : decodeHTMLAttribute(raw).replace(CONTROL, '').trim();

const cap = (text: string): string => (text.length > MAX_TITLE_CHARS ? text.slice(0, MAX_TITLE_CHARS) : text);

/** Short, one-line form of a title or address for a problem line. */
function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/**
 * Subscribe-link schemes some apps store for a feed (feed://host/rss, feed:https://host/rss,
 * itpc://, pcast://) are http(s) addresses in disguise.
 */
function webAddress(raw: string): string {
  const scheme = /^(?:feed|itpc|pcast):/i.exec(raw);
  if (!scheme) return raw;
  const rest = raw.slice(scheme[0].length);
  if (/^https?:/i.test(rest)) return rest;
  return `http:${rest.startsWith('//') ? rest : `//${rest}`}`;
}

/** Why an address cannot be followed, or undefined when it can. */
function addressProblem(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'not a valid web address';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `${url.protocol} addresses are not podcast feeds on the web`;
  // The URL parser takes them (percent-encoded), but an export could not write them back: XML
  // has no way to say them, so the list would come back naming another feed.
  if (HAS_XML_INVALID.test(address)) return 'the address holds characters that are not text';
  const verdict = checkPublicHttpUrl(address);
  return verdict.ok ? undefined : verdict.reason;
}

const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Every podcast feed an OPML file lists, in file order, duplicates removed. */
export function parseOpml(text: string, options: { maxFeeds?: number } = {}): OpmlList {
  if (text.length > MAX_OPML_CHARS)
    throw new OpmlError(
      'too-large',
      `This file is ${(text.length / 1024 / 1024).toFixed(1)} MB; a subscription list is at most ${MAX_OPML_CHARS / 1024 / 1024} MB. ${ADVICE}`,
    );
  const maxFeeds = Math.max(1, Math.floor(options.maxFeeds ?? DEFAULT_MAX_FEEDS) || DEFAULT_MAX_FEEDS);
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) throw new OpmlError('empty', 'This file is empty: it lists no podcasts.');
  if (!body.trimStart().startsWith('<'))
    throw new OpmlError('not-xml', `${NOT_OPML}: it is not even XML. ${ADVICE}`);

  const feeds: OpmlFeed[] = [];
  const seen = new Set<string>();
  const skipped: string[] = [];
  let skippedCount = 0;
  let overLimit = 0;
  let listTitle: string | undefined;
  /** Lower-cased element names from the root down. */
  const stack: string[] = [];
  let root: string | undefined;
  let titleText: string | undefined;
  let inCdata = false;
  let ending = false;
  let cutOff = false;
  let tooDeep = false;

  const skip = (title: string | undefined, address: string | undefined, why: string) => {
    skippedCount++;
    if (skipped.length >= MAX_PROBLEM_LINES) return;
    const named = title ? `“${shorten(title)}”` : '';
    const where = address ? (named ? ` (${shorten(address)})` : shorten(address)) : '';
    skipped.push(`Skipped ${named || where ? named + where : 'an entry'}: ${why}.`);
  };

  const outline = (attribs: Record<string, string>) => {
    const title = attrText(attr(attribs, 'title')) || attrText(attr(attribs, 'text')) || undefined;
    const type = attr(attribs, 'type')?.trim().toLowerCase();
    const xmlUrl = attrText(attr(attribs, 'xmlUrl'));
    // A bare `url` names a feed only on an untyped or "rss" outline: OPML 2.0's "link" and
    // "include" outlines point at a web page or another list, and Overcast's extended export lists
    // each show's episodes as "podcast-episode" outlines whose `url` is the episode's page.
    const urlIsFeed = type === undefined || type === '' || type === 'rss';
    const url = xmlUrl || (urlIsFeed ? attrText(attr(attribs, 'url')) : undefined);
    if (!url) {
      if (xmlUrl !== undefined || type === 'rss') skip(title, undefined, 'it has no feed address');
      else if (type === 'link' || type === 'include')
        skip(title, attrText(attr(attribs, 'url')), 'it points to a web page or another list, not a feed');
      return; // a category, an episode, or another kind of outline: not a feed
    }
    const address = webAddress(url);
    const problem = addressProblem(address);
    if (problem) return skip(title, url, problem);
    if (seen.has(address)) return;
    seen.add(address);
    if (feeds.length >= maxFeeds) overLimit++;
    else feeds.push(title ? { url: address, title: cap(title) } : { url: address });
  };

  const parser = new Parser(
    {
      onprocessinginstruction(name, data) {
        if (root === undefined && name.toLowerCase() === '!doctype' && /^!doctype\s+html\b/i.test(data))
          throw new OpmlError('not-opml', `${NOT_OPML}: it is a web page. ${ADVICE}`);
      },
      onopentag(name, attribs) {
        const local = name.toLowerCase();
        if (root === undefined) {
          root = local;
          if (local !== 'opml') throw notOpml(local);
        } else if (stack.length === 0) {
          throw new Stop(); // anything after the list is not part of it
        } else if (stack.length >= MAX_DEPTH) {
          tooDeep = true;
          throw new Stop();
        }
        const parent = stack[stack.length - 1];
        if (local === 'outline' && stack[1] !== 'head') outline(attribs);
        else if (local === 'title' && parent === 'head' && stack.length === 2 && listTitle === undefined)
          titleText = '';
        stack.push(local);
      },
      ontext(raw) {
        if (titleText !== undefined && titleText.length < MAX_TITLE_CHARS)
          titleText += inCdata ? raw : decodeHTML(raw);
      },
      oncdatastart() {
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
      onclosetag(name) {
        // At the end of a cut-off file htmlparser2 may close a tag it never opened: ignore it.
        if (stack[stack.length - 1] !== name.toLowerCase()) return;
        stack.pop();
        if (titleText !== undefined && stack.length === 2) {
          listTitle = cap(squash(titleText));
          titleText = undefined;
        }
        if (stack.length === 0) {
          if (ending) cutOff = true;
          else throw new Stop();
        }
      },
    },
    // Entities are decoded here, as HTML (OPML files hold &nbsp; and &eacute; too), not as XML.
    { xmlMode: true, decodeEntities: false },
  );
  try {
    parser.write(body);
    ending = true;
    parser.end();
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }

  if (root === undefined) throw new OpmlError('not-xml', `${NOT_OPML}: it holds no XML element. ${ADVICE}`);
  if (feeds.length === 0) {
    if (skippedCount === 0) throw new OpmlError('empty', 'This OPML file lists no podcast feeds.');
    throw new OpmlError(
      'empty',
      `This OPML file lists no podcast feed Earmark can follow: ${plural(skippedCount, 'entry was', 'entries were')} skipped. ${skipped[0] ?? ''}`.trim(),
    );
  }

  const problems = [...skipped];
  if (skippedCount > skipped.length)
    problems.push(
      `…and ${plural(skippedCount - skipped.length, 'more entry was', 'more entries were')} skipped.`,
    );
  if (overLimit > 0)
    problems.push(
      `The file lists ${plural(maxFeeds + overLimit, 'feed', 'feeds')}: the first ${maxFeeds.toLocaleString('en-US')} were read and the other ${overLimit.toLocaleString('en-US')} left out.`,
    );
  if (cutOff)
    problems.push('The file ends abruptly (it may be cut off): only the feeds before that point were read.');
  if (tooDeep)
    problems.push(
      `The file nests outlines more than ${MAX_DEPTH.toLocaleString('en-US')} deep: reading stopped there.`,
    );
  return listTitle ? { title: listTitle, feeds, problems } : { feeds, problems };
}

function notOpml(root: string): OpmlError {
  if (PAGE_ROOTS.has(root)) return new OpmlError('not-opml', `${NOT_OPML}: it is a web page. ${ADVICE}`);
  if (FEED_ROOTS.has(root))
    return new OpmlError(
      'not-opml',
      `${NOT_OPML}: it is a podcast feed. To follow that one show, add its feed address instead.`,
    );
  return new OpmlError('not-opml', `${NOT_OPML}: it is another kind of XML (<${shorten(root)}>). ${ADVICE}`);
}

// Not allowed in XML 1.0 at all, not even as references: C0 controls but tab/LF/CR, U+FFFE/U+FFFF
// and unpaired surrogates.
const XML_INVALID =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_XML_INVALID = new RegExp(XML_INVALID.source);
// Tab, LF and CR as references: a parser turns them into spaces when written plainly in an attribute.
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '').replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

/** An OPML 2.0 subscription list of the given feeds, in the given order. */
export function serializeOpml(
  feeds: { feedUrl: string; title: string }[],
  options: { title?: string; now: Date },
): string {
  const created = Number.isNaN(options.now.getTime())
    ? ''
    : `\n    <dateCreated>${options.now.toUTCString()}</dateCreated>`; // RFC 822 form, in GMT
  const outlines = feeds.map((f) => {
    const title = escapeXml(f.title);
    return `    <outline type="rss" text="${title}" title="${title}" xmlUrl="${escapeXml(f.feedUrl)}"/>\n`;
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n' +
    `    <title>${escapeXml(options.title ?? 'Podcasts followed in Earmark')}</title>${created}\n` +
    `  </head>\n  <body>\n${outlines.join('')}  </body>\n</opml>\n`
  );
}
