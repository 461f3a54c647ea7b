import { render } from 'preact';
import { App } from './app/App';
import './styles.css';

const root = document.getElementById('app')!;
// Replace the static "Loading…" text that shows while the bundle downloads.
root.replaceChildren();
render(<App />, root);
