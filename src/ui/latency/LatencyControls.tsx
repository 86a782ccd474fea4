// The Latency target's own controls (issue 13), under the Target radios while it is chosen: the
// device to price for (this device as measured, one of the reference's six chips, or numbers
// typed in), this device's measurement in plain words, and the latency batch.
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { REFERENCE_HARDWARE } from '../../morphnet/latency.ts';
import {
  LATENCY_BATCH_MAX,
  measureDevice,
  setCustomHardware,
  setLatencyBatch,
  setPriceFor,
} from '../../state/latency-actions.ts';
import { describeDevice, formatRate, hardwareNumberProblem } from '../../state/latency.ts';
import { useStudio } from '../../state/store.ts';
import { CommitNumber } from '../CommitNumber.tsx';
import './latency.css';

/** The time now, every `ms` while `active`: "measured 12 s ago" keeps counting. */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return now;
}

/** This device's measurement, or what is happening to it, with a button to measure again. */
export function DeviceLine() {
  const device = useStudio((s) => s.device);
  const adapter = useStudio((s) => s.adapter);
  const measuring = useStudio((s) => s.measuringDevice);
  const backend = useStudio((s) => s.backend);
  const now = useNow(device !== null);
  const text = measuring
    ? 'Measuring this device: matmuls, a large copy and tiny ops, a few seconds…'
    : device
      ? describeDevice(device, adapter, now)
      : 'This device is not measured yet.';
  return (
    <div className="latency-device">
      <p role="status" aria-label="This device" className="small">
        {text}
      </p>
      <button
        type="button"
        className="secondary small-button"
        disabled={measuring || backend === null}
        title="Times large matmuls (peak compute), a large elementwise copy (memory bandwidth) and tiny ops (dispatch cost) on the backend training now"
        onClick={() => measureDevice(device !== null)}
      >
        {device ? 'Measure again' : 'Measure this device'}
      </button>
    </div>
  );
}

const FIELDS = [
  { key: 'peak', label: 'Peak compute (GFLOP/s)' },
  { key: 'bandwidth', label: 'Memory bandwidth (GB/s)' },
] as const;

/** Two numbers typed in, applied together on Enter or leaving the field, once both are valid. */
function CustomHardwareFields() {
  const custom = useStudio((s) => s.latency.custom);
  const baseId = useId();
  const errorId = useId();
  const [draft, setDraft] = useState<{ peak: string; bandwidth: string } | null>(null);
  const shown = draft ?? { peak: String(custom.peakGflops), bandwidth: String(custom.bandwidthGbs) };
  const problem =
    draft === null
      ? null
      : (hardwareNumberProblem(draft.peak, 'Peak compute') ?? hardwareNumberProblem(draft.bandwidth, 'Memory bandwidth'));
  const commit = () => {
    if (draft === null || problem !== null) return;
    setCustomHardware({ peakGflops: Number(draft.peak), bandwidthGbs: Number(draft.bandwidth) });
    setDraft(null);
  };
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Enter') commit();
    if (e.key === 'Escape') setDraft(null);
  };
  const invalid = problem === null ? {} : { 'aria-invalid': true, 'aria-describedby': errorId };
  return (
    <>
      <div className="field-row">
        {FIELDS.map(({ key, label }) => (
          <div className="field" key={key}>
            <label htmlFor={`${baseId}-${key}`}>{label}</label>
            <input
              id={`${baseId}-${key}`}
              type="number"
              min={0}
              step="any"
              value={shown[key]}
              {...invalid}
              onChange={(e) => setDraft({ ...shown, [key]: e.currentTarget.value })}
              onBlur={commit}
              onKeyDown={keys}
            />
          </div>
        ))}
      </div>
      {problem !== null && (
        <p id={errorId} className="field-error" role="alert">
          {problem} The target keeps the last valid numbers.
        </p>
      )}
    </>
  );
}

export function LatencyControls() {
  const choice = useStudio((s) => s.latency);
  const priceId = useId();
  return (
    <div className="latency-controls" role="group" aria-label="Latency target">
      <div
        className="field"
        title="The device whose time the regularizer charges: latency = Σ max(FLOPs / peak compute, bytes / bandwidth) over the ops"
      >
        <label htmlFor={priceId}>Price for</label>
        <select id={priceId} value={choice.priceFor} onChange={(e) => setPriceFor(e.currentTarget.value)}>
          <option value="device">This device (measured)</option>
          {REFERENCE_HARDWARE.map((h) => (
            <option key={h.name} value={h.name}>
              {h.name}: {formatRate(h.peakGflops)} GFLOP/s, {formatRate(h.bandwidthGbs)} GB/s
            </option>
          ))}
          <option value="custom">Numbers typed in</option>
        </select>
      </div>
      {choice.priceFor === 'device' && <DeviceLine />}
      {choice.priceFor === 'custom' && <CustomHardwareFields />}
      <CommitNumber
        label="Latency batch"
        title="Images per forward pass the latency is priced at (the reference's batch_size; 1 is one image at a time)"
        value={choice.batch}
        min={1}
        max={LATENCY_BATCH_MAX}
        onCommit={setLatencyBatch}
      />
    </div>
  );
}
