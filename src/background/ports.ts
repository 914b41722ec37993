// Long-lived ports from UI pages. A popup subscribes to one tab and is pushed what plays there
// whenever it changes. The set of open ports is connection state, not data: it dies with the
// worker, and pages reconnect (see src/messaging.ts) and resubscribe.
import type { Runtime } from 'webextension-polyfill';
import * as v from 'valibot';
import { POPUP_PORT, PopupPortRequestSchema, type NowPlaying, type PopupPortPush } from '../messages';

const subscribers = new Map<number, Set<Runtime.Port>>();

export function acceptPort(
  port: Runtime.Port,
  extensionOrigin: string,
  current: (tabId: number) => Promise<NowPlaying | null>,
): void {
  // Only our own extension pages may subscribe; anything else is disconnected at once.
  if (port.name !== POPUP_PORT || !port.sender?.url?.startsWith(extensionOrigin)) {
    port.disconnect();
    return;
  }
  const mine = new Set<number>();
  port.onMessage.addListener(async (message: unknown) => {
    const request = v.safeParse(PopupPortRequestSchema, message);
    if (!request.success) return; // a malformed subscription is ignored; the page keeps its state
    const { tabId } = request.output;
    mine.add(tabId);
    let set = subscribers.get(tabId);
    if (!set) subscribers.set(tabId, (set = new Set()));
    set.add(port);
    try {
      port.postMessage({ type: 'now-playing', tabId, value: await current(tabId) } satisfies PopupPortPush);
    } catch {
      // The page went away between its request and our answer.
    }
  });
  port.onDisconnect.addListener(() => {
    for (const tabId of mine) subscribers.get(tabId)?.delete(port);
  });
}

/** Whether any page watches this tab (no one: nothing to read or push). */
export function hasSubscribers(tabId: number): boolean {
  return (subscribers.get(tabId)?.size ?? 0) > 0;
}

/** Pushes a tab's state to every page subscribed to it. */
export function pushNowPlaying(tabId: number, value: NowPlaying | null): void {
  for (const port of subscribers.get(tabId) ?? []) {
    try {
      port.postMessage({ type: 'now-playing', tabId, value } satisfies PopupPortPush);
    } catch {
      subscribers.get(tabId)?.delete(port);
    }
  }
}
