// Keeps the worker's own requests off private networks, redirects included. The fetch guard
// (net.ts) refuses a private address it is given, but the browser follows a redirect by itself,
// and to the worker a redirect not followed is opaque (no Location): a public feed could send the
// fetch on to a router or a cloud metadata service. A session rule of declarativeNetRequest blocks
// every request the extension makes outside a tab to a private, loopback, link-local or local-name
// host (the ones core/net/url-policy.ts refuses), at each hop, before it is sent. The Messages API
// address the user set (a local proxy, say) stays reachable.
import browser from 'webextension-polyfill';
import { PRIVATE_URLS } from '../core/net/private-urls';

const FIRST_RULE_ID = 9000;

/**
 * Installs (or replaces) the session rules. `exempt`: the Messages API address the user set, whose
 * host stays reachable. Session rules outlive the worker, not the browser: called at each start.
 */
export async function blockPrivateNetworks(exempt?: string): Promise<void> {
  let host: string | undefined;
  try {
    host = exempt ? new URL(exempt).hostname.replace(/^\[|\]$/g, '') : undefined;
  } catch {
    host = undefined;
  }
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
        ...(host ? { excludedRequestDomains: [host] } : {}),
      },
    })),
  });
}
