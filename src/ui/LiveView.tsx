// The four live views from src/viz, fed from the store. The store changes at most ~10 times a
// second (state/events.ts), so these re-render at most that often however fast the GPU is.
// What a readback brings is read through useDeferredValue: zustand's update renders at once and
// in one piece, so drawing every chart there made one main-thread task of 56-61 ms on a loaded
// 2-core machine. Deferred, the charts render at transition priority, which React splits into
// ~5 ms slices between components; the charts are memoized, so the urgent pass skips them.
import { useDeferredValue, useMemo } from 'react';
import { networkCost } from '../morphnet/cost.ts';
import { setSetting } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';
import { LIMITS } from '../state/url.ts';
import { CostPanel } from '../viz/CostPanel.tsx';
import { Curves } from '../viz/Curves.tsx';
import { GammaHistograms } from '../viz/GammaHistograms.tsx';
import { StructureDiagram } from '../viz/StructureDiagram.tsx';
import type { Series } from '../viz/index.ts';
import { roundSignificant } from './LogSlider.tsx';
import { PredictedMeasured } from './latency/PredictedMeasured.tsx';
import { costLatencyRow, layerLatencyText, usePricedLatency } from './latency/usePricedLatency.ts';

const TARGET_WORDS = { flops: 'FLOPs', size: 'size', latency: 'latency' } as const;

export function StructureView() {
  // Deferred together, so the diagram never draws a new network with the old one's counts.
  const spec = useDeferredValue(useStudio((s) => s.spec));
  const alive = useDeferredValue(useStudio((s) => s.alive));
  const cycle = useDeferredValue(useStudio((s) => s.cycle));
  const target = useStudio((s) => s.settings.target);
  const priced = usePricedLatency();
  const layerCosts = useMemo(() => {
    if (!spec) return undefined;
    const out: Record<string, { flops: number; params: number; latency?: string | undefined }> = {};
    const latency = layerLatencyText(spec, alive, priced);
    for (const l of networkCost(spec, alive).layers)
      out[l.name] = { flops: l.flops, params: l.params, latency: latency?.[l.name] };
    return out;
  }, [spec, alive, priced]);
  if (!spec) return <div className="placeholder">The network appears here once it is built.</div>;
  const title = `${spec.name}${cycle > 0 ? ` · expanded ×${cycle}` : ''} · ${TARGET_WORDS[target]} target`;
  return (
    <StructureDiagram
      spec={spec}
      alive={alive}
      layerCosts={layerCosts}
      title={title}
      width={380}
      height={560}
    />
  );
}

/** One function for the page's life, so the memoized histograms are not re-rendered for it. */
function changeThreshold(t: number) {
  setSetting(
    'threshold',
    Math.min(LIMITS.threshold.max, Math.max(LIMITS.threshold.min, roundSignificant(t))),
  );
}

export function HistogramView() {
  const gammas = useDeferredValue(useStudio((s) => s.gammas));
  // A drag is urgent: the line follows the pointer at once.
  const threshold = useStudio((s) => s.settings.threshold);
  return (
    <GammaHistograms
      gammas={gammas}
      threshold={threshold}
      onThresholdChange={changeThreshold}
      panelWidth={178}
      panelHeight={52}
    />
  );
}

export function CostView() {
  const cost = useDeferredValue(useStudio((s) => s.cost));
  const seedCost = useDeferredValue(useStudio((s) => s.seedCost));
  const history = useDeferredValue(useStudio((s) => s.costCurve));
  const spec = useDeferredValue(useStudio((s) => s.spec));
  const seedSpec = useStudio((s) => s.seedSpec);
  const alive = useDeferredValue(useStudio((s) => s.alive));
  const target = useStudio((s) => s.settings.target);
  const priced = usePricedLatency();
  const latency = useMemo(() => costLatencyRow(spec, seedSpec, alive, priced), [spec, seedSpec, alive, priced]);
  if (!cost || !seedCost) return <div className="placeholder">FLOPs and parameters appear here.</div>;
  return (
    <>
    <CostPanel
      latency={latency}
      flops={cost.flops}
      params={cost.params}
      seedFlops={seedCost.flops}
      seedParams={seedCost.params}
      history={history}
      title="Cost of the alive network"
      sparkWidth={150}
    />
    {target === 'latency' && <PredictedMeasured />}
    </>
  );
}

const ACCURACY_DOMAIN: [number, number] = [0, 1];
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function CurvesView() {
  const curve = useDeferredValue(useStudio((s) => s.curve));
  const testCurve = useDeferredValue(useStudio((s) => s.testCurve));
  const loss = useMemo(
    () => [
      { name: 'task loss', points: curve.map((p) => ({ x: p.step, y: p.taskLoss })) },
      { name: 'strength × R(γ)', points: curve.map((p) => ({ x: p.step, y: p.regLoss })) },
    ],
    [curve],
  );
  const accuracy = useMemo(
    () => [
      { name: 'train (batch)', points: curve.map((p) => ({ x: p.step, y: p.trainAccuracy })) },
      { name: 'test', points: testCurve.map((p) => ({ x: p.step, y: p.accuracy })) },
    ],
    [curve, testCurve],
  );
  return <CurvesRow loss={loss} accuracy={accuracy} />;
}

/** The loss and accuracy charts side by side, as the live run and a replayed recording both show them. */
export function CurvesRow(props: { loss: Series[]; accuracy: Series[] }) {
  return (
    <div className="curves-row">
      <Curves series={props.loss} title="Loss" width={320} height={170} />
      <Curves
        series={props.accuracy}
        title="Accuracy"
        width={320}
        height={170}
        yDomain={ACCURACY_DOMAIN}
        formatValue={pct}
      />
    </div>
  );
}
