// Twin runs (issue 4): the paper's ResNet figure, live. One click trains a FLOPs-targeted and a
// size-targeted copy of the page's network from the same seed, and shows what each kept.
import { useStudio } from '../../state/store.ts';
import { useTwin } from '../../state/twin/store.ts';
import { TwinControls } from './TwinControls.tsx';
import { TwinDiagrams } from './TwinDiagrams.tsx';
import { TwinStatus } from './TwinStatus.tsx';
import { TwinReading, TwinTable } from './TwinTable.tsx';
import './twin.css';

export function TwinSection() {
  const phase = useTwin((s) => s.phase);
  const message = useTwin((s) => s.message);
  const twinSeed = useTwin((s) => s.runs.flops.seedSpec ?? s.runs.size.seedSpec);
  const pageSeed = useStudio((s) => s.seedSpec);
  const seed = twinSeed ?? (phase === 'idle' ? null : pageSeed);
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
        <TwinControls />
      </div>
      {message && (
        <p className="twin-error" role="alert">
          {message}
        </p>
      )}
      {phase !== 'idle' && (
        <div className="twin-statuses">
          <TwinStatus target="flops" />
          <TwinStatus target="size" />
        </div>
      )}
      {seed && phase !== 'idle' && (
        <>
          <TwinReading seed={seed} />
          <div className="twin-body">
            <TwinDiagrams seed={seed} />
            <TwinTable seed={seed} />
          </div>
        </>
      )}
    </section>
  );
}
