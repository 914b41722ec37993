// The library page's entry.
import { render } from 'preact';
import '../popup/popup.css';
import './library.css';
import { Library } from './library';

render(<Library />, document.getElementById('app')!);
