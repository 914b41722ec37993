// XML namespaces, resolved the XML way: an element is known by its namespace URI, never by its
// prefix ("podcast:", "pi:" and "p20:" are all the Podcasting 2.0 namespace when they are bound to
// its URI). htmlparser2 reports names as written, so the reader keeps a scope of prefix bindings.

/** The namespaces the feed reader cares about; everything else is Other. */
export const Ns = {
  /** No namespace: RSS 0.9x/2.0 core elements. */
  None: 0,
  /** RSS 1.0 (RDF Site Summary) and friends' default namespaces: treated as RSS core. */
  Rss: 1,
  Atom: 2,
  Itunes: 3,
  Podcast: 4,
  Media: 5,
  Dc: 6,
  Rdf: 7,
  Other: 8,
} as const;
export type Ns = (typeof Ns)[keyof typeof Ns];

/**
 * URIs compared case-insensitively without scheme, "www." or trailing slash: real feeds write
 * "http://www.w3.org/2005/Atom/", "http://www.itunes.com/DTDs/Podcast-1.0.dtd" and https
 * variants, which every podcast app accepts.
 */
const KNOWN: ReadonlyMap<string, Ns> = new Map([
  ['itunes.com/dtds/podcast-1.0.dtd', Ns.Itunes],
  // Podcasting 2.0: the current URI and the old GitHub one still used by most real feeds.
  ['podcastindex.org/namespace/1.0', Ns.Podcast],
  ['github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md', Ns.Podcast],
  ['w3.org/2005/atom', Ns.Atom],
  ['purl.org/atom/ns#', Ns.Atom], // Atom 0.3
  ['purl.org/rss/1.0', Ns.Rss],
  ['my.netscape.com/rdf/simple/0.9', Ns.Rss],
  ['backend.userland.com/rss2', Ns.Rss],
  ['search.yahoo.com/mrss', Ns.Media],
  ['purl.org/dc/elements/1.1', Ns.Dc],
  ['w3.org/1999/02/22-rdf-syntax-ns#', Ns.Rdf],
]);

/**
 * Prefixes used without any xmlns declaration (a real fault: feeds that copy `itunes:` tags from a
 * template and drop the declaration). Apple and most apps still read them, so we fall back to the
 * conventional binding, but only when the prefix is not declared at all.
 */
const CONVENTIONAL: ReadonlyMap<string, Ns> = new Map([
  ['itunes', Ns.Itunes],
  ['podcast', Ns.Podcast],
  ['atom', Ns.Atom],
  ['media', Ns.Media],
  ['dc', Ns.Dc],
  ['rdf', Ns.Rdf],
]);

export function namespaceOf(uri: string): Ns {
  const key = uri
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
  if (key === '') return Ns.None;
  return KNOWN.get(key) ?? Ns.Other;
}

/** Prefix bindings in force at an element ('' is the default namespace). Shared until changed. */
export type Scope = ReadonlyMap<string, Ns>;

export const ROOT_SCOPE: Scope = new Map([['', Ns.None]]);

/** The scope inside an element with these attributes: the parent's unless it declares xmlns. */
export function scopeFor(parent: Scope, attribs: Record<string, string>): Scope {
  let scope: Map<string, Ns> | undefined;
  for (const name in attribs) {
    if (name.charCodeAt(0) !== 120 /* x */ || !name.startsWith('xmlns')) continue;
    const prefix = name === 'xmlns' ? '' : name.startsWith('xmlns:') ? name.slice(6) : undefined;
    if (prefix === undefined) continue;
    scope ??= new Map(parent);
    scope.set(prefix, namespaceOf(attribs[name] ?? ''));
  }
  return scope ?? parent;
}

export interface Resolved {
  readonly ns: Ns;
  /** The local name, lower-cased: feeds write <pubdate> and <PubDate> too. */
  readonly local: string;
}

/** Names already resolved in each scope: a feed repeats a few dozen names thousands of times. */
const resolved = new WeakMap<Scope, Map<string, Resolved>>();

/** Splits "prefix:local" and resolves the prefix in scope. */
export function resolve(scope: Scope, qname: string): Resolved {
  let names = resolved.get(scope);
  if (!names) resolved.set(scope, (names = new Map()));
  let hit = names.get(qname);
  if (!hit) {
    const colon = qname.indexOf(':');
    if (colon < 0) hit = { ns: scope.get('') ?? Ns.None, local: qname.toLowerCase() };
    else {
      const prefix = qname.slice(0, colon);
      const ns = scope.get(prefix) ?? CONVENTIONAL.get(prefix.toLowerCase()) ?? Ns.Other;
      hit = { ns, local: qname.slice(colon + 1).toLowerCase() };
    }
    // Bounded: a hostile document with millions of distinct names must not grow this forever.
    if (names.size < 1024) names.set(qname, hit);
  }
  return hit;
}
