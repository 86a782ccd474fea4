// Twin runs (issue 4): the paper's ResNet figure, live. One click trains a FLOPs-targeted and a
// size-targeted copy of the page's network from the same seed, and shows what each kept.
// TwinSection selects from the stores; TwinView draws from props only (rendered in tests).
import type { NetworkSpec } from '../../morphnet/types.ts';
import { useStudio } from '../../state/store.ts';
import { layerFractions, readTwin } from '../../state/twin/reading.ts';
import { useTwin, type TwinState } from '../../state/twin/store.ts';
import { TwinControls } from './TwinControls.tsx';
import { TwinDiagrams } from './TwinDiagrams.tsx';
import { TwinStatus } from './TwinStatus.tsx';
import { TwinReading, TwinTable } from './TwinTable.tsx';
import './twin.css';

export function TwinSection() {
  const twin = useTwin();
  const pageSeed = useStudio((s) => s.seedSpec);
  return <TwinView twin={twin} pageSeed={pageSeed} />;
}

export function TwinView(props: { twin: TwinState; pageSeed: NetworkSpec | null }) {
  const { phase, message, steps, runs } = props.twin;
  const seed = runs.flops.seedSpec ?? runs.size.seedSpec ?? (phase === 'idle' ? null : props.pageSeed);
  // Computed once for the reading and the table, which marks the layers the reading compares.
  const rows = seed ? layerFractions(seed, runs.flops.alive, runs.size.alive) : [];
  const reading = readTwin(rows);
  return (
    <section className="card twin-section" aria-labelledby="twin-title">
      <div className="twin-head">
        <div>
          <h2 id="twin-title">Twin run: FLOPs against model size</h2>
          <p className="muted small twin-intro">
            Trains two copies of this network from the same initialization and data order, one whose penalty
            is priced in FLOPs and one in parameters, with the current strength and threshold. Look at where
            each one thins: FLOPs cost most in the early, high-resolution layers (near the input, at the
            bottom of the diagrams), so the FLOPs run thins those; parameters cost most in the late, wide
            layers (at the top), so the size run thins those. The main run pauses while the twin trains.
          </p>
        </div>
        <TwinControls phase={phase} steps={steps} />
      </div>
      {message && (
        <p className="twin-error" role="alert">
          {message}
        </p>
      )}
      {phase !== 'idle' && (
        <div className="twin-statuses">
          <TwinStatus run={runs.flops} steps={steps} />
          <TwinStatus run={runs.size} steps={steps} />
        </div>
      )}
      {seed && phase !== 'idle' && (
        <>
          <TwinReading reading={reading} />
          <div className="twin-body">
            <TwinDiagrams seed={seed} flops={runs.flops} size={runs.size} />
            <TwinTable rows={rows} reading={reading} />
          </div>
        </>
      )}
    </section>
  );
}
