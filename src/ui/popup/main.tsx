// The toolbar popup's entry: asks the background early (early.ts), then loads the app and renders
// the Popup for the tab it is about.
import { tabId } from './early';

void import('./app').then(({ mount }) => mount(document.getElementById('app')!, tabId));
