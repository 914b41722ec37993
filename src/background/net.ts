// The fetch guard: every third-party fetch of the background goes through here. It refuses
// addresses that are not public http(s) (also after redirects), caps the size of the body and the
// time it takes, and makes conditional requests when it has a validator (ETag / Last-Modified).
import { readCapped } from '../core/net/read-capped';
import { checkPublicHttpUrl } from '../core/net/url-policy';

export type FetchErrorCode = 'blocked-address' | 'timeout' | 'too-large' | 'http' | 'network' | 'offline';

export class FetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export type GuardedRequest = {
  maxBytes: number;
  timeoutMs: number;
  accept?: string;
  etag?: string;
  lastModified?: string;
};

export type Fetched =
  | {
      status: 200;
      url: string;
      bytes: Uint8Array;
      contentType?: string;
      etag?: string;
      lastModified?: string;
    }
  | { status: 304; url: string };

export type GuardedFetch = (url: string, request: GuardedRequest) => Promise<Fetched>;

export const LIMITS = {
  feed: { maxBytes: 20 * 1024 * 1024, timeoutMs: 20_000 },
  transcript: { maxBytes: 10 * 1024 * 1024, timeoutMs: 20_000 },
} as const;

export function createGuardedFetch(fetchImpl: typeof fetch = (...args) => fetch(...args)): GuardedFetch {
  return async function guardedFetch(raw, request) {
    const verdict = checkPublicHttpUrl(raw);
    if (!verdict.ok) throw new FetchError('blocked-address', `Not fetched: ${verdict.reason}.`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const headers: Record<string, string> = {};
      if (request.accept) headers.accept = request.accept;
      if (request.etag) headers['if-none-match'] = request.etag;
      if (request.lastModified) headers['if-modified-since'] = request.lastModified;
      let response: Response;
      try {
        response = await fetchImpl(verdict.url.href, {
          headers,
          signal: controller.signal,
          credentials: 'omit',
          redirect: 'follow',
          cache: 'no-cache',
        });
      } catch (error) {
        if (controller.signal.aborted)
          throw new FetchError('timeout', `No answer within ${request.timeoutMs / 1000} s.`);
        if (typeof navigator !== 'undefined' && navigator.onLine === false)
          throw new FetchError('offline', 'The browser is offline.');
        // A redirect the browser would not follow (to a private address, which the worker's
        // request rules block: private-network.ts; or to a site Earmark may not read) fails like a
        // dead server. Asked once more without following, the server tells which it was.
        if (await redirects(fetchImpl, verdict.url.href, controller.signal))
          throw new FetchError(
            'blocked-address',
            'Not fetched: it redirects to a private address or to a site Earmark may not read.',
          );
        throw new FetchError('network', `Could not reach ${verdict.url.host} (${(error as Error).message}).`);
      }
      // Redirects are followed by the browser; where they ended must be public too.
      const finalUrl = response.url || verdict.url.href;
      const final = checkPublicHttpUrl(finalUrl);
      if (!final.ok)
        throw new FetchError(
          'blocked-address',
          `Redirected to an address that is not fetched: ${final.reason}.`,
        );
      if (response.status === 304) return { status: 304, url: finalUrl };
      if (!response.ok)
        throw new FetchError('http', `${verdict.url.host} answered ${response.status}.`, response.status);
      const declared = Number(response.headers.get('content-length'));
      if (declared > request.maxBytes) throw tooLarge(request.maxBytes);
      const bytes = await readCapped(response, request.maxBytes);
      if (!bytes) {
        controller.abort();
        throw tooLarge(request.maxBytes);
      }
      return {
        status: 200,
        url: finalUrl,
        bytes,
        ...optional('contentType', response.headers.get('content-type')),
        ...optional('etag', response.headers.get('etag')),
        ...optional('lastModified', response.headers.get('last-modified')),
      };
    } catch (error) {
      if (error instanceof FetchError) throw error;
      if (controller.signal.aborted)
        throw new FetchError('timeout', `No answer within ${request.timeoutMs / 1000} s.`);
      throw new FetchError('network', `The download failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Whether the address answers with a redirect (opaque to the worker: where to is not told). */
async function redirects(fetchImpl: typeof fetch, url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetchImpl(url, { redirect: 'manual', credentials: 'omit', signal });
    return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
  } catch {
    return false;
  }
}

export { hostOf } from '../core/net/host';

const optional = <K extends string>(key: K, value: string | null) =>
  (value ? { [key]: value } : {}) as Partial<Record<K, string>>;

const tooLarge = (max: number) =>
  new FetchError('too-large', `The file is larger than ${Math.round(max / 1024 / 1024)} MB.`);
