// Twin runs (issue 4): the paper's ResNet figure, live. One click trains two copies of the page's
// network from the same seed, each towards one target of the chosen pair (FLOPs against size by
// default; either against latency, priced for the device the page has chosen), and shows what
// each kept.
// TwinSection selects from the stores; TwinView draws from props only (rendered in tests).
import type { NetworkSpec } from '../../morphnet/types.ts';
import { useStudio } from '../../state/store.ts';
import { pairTitle } from '../../state/twin/labels.ts';
import { isPaperPair, layerFractions, readTwin } from '../../state/twin/reading.ts';
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
  const { phase, message, steps, runs, pair, shown } = props.twin;
  const [a, b] = [runs[shown[0]], runs[shown[1]]];
  const seed = a.seedSpec ?? b.seedSpec ?? (phase === 'idle' ? null : props.pageSeed);
  // Computed once for the reading and the table, which marks the layers the reading compares.
  const rows = seed ? layerFractions(seed, a.alive, b.alive) : [];
  const reading = readTwin(rows);
  return (
    <section className="card twin-section" aria-labelledby="twin-title">
      <div className="twin-head">
        <div>
          <h2 id="twin-title">Twin run: {pairTitle(phase === 'idle' ? pair : shown)}</h2>
          <p className="muted small twin-intro">
            Trains two copies of this network from the same initialization and data order, each with its
            penalty priced in one of the two targets chosen, with the current strength and threshold. Look at
            where each one thins: FLOPs cost most in the early, high-resolution layers (near the input, at the
            bottom of the diagrams), so a FLOPs run thins those; parameters cost most in the late, wide layers
            (at the top), so a size run thins those; latency is priced per layer as the slower of its compute
            and its memory traffic on the device chosen under Target, so a latency run thins whichever bound
            costs most there. The main run pauses while the twin trains.
            {!isPaperPair(shown) && phase !== 'idle'
              ? ' The paper’s figure compares FLOPs and size only.'
              : ''}
          </p>
        </div>
        <TwinControls phase={phase} steps={steps} pair={pair} />
      </div>
      {message && (
        <p className="twin-error" role="alert">
          {message}
        </p>
      )}
      {phase !== 'idle' && (
        <div className="twin-statuses">
          <TwinStatus run={a} steps={steps} />
          <TwinStatus run={b} steps={steps} />
        </div>
      )}
      {seed && phase !== 'idle' && (
        <>
          <TwinReading reading={reading} pair={shown} />
          <div className="twin-body">
            <TwinDiagrams seed={seed} a={a} b={b} />
            <TwinTable rows={rows} reading={reading} pair={shown} />
          </div>
        </>
      )}
    </section>
  );
}
