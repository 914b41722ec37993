// What the command-line tool reads: files and http(s) downloads, capped in size and time, with a
// plain-words CliError for everything that goes wrong. Run in-process so that small caps and short
// timeouts can be tried without megabytes or long waits.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors';
import { main } from '../../src/cli/main';
import { readInput } from '../../src/cli/read-input';

let server: Server;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'earmark-cli-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('hello');
    } else if (req.url === '/declared-big') {
      res.writeHead(200, { 'content-length': String(5000) });
      res.end('x'.repeat(5000));
    } else if (req.url === '/chunked-big') {
      // No Content-Length: the cap must hold while reading.
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 50; i++) res.write('y'.repeat(100));
      res.end();
    } else if (req.url === '/silent') {
      // Answers nothing until the client gives up.
    } else {
      res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('readInput', () => {
  it('reads a file', async () => {
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'abc');
    const input = await readInput(path, { maxBytes: 10 });
    expect(new TextDecoder().decode(input.bytes)).toBe('abc');
    expect(input.source).toBe(path);
  });

  it('refuses a file over the cap before reading it', async () => {
    const path = join(dir, 'big.txt');
    writeFileSync(path, 'x'.repeat(100));
    await expect(readInput(path, { maxBytes: 10 })).rejects.toThrow(/larger than/);
  });

  it('downloads, keeping the Content-Type', async () => {
    const input = await readInput(`${base}/small`, { maxBytes: 100 });
    expect(new TextDecoder().decode(input.bytes)).toBe('hello');
    expect(input.contentType).toBe('text/plain; charset=utf-8');
  });

  it.each([
    ['a declared size over the cap', '/declared-big'],
    ['a streamed body over the cap', '/chunked-big'],
  ])('refuses %s', async (_name, path) => {
    await expect(readInput(`${base}${path}`, { maxBytes: 1000 })).rejects.toThrow(/larger than/);
  });

  it('gives up on a server that does not answer', async () => {
    const started = Date.now();
    await expect(readInput(`${base}/silent`, { maxBytes: 1000, timeoutMs: 200 })).rejects.toThrow(
      /did not answer within 0\.2 s/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['a server error', `/error`, /answered 500/],
    ['another scheme', 'ftp://example.com/feed.xml', /only http\(s\) URLs are read, not ftp:/],
    ['a broken URL', 'http://exa mple.com/', /not a valid URL/],
  ])('refuses %s with a CliError', async (_name, arg, message) => {
    const target = arg.startsWith('/') ? `${base}${arg}` : arg;
    const error: unknown = await readInput(target, { maxBytes: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('main', () => {
  it('writes one line and returns 1 for an internal error, without a stack', async () => {
    const out: string[] = [];
    const err: string[] = [];
    // A path holding a NUL byte makes fs throw something that is not a known input error.
    const code = await main(['transcript', 'a\u0000b'], {
      out: { write: (s: string) => out.push(s) },
      err: { write: (s: string) => err.push(s) },
    });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^earmark: [^\n]+\n$/);
  });
});
