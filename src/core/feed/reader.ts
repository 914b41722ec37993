// The streaming pass over a feed: htmlparser2's Parser in xmlMode (lenient, as real feeds need;
// no DOM is built) calls back for each tag and text run, and the reader keeps only the fields a
// Feed has. It knows elements by namespace URI (namespaces.ts), finds the feed's root, and notes
// whether the document ended before its root closed (a truncated download).
import { Parser } from 'htmlparser2';
import type { FeedEpisode } from '../types';
import { FeedError } from './errors';
import { Ns, ROOT_SCOPE, resolve, scopeFor, type Scope } from './namespaces';
import { MAX_FIELD_CHARS } from './text';

/** What an element is to the reader. Children of Other elements are never read. */
const Role = {
  Other: 0,
  /** <rss> or <rdf:RDF>: holds the channel (and, in RSS 1.0, the items beside it). */
  Root: 1,
  /** RSS <channel> or the Atom <feed> element. */
  Channel: 2,
  /** RSS <image> directly in the channel. */
  ChannelImage: 3,
  /** RSS <item> or Atom <entry>. */
  Item: 4,
  /** <media:group> in an item: holds <media:content> alternatives. */
  MediaGroup: 5,
} as const;
type Role = (typeof Role)[keyof typeof Role];

interface Frame {
  scope: Scope;
  role: Role;
}

/** Raw channel fields, first occurrence wins. Text as written (XML-decoded, CDATA kept). */
export interface ChannelDraft {
  title?: string;
  itunesTitle?: string;
  link?: string;
  language?: string;
  image?: string;
  imageUrl?: string;
  logo?: string;
}

/** Raw item fields, first occurrence wins. */
export interface ItemDraft {
  title?: string;
  itunesTitle?: string;
  guid?: string;
  pubDate?: string;
  dcDate?: string;
  published?: string;
  updated?: string;
  enclosure?: string;
  mediaUrl?: string;
  duration?: string;
  transcripts: FeedEpisode['transcripts'];
  chaptersUrl?: string;
}

/** The text fields a capture can fill (every draft field but the transcripts list). */
type TextField = keyof ChannelDraft | Exclude<keyof ItemDraft, 'transcripts' | 'chaptersUrl'>;

interface Capture {
  key: TextField;
  into: 'channel' | 'item';
  depth: number;
  text: string;
}

/** Thrown from a callback to stop the parser once the feed's root has closed. */
class Stop {}

/**
 * Deeper nesting than this is not a feed. Real feeds nest under 20 levels (rss > channel > item >
 * content > XHTML). The cap bounds the work: htmlparser2 keeps its element stack with
 * unshift/indexOf, so each tag costs time in proportion to the depth.
 */
export const MAX_DEPTH = 256;

/**
 * HTML's void elements, written unescaped inside descriptions by sloppy feeds ("Hello<br>World"):
 * in XML mode each would open an element that never closes, nesting everything after it. No
 * feed element we read has these names (RSS's <link> is deliberately not in the list).
 */
const HTML_VOID = new Set(
  ['br', 'hr', 'img', 'input', 'meta', 'wbr', 'area', 'col', 'embed', 'param', 'base'].flatMap((n) => [
    n,
    n.toUpperCase(),
  ]),
);

/** htmlparser2's Parser in XML mode, with HTML's void elements kept void (its documented hook). */
class FeedParser extends Parser {
  // Called several times per tag: keep it to a length check and one lookup.
  protected override isVoidElement(name: string): boolean {
    return name.length <= 5 && HTML_VOID.has(name);
  }
}

export interface ReadResult {
  /** 'rss' for RSS 0.9x/1.0/2.0, 'atom' for Atom; undefined when no feed root was found. */
  kind?: 'rss' | 'atom';
  /** The first top-level element's name, when it was not a feed root. */
  firstElement?: string;
  /** Whether a channel (or Atom feed element) was opened. */
  channel: boolean;
  /** The document ended before the feed's root closed. */
  truncated: boolean;
  channelDraft: ChannelDraft;
  items: ItemDraft[];
}

/** Top-level elements that mark an HTML page (checked once no feed root turned up). */
export const HTML_ELEMENTS = new Set([
  'html',
  'head',
  'body',
  'meta',
  'link',
  'script',
  'style',
  'title',
  'div',
  'p',
  'span',
  'table',
  'center',
  'a',
  'br',
  'b',
  'h1',
  'iframe',
  'noscript',
  'form',
  'img',
  'main',
  'header',
  'section',
]);

