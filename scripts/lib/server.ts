// A small static file server for the demo episode and test pages, over HTTP or HTTPS, on
// loopback. It answers Range requests (browsers need them to know an audio file's duration and
// to seek) and fills `{{ORIGIN}}` in feeds with the origin the request came to.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/rss+xml; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
  '.srt': 'application/x-subrip; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.opus': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain; charset=utf-8',
};

/** Text files in which `{{ORIGIN}}` is replaced with the origin of the request (and, in string
 * routes, `{{PORT}}` with the server's port). */
const TEMPLATED = new Set(['.xml', '.html', '.json', '.vtt']);

export type Route =
  | {
      host?: string;
      dir: string;
      /** URL path the directory is served under; default `/`. */ prefix?: string;
    }
  | {
      host?: string;
      path: string;
      body: string | Buffer;
      type?: string;
      status?: number;
      /** Answer only after this long (tests of slow servers and of work cut off midway). */
      delayMs?: number;
    };

export type StaticServer = { port: number; origin: string; close(): Promise<void> };

export type ServerOptions = {
  /** Served in order; a route with `host` serves only requests for that host name. */
  routes: Route[];
  /** PEM key and certificate for HTTPS; plain HTTP without. */
  tls?: { key: string; cert: string };
  host?: string;
  /** Called for every request (tests count what was fetched). */
  onRequest?: (host: string, path: string) => void;
};

export async function startServer({
  routes,
  tls,
  host = '127.0.0.1',
  onRequest,
}: ServerOptions): Promise<StaticServer> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    try {
      onRequest?.((req.headers.host ?? '').replace(/:\d+$/, ''), (req.url ?? '/').replace(/\?.*$/, ''));
      serve(req, res, routes, tls ? 'https' : 'http');
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  };
  const server = tls ? createHttps({ key: tls.key, cert: tls.cert }, handler) : createHttp(handler);
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `${tls ? 'https' : 'http'}://${host}:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

function serve(req: IncomingMessage, res: ServerResponse, routes: Route[], scheme: string): void {
  const hostHeader = req.headers.host ?? 'localhost';
  const hostname = hostHeader.replace(/:\d+$/, '');
  const url = new URL(req.url ?? '/', `${scheme}://${hostHeader}`);
  const origin = `${scheme}://${hostHeader}`;
  for (const route of routes) {
    if (route.host && route.host !== hostname) continue;
    if ('body' in route) {
      if (url.pathname !== route.path) continue;
      if (route.delayMs && !(req as { delayed?: boolean }).delayed) {
        (req as { delayed?: boolean }).delayed = true;
        setTimeout(() => serve(req, res, routes, scheme), route.delayMs);
        return;
      }
      res.writeHead(route.status ?? 200, {
        'content-type': route.type ?? 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      const port = (req.socket.localPort ?? '').toString();
      res.end(
        typeof route.body === 'string'
          ? route.body.replaceAll('{{ORIGIN}}', origin).replaceAll('{{PORT}}', port)
          : route.body,
      );
      return;
    }
    const prefix = route.prefix ?? '/';
    if (!url.pathname.startsWith(prefix)) continue;
    const root = resolve(route.dir);
    const rel = `/${decodeURIComponent(url.pathname.slice(prefix.length))}`.replace(/\/$/, '/index.html');
    const file = normalize(join(root, rel));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) continue;
    // `{{ORIGIN}}` names the directory's root as served: the origin plus the route's prefix.
    sendFile(req, res, file, `${origin}${prefix.replace(/\/$/, '')}`);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, origin: string): void {
  const ext = extname(file).toLowerCase();
  const type = TYPES[ext] ?? 'application/octet-stream';
  const headers = { 'content-type': type, 'cache-control': 'no-store', 'accept-ranges': 'bytes' };
  if (TEMPLATED.has(ext)) {
    const body = readFileSync(file, 'utf8').replaceAll('{{ORIGIN}}', origin);
    res.writeHead(200, headers).end(body);
    return;
  }
  const size = statSync(file).size;
  const range = req.headers.range?.match(/^bytes=(\d*)-(\d*)$/);
  if (range) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, {
      ...headers,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${size}`,
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
