/** @jsxImportSource preact */
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);

// The app shell is kept by a service worker (web/public/sw.js), so saved tickets and the door scanner open
// without a network. Browsers allow it on https and localhost only; elsewhere the app simply needs the network.
if ('serviceWorker' in navigator && window.isSecureContext) {
  void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
