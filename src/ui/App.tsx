// The studio page: controls on the left, the live views in the middle, the teaching text below.
import { BackendBadge } from './BackendBadge.tsx';
import { Controls } from './Controls.tsx';
import { CycleTrail } from './CycleTrail.tsx';
import { ExpandDialog } from './ExpandDialog.tsx';
import { Explanation } from './Explanation.tsx';
import { CostView, CurvesView, HistogramView, StructureView } from './LiveView.tsx';
import { Notices } from './Notices.tsx';
import { ProgressList } from './ProgressList.tsx';
import { RunButtons } from './RunButtons.tsx';
import { RunsPanel } from './runs/RunsPanel.tsx';
import { useShortcuts } from './shortcuts.ts';
import { TradeoffSection } from './tradeoff/TradeoffSection.tsx';
import { TwinSection } from './twin/TwinSection.tsx';
import { watchRecording } from '../state/replay/live.ts';
import { useReplay } from '../state/replay/store.ts';
import { ReplayPlayer, WatchRecordingButton } from './replay/ReplayPlayer.tsx';
import { Tour, TourButton } from './tour/Tour.tsx';

export function App() {
  useShortcuts();
  const replaying = useReplay((s) => s.active);
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <h1>MorphNet Studio</h1>
          <p className="tagline">Watch a network learn its own structure</p>
        </div>
        <CycleTrail />
        <TourButton />
        {/* A recording runs on no backend: the badge would say "starting" for ever. */}
        {!replaying && <BackendBadge />}
      </header>
      <WatchRecordingButton onWatch={watchRecording} />
      <Notices />
      {replaying && <ReplayPlayer />}
      <div className="layout" hidden={replaying}>
        <aside className="sidebar card" aria-label="Controls">
          <RunButtons />
          <ProgressList />
          <Controls />
          <RunsPanel />
        </aside>
        <main className="views">
          <div className="stack">
            <section className="card structure-card" aria-label="Structure" data-tour="structure">
              <StructureView />
            </section>
            <section className="card" aria-label="Cost" data-tour="cost">
              <CostView />
            </section>
          </div>
          <div className="stack">
            <section className="card" aria-label="Gamma histograms" data-tour="gammas">
              <HistogramView />
            </section>
            <section className="card" aria-label="Curves">
              <CurvesView />
            </section>
          </div>
        </main>
      </div>
      <div data-tour="twin" hidden={replaying}>
        <TwinSection />
      </div>
      <div data-tour="tradeoff">
        <TradeoffSection />
      </div>
      <Explanation />
      <ExpandDialog />
      <Tour />
    </div>
  );
}
