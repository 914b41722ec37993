// The first thing the popup runs, before its app code loads: finds the tab and asks the
// background what plays there. A stopped service worker takes ~80 ms to start; asking here starts
// it while the popup's own code is still loading, instead of after. This module imports nothing
// (the app chunk, with Preact and the polyfill, is loaded by main.tsx afterwards).
type Ext = {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  tabs: { query(query: { active: boolean; currentWindow: boolean }): Promise<{ id?: number }[]> };
};
const ext = ((globalThis as { browser?: Ext }).browser ?? (globalThis as { chrome?: Ext }).chrome)!;

async function targetTab(): Promise<number | null> {
  // `?tab=ID` names the tab explicitly (the popup opened in a tab of its own, as tests do).
  const fromQuery = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(fromQuery) && fromQuery > 0) return fromQuery;
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

export const tabId: Promise<number | null> = targetTab().catch(() => null);

let reply: Promise<unknown> | undefined = tabId.then((id) =>
  id === null ? null : ext.runtime.sendMessage({ type: 'tab/now-playing', payload: { tabId: id } }),
);
// Settled either way, so an early failure is never reported as unhandled: the app reads it.
reply.catch(() => {});

/** The early answer, once: later requests (Try again) ask anew. */
export function takeEarlyReply(): Promise<unknown> | undefined {
  const taken = reply;
  reply = undefined;
  return taken;
}
