// The page's entry: styles, the training worker, the store's URL binding, the test API, React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startStudio, type WorkerPort } from './state/actions.ts';
import { App } from './ui/App.tsx';
import { installTestApi } from './ui/testApi.ts';
import './viz/viz.css';
import './ui/studio.css';

// Under test (`?test=1`, or the flag an end-to-end test sets before the page loads) the workers'
// names end in ':test', and only such workers take the test API's fault injection.
const underTest =
  new URLSearchParams(window.location.search).get('test') === '1' ||
  (window as { __studioTest?: boolean }).__studioTest === true;

const makeWorker = (): WorkerPort =>
  new Worker(new URL('./worker/studio.worker.ts', import.meta.url), {
    type: 'module',
    name: underTest ? 'morphnet-training:test' : 'morphnet-training',
  });

startStudio(
  makeWorker,
  {
    read: () => window.location.search,
    write: (search) =>
      window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`),
  },
  `${import.meta.env.BASE_URL}data/`,
);
installTestApi();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
