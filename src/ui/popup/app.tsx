// The popup's app: its styles and the Popup, rendered for the tab early.ts found.
import { render } from 'preact';
import './popup.css';
import { Popup } from './popup';

export function mount(root: HTMLElement, tabId: Promise<number | null>): void {
  void tabId.then(
    (id) => render(<Popup tabId={id} />, root),
    () => render(<Popup tabId={null} />, root),
  );
}
