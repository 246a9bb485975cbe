// Renderer entry (browser/Electron renderer): mounts the React app.
import './zodConfig'; // before anything that builds a zod schema
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

// Server mode trades ?token= for a cookie with a redirect; should a token still reach the
// address bar (a proxy that drops redirects), keep it out of history and of screenshots.
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', '/');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
