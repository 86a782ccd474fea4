// The page's own charts (src/viz), fed from the recorded frame on screen instead of the live run:
// the structure diagram, |γ| histograms, cost and curves of the run shown, and the twin view of
// both runs beside the seed with the expansion that follows. They carry the live views'
// data-tour names and come first on the page, so the tour points at them under a recording.
import { useMemo } from 'react';
import { networkCost } from '../../morphnet/cost.ts';
import type { NetworkSpec, Target } from '../../morphnet/types.ts';
import {
  HIST_DOMAIN,
  HIST_BINS,
  valuesFromBins,
  type RecordedRun,
  type Recording,
} from '../../state/replay/recording.ts';
import { CostPanel } from '../../viz/CostPanel.tsx';
import { GammaHistograms } from '../../viz/GammaHistograms.tsx';
import { StructureDiagram } from '../../viz/StructureDiagram.tsx';
import { CurvesRow } from '../LiveView.tsx';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const TARGET_NAME: Record<Target, string> = { flops: 'FLOPs', size: 'size', latency: 'latency' };

function widest(spec: NetworkSpec): number {
  return Math.max(1, ...spec.layers.map((l) => (l.type === 'conv' ? l.filters : 0)));
}

export function ReplayMain(props: { recording: Recording; run: RecordedRun; index: number }) {
  const { recording, run, index } = props;
  const frame = run.frames[index] ?? run.frames[0]!;
  const spec = recording.spec;
  const layerCosts = useMemo(() => {
    const out: Record<string, { flops: number; params: number }> = {};
    for (const l of networkCost(spec, frame.alive).layers) out[l.name] = { flops: l.flops, params: l.params };
    return out;
  }, [spec, frame.alive]);
  const gammas = useMemo(() => {
    const out: Record<string, Float32Array> = {};
    for (const [name, counts] of Object.entries(frame.hist)) out[name] = valuesFromBins(counts);
    return out;
  }, [frame.hist]);
  const upTo = run.frames.slice(0, index + 1);
  const loss = [
    { name: 'task loss', points: upTo.slice(1).map((f) => ({ x: f.step, y: f.taskLoss })) },
    { name: 'strength × R(γ)', points: upTo.slice(1).map((f) => ({ x: f.step, y: f.regLoss })) },
  ];
  const accuracy = [
    { name: 'train (batch)', points: upTo.slice(1).map((f) => ({ x: f.step, y: f.trainAccuracy })) },
    {
      name: 'test',
      points: upTo.flatMap((f) => (f.testAccuracy === undefined ? [] : [{ x: f.step, y: f.testAccuracy }])),
    },
  ];
  const history = upTo.map((f) => ({ step: f.step, flops: f.flops, params: f.params }));
  return (
    <div className="views replay-views">
      <div className="stack">
        <section className="card structure-card" aria-label="Recorded structure" data-tour="structure">
          <StructureDiagram
            spec={spec}
            alive={frame.alive}
            layerCosts={layerCosts}
            title={`${spec.name} · ${TARGET_NAME[run.target]} target · recorded step ${frame.step}`}
            width={380}
            height={560}
          />
        </section>
        <section className="card" aria-label="Recorded cost" data-tour="cost">
          <CostPanel
            flops={frame.flops}
            params={frame.params}
            seedFlops={recording.seedCost.flops}
            seedParams={recording.seedCost.params}
            history={history}
            title="Cost of the alive network"
            sparkWidth={150}
          />
        </section>
      </div>
      <div className="stack">
        <section className="card" aria-label="Recorded gamma histograms" data-tour="gammas">
          <GammaHistograms
            gammas={gammas}
            // No onThresholdChange: the recording's threshold is shown, and nothing can move it.
            threshold={recording.settings.threshold}
            domain={HIST_DOMAIN}
            bins={HIST_BINS}
            panelWidth={178}
            panelHeight={52}
          />
        </section>
        <section className="card" aria-label="Recorded curves">
          <CurvesRow loss={loss} accuracy={accuracy} />
        </section>
      </div>
    </div>
  );
}

/** The twin view: the seed and both recorded runs at one scale, then where each expands to. */
export function ReplayTwin(props: { recording: Recording; index: number }) {
  const { recording, index } = props;
  const spec = recording.spec;
  const common = { spec, width: 260, height: 420, maxChannels: widest(spec) };
  const flops = recording.runs.flops;
  const size = recording.runs.size;
  const at = (r: RecordedRun) => r.frames[index] ?? r.frames[0]!;
  const last = index === flops.frames.length - 1;
  const expansion = (r: RecordedRun) =>
    `${TARGET_NAME[r.target]} run: ×${r.expansion.omega} back to the seed's ${r.target === 'flops' ? 'FLOPs' : 'parameters'} (${pct(r.expansion.flops / recording.seedCost.flops)} of the FLOPs, ${pct(r.expansion.params / recording.seedCost.params)} of the parameters)`;
  return (
    <section className="card replay-twin" aria-label="Recorded twin run" data-tour="twin">
      <h2>The twin run: one initialization, two targets</h2>
      <div className="twin-diagrams">
        <StructureDiagram {...common} title="Seed" />
        <StructureDiagram
          {...common}
          alive={at(flops).alive}
          title={`FLOPs-targeted · step ${at(flops).step}`}
        />
        <StructureDiagram
          {...common}
          alive={at(size).alive}
          title={`Size-targeted · step ${at(size).step}`}
        />
      </div>
      <p className="small">
        {last
          ? 'Expansion that follows: '
          : 'At the last step, each learned structure is expanded uniformly: '}
        {expansion(flops)}; {expansion(size)}.
      </p>
    </section>
  );
}
