// "Predicted against measured" (issue 13): times a real forward pass of the network at its alive
// widths and the latency batch on this device, and draws it beside what the latency model
// predicts for this device: the reference's pure roofline, and the roofline plus the measured
// dispatch cost of every op (small kernels are dispatch-bound, which the roofline cannot see).
import { useMemo } from 'react';
import { timeInferenceNow } from '../../state/latency-actions.ts';
import {
  deviceNoun,
  formatNs,
  latencyVerdict,
  predictedVsMeasured,
  type PredictedMeasured as Numbers,
} from '../../state/latency.ts';
import { useStudio } from '../../state/store.ts';
import './latency.css';

const W = 300;
const LABEL_H = 16;
const BAR_H = 14;
const ROW_H = LABEL_H + BAR_H + 8;

const ms = (x: number) => formatNs(x * 1e6);

function Bars({ n, overheadUs }: { n: Numbers; overheadUs: number }) {
  const rows = [
    { key: 'measured', label: 'Measured on this device', value: n.measuredMs },
    { key: 'roofline', label: 'Predicted: roofline', value: n.rooflineMs },
    { key: 'dispatch', label: `Predicted: roofline + ${Number(overheadUs.toPrecision(3))} µs an op`, value: n.dispatchMs },
  ];
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  const height = rows.length * ROW_H;
  return (
    <svg className="viz-svg latency-bars" width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img"
      aria-label={rows.map((r) => `${r.label}: ${ms(r.value)}`).join('; ')}>
      {rows.map((r, i) => {
        const y = i * ROW_H;
        const w = Math.max(1, (r.value / max) * (W - 70));
        return (
          <g key={r.key} className={`latency-bar latency-bar-${r.key}`}>
            <text x={0} y={y + LABEL_H - 4}>
              {r.label}
            </text>
            <rect x={0} y={y + LABEL_H} width={w} height={BAR_H} rx={2} />
            <text x={w + 6} y={y + LABEL_H + BAR_H - 3} className="latency-bar-value">
              {ms(r.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function PredictedMeasured() {
  const ready = useStudio((s) => s.ready);
  const timing = useStudio((s) => s.timingInference);
  const inference = useStudio((s) => s.inference);
  const device = useStudio((s) => s.device);
  const batch = useStudio((s) => s.latency.batch);
  const adapter = useStudio((s) => s.adapter);
  const numbers = useMemo(
    () => (inference && device ? predictedVsMeasured(inference, device) : null),
    [inference, device],
  );
  return (
    <section className="latency-pvm" aria-label="Predicted against measured">
      <h3 className="viz-title">Predicted against measured</h3>
      <p className="small muted">
        Times a forward pass of the network at its alive widths ({batch} {batch === 1 ? 'image' : 'images'} a pass)
        on this device and sets it beside the latency model&apos;s prediction for this device.
      </p>
      <button
        type="button"
        className="secondary"
        disabled={!ready || timing}
        onClick={timeInferenceNow}
        title="Rebuilds the network at its alive widths, runs a few passes to warm up, then reports the median of ten"
      >
        {timing ? 'Timing…' : 'Time it on this device'}
      </button>
      {numbers && inference && device && (
        <figure className="latency-figure">
          <Bars n={numbers} overheadUs={device.opOverheadNs / 1000} />
          <figcaption className="small">
            {inference.spec.name} at step {inference.step} (alive widths), batch {inference.batch}, median of{' '}
            {inference.runs} passes on {deviceNoun(device.backend, adapter)}
            {inference.fastestMs === undefined ? '' : `, the fastest ${ms(inference.fastestMs)}`}. {latencyVerdict(numbers, inference.fastestMs)}
          </figcaption>
        </figure>
      )}
    </section>
  );
}
