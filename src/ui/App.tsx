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

export function App() {
  useShortcuts();
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <h1>MorphNet Studio</h1>
          <p className="tagline">Watch a network learn its own structure</p>
        </div>
        <CycleTrail />
        <BackendBadge />
      </header>
      <Notices />
      <div className="layout">
        <aside className="sidebar card" aria-label="Controls">
          <RunButtons />
          <ProgressList />
          <Controls />
          <RunsPanel />
        </aside>
        <main className="views">
          <div className="stack">
            <section className="card structure-card" aria-label="Structure">
              <StructureView />
            </section>
            <section className="card" aria-label="Cost">
              <CostView />
            </section>
          </div>
          <div className="stack">
            <section className="card" aria-label="Gamma histograms">
              <HistogramView />
            </section>
            <section className="card" aria-label="Curves">
              <CurvesView />
            </section>
          </div>
        </main>
      </div>
      <TwinSection />
      <TradeoffSection />
      <Explanation />
      <ExpandDialog />
    </div>
  );
}
