// Navigation shared by the popup and the library page: the library page opens in a tab of its own.
import browser from 'webextension-polyfill';

export const LIBRARY_PAGE = 'src/ui/library/index.html';

/** Opens the library page in a new tab (the popup closes as the tab takes focus). */
export function openLibrary(): void {
  void browser.tabs.create({ url: browser.runtime.getURL(LIBRARY_PAGE) });
}