export const HTML_PAGE_MESSAGE =
  'the server sent an HTML page, not a podcast feed (RSS or Atom); the feed address may be wrong';

const isRss = (ns: Ns): boolean => ns === Ns.None || ns === Ns.Rss;

/** Attribute by name, tolerating feeds that write `URL=` or `Href=`. */
function attr(attribs: Record<string, string>, name: string): string | undefined {
  const exact = attribs[name];
  if (exact !== undefined) return exact;
  for (const key in attribs) if (key.toLowerCase() === name) return attribs[key];
  return undefined;
}

export function readFeed(xml: string): ReadResult {
  const stack: Frame[] = [];
  const result: ReadResult = { channel: false, truncated: false, channelDraft: {}, items: [] };
  const channel = result.channelDraft;
  let kind: 'rss' | 'atom' | undefined;
  let item: ItemDraft | undefined;
  let capture: Capture | undefined;
  let ending = false;

  const startCapture = (key: TextField, into: Capture['into']) => {
    capture = { key, into, depth: stack.length, text: '' };
  };

  const channelChild = (ns: Ns, local: string, attribs: Record<string, string>): Role => {
    if (kind === 'rss' && isRss(ns)) {
      if (local === 'title' || local === 'link' || local === 'language') startCapture(local, 'channel');
      else if (local === 'image') return Role.ChannelImage;
    } else if (kind === 'atom' && ns === Ns.Atom) {
      if (local === 'title') startCapture('title', 'channel');
      else if (local === 'logo' || local === 'icon') startCapture('logo', 'channel');
      else if (local === 'link') {
        const rel = (attr(attribs, 'rel') ?? 'alternate').trim().toLowerCase();
        const href = attr(attribs, 'href')?.trim();
        if (rel === 'alternate' && href) channel.link ??= href;
      }
    } else if (ns === Ns.Itunes) {
      if (local === 'image') {
        const href = attr(attribs, 'href')?.trim();
        // Some feeds put the address in the element's text instead of href.
        if (href) channel.image ??= href;
        else startCapture('image', 'channel');
      } else if (local === 'title') startCapture('itunesTitle', 'channel');
    } else if (ns === Ns.Dc && local === 'language') startCapture('language', 'channel');
    return Role.Other;
  };

  const itemChild = (it: ItemDraft, ns: Ns, local: string, attribs: Record<string, string>): Role => {
    if (isRss(ns)) {
      if (local === 'title' || local === 'guid') startCapture(local, 'item');
      else if (local === 'pubdate') startCapture('pubDate', 'item');
      else if (local === 'enclosure') {
        const url = attr(attribs, 'url')?.trim();
        if (url) it.enclosure ??= url;
      }
    } else if (ns === Ns.Itunes) {
      if (local === 'title') startCapture('itunesTitle', 'item');
      else if (local === 'duration') startCapture('duration', 'item');
    } else if (ns === Ns.Podcast) {
      if (local === 'transcript') {
        const url = attr(attribs, 'url')?.trim();
        if (url) {
          const t: FeedEpisode['transcripts'][number] = { url };
          const type = attr(attribs, 'type')?.trim().toLowerCase();
          const language = attr(attribs, 'language')?.trim();
          const rel = attr(attribs, 'rel')?.trim();
          if (type) t.type = type;
          if (language) t.language = language; // normalised when the episode is built
          if (rel) t.rel = rel;
          it.transcripts.push(t);
        }
      } else if (local === 'chapters') {
        const url = attr(attribs, 'url')?.trim();
        if (url) it.chaptersUrl ??= url;
      }
    } else if (ns === Ns.Atom) {
      if (local === 'title') startCapture('title', 'item');
      else if (local === 'id') startCapture('guid', 'item');
      else if (local === 'published' || local === 'updated') startCapture(local, 'item');
      else if (local === 'link') {
        const rel = attr(attribs, 'rel')?.trim().toLowerCase();
        const href = attr(attribs, 'href')?.trim();
        if (rel === 'enclosure' && href) it.enclosure ??= href;
      }
    } else if (ns === Ns.Media) {
      if (local === 'content') mediaContent(it, attribs);
      else if (local === 'group') return Role.MediaGroup;
    } else if (ns === Ns.Dc && local === 'date') startCapture('dcDate', 'item');
    return Role.Other;
  };

  /** <media:content>: a fallback for items without <enclosure> (some video and Atom feeds). */
  const mediaContent = (it: ItemDraft, attribs: Record<string, string>) => {
    const url = attr(attribs, 'url')?.trim();
    if (!url || it.mediaUrl) return;
    const medium = attr(attribs, 'medium')?.toLowerCase();
    const type = attr(attribs, 'type')?.toLowerCase() ?? '';
    const playable = medium
      ? medium === 'audio' || medium === 'video'
      : !type || type.startsWith('audio/') || type.startsWith('video/');
    if (playable) it.mediaUrl = url;
  };

  const finishCapture = (c: Capture) => {
    capture = undefined;
    // Text cut off by the end of the document is not the field's value.
    if (ending) return;
    // Both drafts hold only optional strings under these keys.
    const target = (c.into === 'channel' ? channel : item) as Partial<Record<TextField, string>> | undefined;
    if (!target || target[c.key]) return; // the first non-empty occurrence wins
    target[c.key] = c.text;
  };

  const parser = new FeedParser(
    {
      onprocessinginstruction(name, data) {
        if (kind === undefined && name.toLowerCase() === '!doctype' && /^!doctype\s+html\b/i.test(data))
          throw new FeedError('not-a-feed', HTML_PAGE_MESSAGE);
      },
      onopentag(name, attribs) {
        const parent = stack[stack.length - 1];
        if (stack.length >= MAX_DEPTH)
          throw new FeedError('malformed', `the document nests elements more than ${MAX_DEPTH} deep`);
        const scope = scopeFor(parent ? parent.scope : ROOT_SCOPE, attribs);
        const { ns, local } = resolve(scope, name);
        let role: Role = Role.Other;
        if (kind === undefined) {
          // Still looking for the feed's root among top-level elements (text and stray markup
          // before it, such as a PHP warning, is skipped).
          if (!parent) {
            if (local === 'html' || local === 'head' || local === 'body')
              throw new FeedError('not-a-feed', HTML_PAGE_MESSAGE);
            if ((local === 'rss' && isRss(ns)) || (local === 'rdf' && ns === Ns.Rdf)) {
              kind = 'rss';
              role = Role.Root;
            } else if (local === 'feed' && (ns === Ns.Atom || ns === Ns.None)) {
              kind = 'atom';
              role = Role.Channel;
            } else if (local === 'channel' && isRss(ns)) {
              kind = 'rss';
              role = Role.Channel; // a bare <channel> without <rss> around it
            } else result.firstElement ??= name;
            if (role === Role.Channel) result.channel = true;
          }
        } else if (parent && capture === undefined) {
          switch (parent.role) {
            case Role.Root:
              if (isRss(ns) && local === 'channel') {
                role = Role.Channel;
                result.channel = true;
              } else if (isRss(ns) && local === 'item') role = Role.Item; // RSS 1.0: items beside the channel
              break;
            case Role.Channel:
              if (kind === 'rss' ? isRss(ns) && local === 'item' : ns === Ns.Atom && local === 'entry')
                role = Role.Item;
              else role = channelChild(ns, local, attribs);
              break;
            case Role.ChannelImage:
              if (isRss(ns) && local === 'url') startCapture('imageUrl', 'channel');
              break;
            case Role.Item:
              if (item) role = itemChild(item, ns, local, attribs);
              break;
            case Role.MediaGroup:
              if (item && ns === Ns.Media && local === 'content') mediaContent(item, attribs);
              break;
          }
          if (role === Role.Item) item = { transcripts: [] };
        }
        stack.push({ scope, role });
      },
      ontext(text) {
        if (capture && capture.text.length < MAX_FIELD_CHARS) capture.text += text;
      },
      onclosetag() {
        const frame = stack.pop();
        if (!frame) return;
        if (capture && capture.depth === stack.length) finishCapture(capture);
        if (frame.role === Role.Item) {
          // An item cut off by the end of the document may lack its enclosure or transcripts.
          if (item && !ending) result.items.push(item);
          item = undefined;
        }
        if (stack.length === 0 && kind !== undefined && frame.role !== Role.Other) {
          if (ending) result.truncated = true;
          else throw new Stop(); // the feed is complete: ignore anything after it
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );

  try {
    parser.write(xml);
    ending = true;
    parser.end();
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  result.kind = kind;
  return result;
}
