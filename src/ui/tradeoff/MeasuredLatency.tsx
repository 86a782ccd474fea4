// The trade-off chart's measured-latency axis (issue 13) on the page: choosing it times every
// network of the sweep shown on this device (src/state/tradeoff/latency.ts), a line says how far
// that is, and the selected point's detail puts the measured time beside the model's prediction.
import { useEffect, useMemo } from 'react';
import { networkLatency } from '../../morphnet/latency.ts';
import type { SweepFile, SweepPoint } from '../../morphnet/sweep.ts';
import type { NetworkSpec } from '../../morphnet/types.ts';
import { formatNs, hardwareLabel, latencySettings } from '../../state/latency.ts';
import { useStudio } from '../../state/store.ts';
import {
  latencyKey,
  stopTimingSweep,
  timeSweep,
  useTradeoffLatency,
  type MeasuredLatency,
} from '../../state/tradeoff/latency.ts';
import type { ChartMetric } from '../../state/tradeoff/store.ts';

/** Times the sweep's networks while the latency axis is chosen; returns each network's time. */
export function useMeasuredLatency(sweep: SweepFile | null, metric: ChartMetric) {
  const times = useTradeoffLatency((s) => s.times);
  const backend = useTradeoffLatency((s) => s.backend);
  const batch = useStudio((s) => s.latency.batch);
  useEffect(() => {
    if (metric === 'latency' && sweep) void timeSweep(sweep);
  }, [metric, sweep, batch]);
  return useMemo(
    () =>
      (spec: NetworkSpec): MeasuredLatency | undefined =>
        times[latencyKey(spec, batch, backend)],
    [times, backend, batch],
  );
}

/** "Timing each network on this device (wasm), 1 image a pass: 3 of 12 …", or the line after. */
export function MeasuredLatencyNote(props: {
  sweep: SweepFile;
  timed: (spec: NetworkSpec) => MeasuredLatency | undefined;
}) {
  const timing = useTradeoffLatency((s) => s.timing);
  const error = useTradeoffLatency((s) => s.error);
  const backend = useTradeoffLatency((s) => s.backend);
  const batch = useStudio((s) => s.latency.batch);
  const all = [props.sweep.seed.spec, ...props.sweep.points.map((p) => p.spec)];
  const done = all.filter((s) => props.timed(s) !== undefined).length;
  const where = `on this device${backend ? ` (${backend})` : ''}, ${batch} image${batch === 1 ? '' : 's'} a pass`;
  return (
    <div className="tradeoff-latency-note small" role="status" aria-label="Measured latency">
      {timing ? (
        <>
          Timing each network {where}: {timing.done} of {timing.total}
          {timing.wait ? ` (${timing.wait}…)` : '…'}{' '}
          <button type="button" className="secondary" onClick={stopTimingSweep}>
            Stop timing
          </button>
        </>
      ) : (
        <>
          {done} of {all.length} networks timed {where} (the median of several forward passes; the main run
          pauses while they are timed).
        </>
      )}
      {error && (
        <span className="field-error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </div>
  );
}

/** The selected point's measured time and the roofline's prediction, as the detail's rows. */
export function PointLatency(props: { sweep: SweepFile; point: SweepPoint }) {
  const { sweep, point } = props;
  const choice = useStudio((x) => x.latency);
  const device = useStudio((x) => x.device);
  const backend = useTradeoffLatency((x) => x.backend);
  const measured = useTradeoffLatency((x) => x.times[latencyKey(point.spec, choice.batch, backend)]);
  const priced = latencySettings({ latency: choice, device });
  const predicted = priced
    ? { ns: networkLatency(point.spec, undefined, priced).latencyNs, on: hardwareLabel(choice.priceFor) }
    : point.latencyNs !== undefined && sweep.settings.latency
      ? { ns: point.latencyNs, on: sweep.settings.latency.hardware.name }
      : null;
  if (!measured && !predicted) return null;
  return (
    <>
      <dt>latency</dt>
      <dd data-testid="tradeoff-point-latency">
        {measured ? `${formatNs(measured.medianMs * 1e6)} measured here` : 'not timed here yet'}
        {predicted && (
          <span className="muted small">
            {' '}
            · {formatNs(predicted.ns)} predicted on {predicted.on}
          </span>
        )}
      </dd>
    </>
  );
}
