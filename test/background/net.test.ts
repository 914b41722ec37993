// The fetch guard, with a fake network below it (the only fake: fetch itself).
import { describe, expect, it, vi } from 'vitest';
import { createGuardedFetch, FetchError } from '../../src/background/net';

const request = { maxBytes: 1000, timeoutMs: 200 };

function respond(body: BodyInit | null, init: ResponseInit & { url?: string } = {}): Response {
  const response = new Response(body, init);
  if (init.url) Object.defineProperty(response, 'url', { value: init.url });
  return response;
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a FetchError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

describe('the guarded fetch', () => {
  it('returns the body, type and validators', async () => {
    const fake = vi.fn(async () =>
      respond('<rss/>', {
        url: 'https://feeds.example.com/x',
        headers: {
          'content-type': 'application/rss+xml',
          etag: '"v1"',
          'last-modified': 'Sun, 01 Nov 2026 09:00:00 GMT',
        },
      }),
    );
    const got = await createGuardedFetch(fake)('https://feeds.example.com/x', request);
    expect(got).toMatchObject({
      status: 200,
      contentType: 'application/rss+xml',
      etag: '"v1"',
      lastModified: 'Sun, 01 Nov 2026 09:00:00 GMT',
    });
    if (got.status === 200) expect(new TextDecoder().decode(got.bytes)).toBe('<rss/>');
  });

  it('sends the validators and passes a 304 through', async () => {
    const fake = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
      respond(null, { status: 304, url: 'https://feeds.example.com/x' }),
    );
    const got = await createGuardedFetch(fake)('https://feeds.example.com/x', {
      ...request,
      etag: '"v1"',
      lastModified: 'yesterday',
    });
    expect(got.status).toBe(304);
    const headers = fake.mock.calls[0]![1]!.headers as Record<string, string>;
    expect(headers).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'yesterday' });
    expect(fake.mock.calls[0]![1]!.credentials).toBe('omit');
  });

  it('never asks the network for a private or non-http address', async () => {
    const fake = vi.fn(async () => respond('secret'));
    for (const url of [
      'http://127.0.0.1/',
      'http://192.168.1.1/feed',
      'file:///etc/passwd',
      'http://localhost:3000/',
    ]) {
      expect((await failure(createGuardedFetch(fake)(url, request))).code).toBe('blocked-address');
    }
    expect(fake).not.toHaveBeenCalled();
  });

  it('refuses what a redirect led to a private address', async () => {
    const fake = vi.fn(async () => respond('secret', { url: 'http://169.254.169.254/latest' }));
    const error = await failure(createGuardedFetch(fake)('https://feeds.example.com/x', request));
    expect(error.code).toBe('blocked-address');
    expect(error.message).toMatch(/Redirected/);
  });

  it('stops reading past the size cap, declared or not', async () => {
    const big = 'x'.repeat(5000);
    const declared = vi.fn(async () => respond(big, { headers: { 'content-length': '5000' } }));
    expect((await failure(createGuardedFetch(declared)('https://a.example.com/', request))).code).toBe(
      'too-large',
    );
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(400)); // endless: only the cap stops it
      },
    });
    const undeclared = vi.fn(async () => respond(stream));
    expect((await failure(createGuardedFetch(undeclared)('https://a.example.com/', request))).code).toBe(
      'too-large',
    );
  });

  it('gives up after the timeout', async () => {
    const hang = vi.fn(
      (_url: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const error = await failure(
      createGuardedFetch(hang)('https://slow.example.com/', { ...request, timeoutMs: 50 }),
    );
    expect(error.code).toBe('timeout');
  });

  it('reports HTTP errors and network failures in words', async () => {
    const notFound = vi.fn(async () => respond('nope', { status: 404 }));
    const error = await failure(createGuardedFetch(notFound)('https://a.example.com/x', request));
    expect([error.code, error.status, error.message]).toEqual(['http', 404, 'a.example.com answered 404.']);
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const net = await failure(createGuardedFetch(down)('https://a.example.com/x', request));
    expect(net.code).toBe('network');
    expect(net.message).toMatch(/Could not reach a\.example\.com/);
  });
});
