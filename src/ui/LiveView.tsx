// The four live views from src/viz, fed from the store. The store changes at most ~10 times a
// second (state/events.ts), so these re-render at most that often however fast the GPU is.
import { useMemo } from 'react';
import { networkCost } from '../morphnet/cost.ts';
import { setSetting } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';
import { LIMITS } from '../state/url.ts';
import { CostPanel } from '../viz/CostPanel.tsx';
import { Curves } from '../viz/Curves.tsx';
import { GammaHistograms } from '../viz/GammaHistograms.tsx';
import { StructureDiagram } from '../viz/StructureDiagram.tsx';
import { roundSignificant } from './LogSlider.tsx';

export function StructureView() {
  const spec = useStudio((s) => s.spec);
  const alive = useStudio((s) => s.alive);
  const cycle = useStudio((s) => s.cycle);
  const target = useStudio((s) => s.settings.target);
  const layerCosts = useMemo(() => {
    if (!spec) return undefined;
    const out: Record<string, { flops: number; params: number }> = {};
    for (const l of networkCost(spec, alive).layers) out[l.name] = { flops: l.flops, params: l.params };
    return out;
  }, [spec, alive]);
  if (!spec) return <div className="placeholder">The network appears here once it is built.</div>;
  const title = `${spec.name}${cycle > 0 ? ` · expanded ×${cycle}` : ''} · ${target === 'flops' ? 'FLOPs' : 'size'} target`;
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

export function HistogramView() {
  const gammas = useStudio((s) => s.gammas);
  const threshold = useStudio((s) => s.settings.threshold);
  return (
    <GammaHistograms
      gammas={gammas}
      threshold={threshold}
      onThresholdChange={(t) =>
        setSetting(
          'threshold',
          Math.min(LIMITS.threshold.max, Math.max(LIMITS.threshold.min, roundSignificant(t))),
        )
      }
      panelWidth={178}
      panelHeight={52}
    />
  );
}

export function CostView() {
  const cost = useStudio((s) => s.cost);
  const seedCost = useStudio((s) => s.seedCost);
  const history = useStudio((s) => s.costCurve);
  if (!cost || !seedCost) return <div className="placeholder">FLOPs and parameters appear here.</div>;
  return (
    <CostPanel
      flops={cost.flops}
      params={cost.params}
      seedFlops={seedCost.flops}
      seedParams={seedCost.params}
      history={history}
      title="Cost of the alive network"
      sparkWidth={150}
    />
  );
}

export function CurvesView() {
  const curve = useStudio((s) => s.curve);
  const testCurve = useStudio((s) => s.testCurve);
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
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return (
    <div className="curves-row">
      <Curves series={loss} title="Loss" width={320} height={170} />
      <Curves
        series={accuracy}
        title="Accuracy"
        width={320}
        height={170}
        yDomain={[0, 1]}
        formatValue={pct}
      />
    </div>
  );
}
