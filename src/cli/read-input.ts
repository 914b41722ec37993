// What a command reads: a local file or an http(s) URL, as bytes, size- and time-capped. The tool
// runs for the user on their own machine, so unlike the extension's fetch guard it may read
// loopback and private addresses (a feed on localhost is a normal thing to test).
import { readFile, stat } from 'node:fs/promises';
import { readCapped } from '../core/net/read-capped';
import { CliError } from './errors';

export type Input = {
  bytes: Uint8Array;
  /** The Content-Type header of a download. */
  contentType?: string;
  /** Where the bytes came from: the final URL after redirects, or the file path. */
  source: string;
};

export type ReadOptions = { maxBytes: number; timeoutMs?: number; accept?: string };

export const MB = 1024 * 1024;
export const LIMITS = {
  feed: { maxBytes: 20 * MB },
  transcript: { maxBytes: 10 * MB },
  /** A watch page is 1–2 MB; a player response a few hundred kB. */
  captions: { maxBytes: 10 * MB },
} as const;
const TIMEOUT_MS = 20_000;

/** A scheme of two letters or more ("https:", "file:"): a URL. "C:\…" stays a Windows path. */
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

export async function readInput(arg: string, options: ReadOptions): Promise<Input> {
  const scheme = SCHEME.exec(arg)?.[1]?.toLowerCase();
  if (scheme === undefined) return readLocalFile(arg, options.maxBytes);
  if (scheme !== 'http' && scheme !== 'https')
    throw new CliError(`only http(s) URLs are read, not ${scheme}: (give a file path instead)`);
  return download(arg, options);
}

async function readLocalFile(path: string, maxBytes: number): Promise<Input> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${path} is a directory, not a file`);
    if (info.size > maxBytes) throw new CliError(`${path} is larger than ${maxBytes / MB} MB`);
    return { bytes: new Uint8Array(await readFile(path)), source: path };
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`no such file: ${path}`);
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`cannot read ${path}: permission denied`);
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

async function download(
  raw: string,
  { maxBytes, timeoutMs = TIMEOUT_MS, accept }: ReadOptions,
): Promise<Input> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`not a valid URL: ${raw}`);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timedOut = () => new CliError(`${url.host} did not answer within ${timeoutMs / 1000} s`);
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        signal: controller.signal,
        redirect: 'follow',
        headers: { 'user-agent': 'earmark-cli', ...(accept ? { accept } : {}) },
      });
    } catch (error) {
      if (controller.signal.aborted) throw timedOut();
      throw new CliError(`could not reach ${url.host} (${causeOf(error)})`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new CliError(
        `${url.host} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      );
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(url, maxBytes);
    }
    const bytes = await readCapped(response, maxBytes);
    if (!bytes) throw tooLarge(url, maxBytes);
    const contentType = response.headers.get('content-type');
    return { bytes, source: response.url || url.href, ...(contentType ? { contentType } : {}) };
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (controller.signal.aborted) throw timedOut();
    throw new CliError(`the download from ${url.host} failed (${causeOf(error)})`);
  } finally {
    clearTimeout(timer);
  }
}

const tooLarge = (url: URL, maxBytes: number) =>
  new CliError(`the file at ${url.host} is larger than ${maxBytes / MB} MB`);

/** Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
