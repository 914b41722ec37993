// Keeps the worker's own requests off private networks, redirects included. The fetch guard
// (net.ts) refuses a private address it is given, but the browser follows a redirect by itself,
// and to the worker a redirect not followed is opaque (no Location): a public feed could send the
// fetch on to a router or a cloud metadata service. A session rule of declarativeNetRequest blocks
// every request the extension makes outside a tab to a private, loopback, link-local or local-name
// host (the ones core/net/url-policy.ts refuses), at each hop, before it is sent. The Messages API
// and transcription service addresses the user set (a local proxy or Whisper server, say) stay
// reachable.
import browser from 'webextension-polyfill';
import { PRIVATE_URLS } from '../core/net/private-urls';

const FIRST_RULE_ID = 9000;

/**
 * Installs (or replaces) the session rules. `exempt`: the service addresses the user set, whose
 * hosts stay reachable. Session rules outlive the worker, not the browser: called at each start.
 */
export async function blockPrivateNetworks(...exempt: (string | undefined)[]): Promise<void> {
  const hosts = exempt.flatMap((url) => {
    try {
      return url ? [new URL(url).hostname.replace(/^\[|\]$/g, '')] : [];
    } catch {
      return [];
    }
  });
  const ids = PRIVATE_URLS.map((_, i) => FIRST_RULE_ID + i);
  await browser.declarativeNetRequest.updateSessionRules({
    removeRuleIds: ids,
    addRules: PRIVATE_URLS.map((regexFilter, i) => ({
      id: ids[i]!,
      priority: 1,
      action: { type: 'block' as const },
      condition: {
        regexFilter,
        // Requests outside any tab: the worker's (and the popup's). Pages are none of our business.
        tabIds: [-1],
        ...(hosts.length ? { excludedRequestDomains: [...new Set(hosts)] } : {}),
      },
    })),
  });
}
