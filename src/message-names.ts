// Names shared by the contract and the UI pages, in a module of their own so a page that needs
// only a name does not load the message schemas (and their schema library).

/** Long-lived port from a UI page: it subscribes to one tab and gets pushed what plays there. */
export const POPUP_PORT = 'earmark/popup';

/** Erasing needs these exact words from the UI, after the user confirmed. */
export const ERASE_CONFIRMATION = 'erase everything';

/** Messages from the worker to the offscreen document carry this target (others ignore them). */
export const OFFSCREEN_TARGET = 'earmark/offscreen';
