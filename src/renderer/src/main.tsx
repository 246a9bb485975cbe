// Renderer entry (browser/Electron renderer): registers the app's commands once and mounts the
// React app.
import './zodConfig'; // before anything that builds a zod schema
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerAppCommands } from './features/workspace/commands';
import './styles/index.css';

// Server mode trades ?token= for a cookie with a redirect; should a token still reach the
// address bar (a proxy that drops redirects), keep it out of history and of screenshots.
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', '/');

registerAppCommands();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
