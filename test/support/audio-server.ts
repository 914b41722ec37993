// A local podcast audio host for tests and benchmarks, never shipped: serves audio files over HTTP
// or HTTPS on 127.0.0.1 with byte ranges (206 + Content-Range) as podcast CDNs do, or without
// them (a server that ignores Range and sends the whole file), and records every request's range.
// Files are served by path; the host name is whatever the browser mapped here.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type AudioServer = {
  port: number;
  origin: string;
  /** Serves `bytes` at `path` (e.g. '/episode.mp3'). */
  set(path: string, bytes: Uint8Array, contentType: string): void;
  /** false: Range is ignored, every answer is the whole file with 200. */
  ranges: boolean;
  /** Answers this status for the path instead of the audio. */
  fail(path: string, status: number | undefined): void;
  /** Each chunk of a body waits this long (a slow host). */
  chunkDelayMs: number;
  /** `dest`: the browser's Sec-Fetch-Dest (a page's player says 'audio'; a fetch, 'empty'). */
  requests: { path: string; range?: string; status: number; dest?: string }[];
  close(): Promise<void>;
};

export async function startAudioServer(
  options: { tls?: { key: string; cert: string } } = {},
): Promise<AudioServer> {
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  const failures = new Map<string, number>();
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'content-range, content-length, accept-ranges',
    };
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, { ...cors, 'access-control-allow-headers': 'range', 'access-control-max-age': '600' })
        .end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const range = req.headers.range;
    const dest = req.headers['sec-fetch-dest'];
    const record = {
      path,
      ...(range ? { range } : {}),
      status: 200,
      ...(typeof dest === 'string' ? { dest } : {}),
    };
    server.requests.push(record);
    const failure = failures.get(path);
    const file = files.get(path);
    if (failure || !file) {
      record.status = failure ?? 404;
      res.writeHead(record.status, cors).end();
      return;
    }
    const total = file.bytes.length;
    let from = 0;
    let to = total - 1;
    const m = server.ranges && range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (m) {
      if (m[1] === '') {
        from = Math.max(0, total - Number(m[2]));
      } else {
        from = Number(m[1]);
        if (m[2] !== '') to = Math.min(total - 1, Number(m[2]));
      }
      if (from >= total || from > to) {
        record.status = 416;
        res.writeHead(416, { ...cors, 'content-range': `bytes */${total}` }).end();
        return;
      }
      record.status = 206;
    }
    const headers: Record<string, string> = {
      ...cors,
      'content-type': file.type,
      'content-length': String(to - from + 1),
      ...(server.ranges ? { 'accept-ranges': 'bytes' } : {}),
      ...(record.status === 206 ? { 'content-range': `bytes ${from}-${to}/${total}` } : {}),
    };
    res.writeHead(record.status, headers);
    const step = 64 * 1024;
    for (let at = from; at <= to; at += step) {
      if (res.destroyed) return;
      if (server.chunkDelayMs) await new Promise((r) => setTimeout(r, server.chunkDelayMs));
      const ok = res.write(
        Buffer.from(file.bytes.buffer, file.bytes.byteOffset + at, Math.min(step, to + 1 - at)),
      );
      if (!ok) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => res.destroy());
  };
  const http = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const server: AudioServer = {
    port,
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    set(path, bytes, type) {
      files.set(path, { bytes, type });
    },
    ranges: true,
    fail(path, status) {
      if (status === undefined) failures.delete(path);
      else failures.set(path, status);
    },
    chunkDelayMs: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        http.close(() => resolve());
      }),
  };
  return server;
}
