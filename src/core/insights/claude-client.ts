// A small Anthropic client: the SDK's base client with only the Messages resource. The full
// `Anthropic` class pulls in every resource (files, models, skills, beta, organization…). Built
// for the browser and minified (vite, 2026-11-29): this client is 159 kB (43 kB gzip), the full
// one 493 kB (94 kB gzip).
//
// What the SDK 1.14 does that matters here (checked in node_modules/@anthropic-ai/sdk/client.mjs):
// - it sends `apiKey` as `Authorization: Bearer <key>` (not `x-api-key`), plus
//   `anthropic-version` and, with `dangerouslyAllowBrowser`, the
//   `anthropic-dangerous-direct-browser-access: true` header the API requires from a browser;
// - its `timeout` covers the wait for the response headers only, not a stream that goes quiet
//   (claude-stream.ts adds an idle timer for that);
// - with no credential it would look for config files and environment variables: we always pass
//   the key and turn that off.
import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages';

export const ANTHROPIC_API = 'https://api.anthropic.com';

export type ClaudeClientOptions = {
  apiKey: string;
  /** Where the Messages API is; tests point it at a local server. Default: the real API. */
  baseURL?: string;
  /** Fetch to use (tests, or the worker's own); default: the global one. */
  fetch?: typeof fetch;
  /** How long to wait for the response headers, in ms. */
  timeoutMs?: number;
};

/** The base client plus `messages`, nothing else. */
export class ClaudeClient extends BaseAnthropic {
  messages: Messages = new Messages(this);

  // The key given is the only credential: never resolve profiles or config files.
  protected override _shouldResolveDefaultCredentials(): boolean {
    return false;
  }
}

export function createClaudeClient(options: ClaudeClientOptions): ClaudeClient {
  return new ClaudeClient({
    apiKey: options.apiKey,
    // Explicit, so the SDK does not read ANTHROPIC_BASE_URL itself (the CLI does, on purpose).
    baseURL: options.baseURL ?? ANTHROPIC_API,
    // The engine classifies failures and decides about retrying (claude-errors.ts).
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    // The extension calls the API from its service worker, with the user's own key.
    dangerouslyAllowBrowser: true,
    openTelemetry: false,
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
