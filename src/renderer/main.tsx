import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/versioning.css';
import './styles/tabs.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { App } from './app';
import { ErrorBoundary } from './components/error-boundary';
import { layoutStorage } from './components/layout-storage';
import { useAppStore } from './stores/app-store';
import { connectStore, reportUnhandledRejections } from './stores/connect-store';

// Wired before the first render, outside React: data starts loading while React mounts.
reportUnhandledRejections(useAppStore, window);
// Open tabs are remembered where pane sizes are (localStorage, never throwing).
connectStore(useAppStore, api, layoutStorage);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
