// The page's entry: styles, the training worker, the store's URL binding, the test API, React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startStudio, type WorkerPort } from './state/actions.ts';
import { App } from './ui/App.tsx';
import { installTestApi } from './ui/testApi.ts';
import { registerLivePort } from './state/replay/live.ts';
import { openReplay } from './state/replay/store.ts';
import { resumeTour } from './ui/tour/store.ts';
import './viz/viz.css';
import './ui/studio.css';
import './ui/present.css';
import './ui/tour/tour.css';
import './ui/replay/replay.css';

// Under test (`?test=1`, or the flag an end-to-end test sets before the page loads) the workers'
// names end in ':test', and only such workers take the test API's fault injection.
const underTest =
  new URLSearchParams(window.location.search).get('test') === '1' ||
  (window as { __studioTest?: boolean }).__studioTest === true;

// No listener here on purpose: every worker the page makes goes through superviseWorker
// (state/supervisor.ts), which installs onerror and onmessageerror and notices a silent one.
const makeWorker = (): WorkerPort =>
  new Worker(new URL('./worker/studio.worker.ts', import.meta.url), {
    type: 'module',
    name: underTest ? 'morphnet-training:test' : 'morphnet-training',
  });

const url = {
  read: () => window.location.search,
  write: (search: string) =>
    window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`),
};
// Classroom flags (state/url.ts PAGE_KEYS): `present=1` restyles the page for a projector,
// `tour=1` opens the guided tour (where it was left, if it was), `replay=1` plays the recorded run and starts no worker until
// the person chooses to train ("Train it yourself").
const flags = new URLSearchParams(window.location.search);
if (flags.get('present') === '1') document.documentElement.classList.add('present');
let started = false;
const startLive = () => {
  started = true;
  startStudio(makeWorker, url, `${import.meta.env.BASE_URL}data/`);
};
registerLivePort({ started: () => started, start: startLive, readQuery: url.read, writeQuery: url.write });
if (flags.get('replay') === '1')
  void openReplay(`${import.meta.env.BASE_URL}recordings/mnist-resnet-mini.json`);
else startLive();
// A tour left midway goes on where it was left, as a reload of the lesson's link should.
if (flags.get('tour') === '1') resumeTour();
installTestApi();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
