// A local podcast host for tests and benchmarks, never shipped: serves feeds and transcripts over
// HTTP on 127.0.0.1 under any host name (the first path segment is the host the request was meant
// for, or the Host header when a browser mapped the real name here), answers conditional requests (ETag / If-None-Match → 304), can fail a path (an HTTP
// status, a cut connection) or answer slowly, and records every request and how many were in
// flight at once. `localFetch` sends a real `fetch` for https://HOST/PATH to it.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type FeedServer = {
  port: number;
  /** Serves `body` at https://HOST/PATH (as the URL names it). */
  set(url: string, body: string, contentType?: string): void;
  /** Makes a URL fail: an HTTP status, or 'cut' (the connection closes without an answer). */
  fail(url: string, how: number | 'cut' | undefined): void;
  /** Every answer waits this long (to see requests overlap). */
  delayMs: number;
  requests: { url: string; conditional: boolean; status: number }[];
  /** Most requests in flight at once since the last reset. */
  maxInFlight: number;
  reset(): void;
  close(): Promise<void>;
};

const keyOf = (url: string) => {
  const u = new URL(url);
  return `${u.host}${u.pathname}${u.search}`;
};

export async function startFeedServer(
  options: { tls?: { key: string; cert: string } } = {},
): Promise<FeedServer> {
  const bodies = new Map<string, { body: string; type: string; etag: string }>();
  const failures = new Map<string, number | 'cut'>();
  const sockets = new Set<Socket>();
  let inFlight = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A CORS preflight (a browser's conditional request to a host it has no permission for), as
    // a CORS-friendly podcast host answers it; not counted among the requests.
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': 'if-none-match, if-modified-since, accept',
          'access-control-max-age': '600',
        })
        .end();
      return;
    }
    // A browser whose resolver maps the real host here names it in the Host header.
    const named = (req.headers.host ?? '').replace(/:\d+$/, '');
    const key =
      named && named !== '127.0.0.1' && named !== 'localhost'
        ? `${named}${req.url ?? '/'}`
        : decodeURIComponent((req.url ?? '/').slice(1));
    const url = `https://${key}`;
    inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    try {
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      const conditional = typeof req.headers['if-none-match'] === 'string';
      const failure = failures.get(key);
      if (failure === 'cut') {
        state.requests.push({ url, conditional, status: 0 });
        req.socket.destroy();
        return;
      }
      if (failure !== undefined) {
        state.requests.push({ url, conditional, status: failure });
        res.writeHead(failure, { 'content-type': 'text/plain' }).end(`error ${failure}`);
        return;
      }
      const entry = bodies.get(key);
      if (!entry) {
        state.requests.push({ url, conditional, status: 404 });
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (req.headers['if-none-match'] === entry.etag) {
        state.requests.push({ url, conditional, status: 304 });
        res.writeHead(304, { etag: entry.etag }).end();
        return;
      }
      state.requests.push({ url, conditional, status: 200 });
      res
        .writeHead(200, {
          'content-type': entry.type,
          etag: entry.etag,
          'access-control-allow-origin': '*',
          'access-control-expose-headers': 'etag',
        })
        .end(entry.body);
    } finally {
      inFlight -= 1;
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res);
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const state: FeedServer = {
    port: (server.address() as AddressInfo).port,
    set(url, body, contentType = 'application/rss+xml; charset=utf-8') {
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      bodies.set(keyOf(url), { body, type: contentType, etag });
    },
    fail(url, how) {
      if (how === undefined) failures.delete(keyOf(url));
      else failures.set(keyOf(url), how);
    },
    delayMs: 0,
    requests: [],
    maxInFlight: 0,
    reset() {
      state.requests = [];
      state.maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return state;
}

/** A fetch that sends https://HOST/PATH to the feed server (as http://127.0.0.1:PORT/HOST/PATH). */
export function localFetch(server: FeedServer): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const local = `http://127.0.0.1:${server.port}/${encodeURIComponent(`${url.host}${url.pathname}${url.search}`)}`;
    return fetch(local, init).then((response) => {
      // The guard checks where a response ended up: report the address that was asked for.
      Object.defineProperty(response, 'url', { value: url.href });
      return response;
    });
  };
}

/** An RSS feed with the Podcasting 2.0 transcript tag, in the shape hosts publish. */
export function rssFeed(
  show: { title: string; image?: string },
  items: {
    guid: string;
    title: string;
    published: Date;
    enclosure: string;
    transcript?: string;
    duration?: number;
  }[],
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
<title>${esc(show.title)}</title>
<link>https://example.com/</link>
${show.image ? `<itunes:image href="${esc(show.image)}"/>` : ''}
${items
  .map(
    (i) => `<item>
<title>${esc(i.title)}</title>
<guid isPermaLink="false">${esc(i.guid)}</guid>
<pubDate>${i.published.toUTCString()}</pubDate>
<enclosure url="${esc(i.enclosure)}" type="audio/mpeg" length="1000"/>
${i.duration ? `<itunes:duration>${i.duration}</itunes:duration>` : ''}
${i.transcript ? `<podcast:transcript url="${esc(i.transcript)}" type="text/vtt" language="en"/>` : ''}
</item>`,
  )
  .join('\n')}
</channel>
</rss>`;
}

/** A WebVTT transcript of `sentences`, one cue each, `step` seconds apart. */
export function vtt(sentences: string[], step = 20): string {
  const clock = (s: number) =>
    `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.000`;
  return `WEBVTT\n\n${sentences
    .map((text, i) => `${clock(i * step)} --> ${clock(i * step + step - 1)}\n${text}`)
    .join('\n\n')}\n`;
}
