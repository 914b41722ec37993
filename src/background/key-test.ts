// The options' "Test the key": kept apart from settings.ts so that the pages that read settings
// (the offscreen document among them) do not load the Anthropic SDK.
import { createClaudeClient } from '../core/insights/claude-client';
import { classifyClaudeError } from '../core/insights/claude-errors';
import type { Settings } from './settings';

/**
 * Checks an API key (the given one, else the stored one) without spending: counting tokens is
 * free. A failure is put in the same words the engine uses for it (claude-errors.ts).
 */
export async function testApiKey(
  settings: Settings,
  apiKey?: string,
): Promise<{ ok: boolean; message: string }> {
  const key = apiKey ?? settings.apiKey;
  if (!key) return { ok: false, message: 'No API key to test: paste one first.' };
  const client = createClaudeClient({
    apiKey: key,
    timeoutMs: 15_000,
    ...(settings.apiBaseUrl ? { baseURL: settings.apiBaseUrl } : {}),
  });
  try {
    await client.messages.countTokens({
      model: settings.model,
      messages: [{ role: 'user', content: 'ping' }],
    });
    return { ok: true, message: 'The key works.' };
  } catch (error) {
    return { ok: false, message: classifyClaudeError(error, { model: settings.model }).message };
  }
}
