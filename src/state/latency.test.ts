import { describe, expect, it } from 'vitest';
import type { DeviceMeasurement } from '../engine/device-probe.ts';
import { networkLatency } from '../morphnet/latency.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import type { InferenceTimeEvent } from '../protocol/messages.ts';
import {
  describeDevice,
  formatAgo,
  formatNs,
  formatRate,
  hardwareNumberProblem,
  initialLatency,
  latencyHardware,
  latencyVerdict,
  formatTimes,
  latencySettings,
  predictedVsMeasured,
} from './latency.ts';

const device: DeviceMeasurement = { backend: 'webgpu', peakGflops: 2310.4, bandwidthGbs: 184.2, opOverheadNs: 12_400, measuredAt: 1_000_000 };
const choice = (priceFor: string) => ({ ...initialLatency.latency, priceFor });

describe('latency state', () => {
  it('says what this device is and when it was measured, in plain words', () => {
    expect(describeDevice(device, null, 1_012_000)).toBe('this GPU: 2,310 GFLOP/s, 184 GB/s, 12.4 µs an op, measured 12 s ago');
    const wasm = { ...device, backend: 'wasm', peakGflops: 31.57, bandwidthGbs: 18.08, opOverheadNs: 850 };
    expect(describeDevice(wasm, null, 1_000_000 + 3 * 60_000)).toBe('this CPU (wasm): 31.6 GFLOP/s, 18.1 GB/s, 850 ns an op, measured 3 min ago');
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: '', isFallback: true };
    expect(describeDevice({ ...device, peakGflops: 0.894 }, swiftshader, 1_000_000)).toBe(
      'this GPU (emulated on the CPU): 0.89 GFLOP/s, 184 GB/s, 12.4 µs an op, measured 0 s ago',
    );
    expect(formatAgo(2 * 86_400_000)).toBe('2 days');
    expect(formatAgo(3 * 3_600_000)).toBe('3 h');
    expect(formatRate(125000)).toBe('125,000');
  });

  it('formats latencies in the unit that fits', () => {
    expect(formatNs(850)).toBe('850 ns');
    expect(formatNs(12_345)).toBe('12.3 µs');
    expect(formatNs(4_561_000)).toBe('4.56 ms');
    expect(formatNs(1.2e9)).toBe('1.2 s');
    expect(formatNs(NaN)).toBe('—');
  });

  it('prices for this device once measured, a reference chip, or the numbers typed in', () => {
    expect(latencyHardware({ latency: choice('device'), device: null })).toBeNull();
    expect(latencyHardware({ latency: choice('device'), device })).toEqual({
      name: 'this device',
      peakGflops: 2310.4,
      bandwidthGbs: 184.2,
      opOverheadNs: 12_400,
    });
    expect(latencySettings({ latency: { ...choice('T4'), batch: 8 }, device: null })).toEqual({
      hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 },
      batch: 8,
    });
    expect(latencyHardware({ latency: { ...choice('custom'), custom: { peakGflops: 50, bandwidthGbs: 10 } }, device: null })).toEqual({
      name: 'custom',
      peakGflops: 50,
      bandwidthGbs: 10,
    });
    expect(latencyHardware({ latency: choice('H100'), device })).toBeNull();
  });

  it('names a typed-in number that cannot price a device', () => {
    expect(hardwareNumberProblem('2310', 'Peak compute')).toBeNull();
    expect(hardwareNumberProblem('0', 'Peak compute')).toBe('Peak compute must be a positive number, got "0".');
    expect(hardwareNumberProblem(' -3 ', 'Memory bandwidth')).toBe('Memory bandwidth must be a positive number, got "-3".');
    expect(hardwareNumberProblem('', 'Memory bandwidth')).toBe('Memory bandwidth must be a positive number, got "".');
    expect(hardwareNumberProblem('Infinity', 'Peak compute')).toBe('Peak compute must be a positive number, got "Infinity".');
  });

  it('prices the timed network on this device, with and without the dispatch cost', () => {
    const spec = seedSpec('plain-cnn');
    const alive = { conv1: 3 };
    const e: InferenceTimeEvent = { type: 'inference-time', step: 40, spec, alive, batch: 2, medianMs: 7.5, runs: 10 };
    const n = predictedVsMeasured(e, device);
    const hw = { name: 'this device', peakGflops: device.peakGflops, bandwidthGbs: device.bandwidthGbs };
    expect(n.measuredMs).toBe(7.5);
    expect(n.rooflineMs).toBeCloseTo(networkLatency(spec, alive, { hardware: { ...hw, opOverheadNs: 0 }, batch: 2 }).latencyNs / 1e6, 12);
    expect(n.dispatchMs).toBeCloseTo(networkLatency(spec, alive, { hardware: { ...hw, opOverheadNs: 12_400 }, batch: 2 }).latencyNs / 1e6, 12);
    expect(n.dispatchMs).toBeGreaterThan(n.rooflineMs);
  });
});

describe('latencyVerdict', () => {
  const n = (measuredMs: number, rooflineMs: number, dispatchMs: number) => ({ measuredMs, rooflineMs, dispatchMs });
  it('says how far the prediction is, and what explains the gap', () => {
    expect(latencyVerdict(n(1.22, 1.22, 1.28), 1.1)).toBe(
      "Measured is 1.0× the roofline's prediction and 0.95× the prediction with the dispatch cost.",
    );
    expect(latencyVerdict(n(3, 1, 2.5), 2.8)).toBe(
      "Measured is 3.0× the roofline's prediction and 1.2× the prediction with the dispatch cost. The roofline alone underestimates here: a small network's kernels wait on dispatch, not on compute or memory.",
    );
    expect(latencyVerdict(n(6.5, 0.775, 0.849), 1.28)).toBe(
      "Measured is 8.4× the roofline's prediction and 7.7× the prediction with the dispatch cost. The passes varied widely (the fastest was 1.7× the roofline's): this machine is busy, and its waits are in the median.",
    );
    expect(latencyVerdict(n(0.2, 1, 1.1), 0.19)).toBe(
      "Measured is 0.20× the roofline's prediction and 0.18× the prediction with the dispatch cost. The device ran faster than its measured peaks suggest (they are best-case rates of single ops).",
    );
    expect(formatTimes(1234.4)).toBe('1,234×');
  });
});
