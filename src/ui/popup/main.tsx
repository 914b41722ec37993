// The toolbar popup's entry: renders the Popup for the tab it is about. A `?tab=ID` query names
// the tab explicitly (the popup opened in a tab of its own, as tests and "open in tab" do);
// otherwise it is the active tab of the window the popup belongs to.
import { render } from 'preact';
import browser from 'webextension-polyfill';
import './popup.css';
import { Popup } from './popup';

async function targetTab(): Promise<number | null> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(fromQuery) && fromQuery > 0) return fromQuery;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

const root = document.getElementById('app')!;
void targetTab().then(
  (tabId) => render(<Popup tabId={tabId} />, root),
  () => render(<Popup tabId={null} />, root),
);
