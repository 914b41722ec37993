// The options page's entry.
import { render } from 'preact';
import '../popup/popup.css';
import './options.css';
import { Options } from './options';

render(<Options />, document.getElementById('app')!);
