import { describe, expect, it } from 'vitest';
import type { DeviceMeasurement } from '../engine/device-probe.ts';
import type { Metrics, Session } from '../engine/types.ts';
import type { WorkerEvent } from '../protocol/messages.ts';
import { config, setup, spec } from './fake-engine.test-util.ts';
import {
  MEASURING_LABEL,
  NO_DEVICE_DEPS,
  NO_NETWORK_TO_TIME,
  TIMING_LABEL,
  measureDeviceRequest,
  timeInferenceRequest,
  usableMeasurement,
  type DeviceDeps,
} from './device.ts';
import { requestProblem } from './requests.ts';

const measured: DeviceMeasurement = { backend: 'wasm', peakGflops: 31.5, bandwidthGbs: 18, opOverheadNs: 12000, measuredAt: 1000 };

function deps(over: Partial<DeviceDeps> = {}, kept = new Map<string, unknown>()) {
  const calls: string[] = [];
  const d: DeviceDeps = {
    measure: async (onProgress) => {
      calls.push('measure');
      onProgress(0.5);
      onProgress(1);
      return measured;
    },
    timeInference: async (s, alive, batch) => {
      calls.push(`time ${s.name} ${JSON.stringify(alive)} ${batch}`);
      return { medianMs: 4.5, fastestMs: 4.1, runs: 10 };
    },
    cache: {
      key: () => 'wasm|2 cores',
      cached: async (k) => (kept.get(k) as DeviceMeasurement | undefined) ?? null,
      keep: async (k, m) => void kept.set(k, m),
    },
    ...over,
  };
  return { d, calls, kept };
}

describe('measureDeviceRequest', () => {
  it('measures with progress, keeps the result for this adapter and backend, and reuses it next time', async () => {
    const { d, calls, kept } = deps();
    const events: WorkerEvent[] = [];
    await measureDeviceRequest(d, false, (e) => events.push(e));
    expect(events).toEqual([
      { type: 'progress', task: 'measure', label: MEASURING_LABEL, fraction: 0, done: false },
      { type: 'progress', task: 'measure', label: MEASURING_LABEL, fraction: 0.5, done: false },
      { type: 'progress', task: 'measure', label: MEASURING_LABEL, fraction: 1, done: false },
      { type: 'device', measurement: measured, cached: false },
      { type: 'progress', task: 'measure', label: '', fraction: 1, done: true },
    ]);
    expect(kept.get('wasm|2 cores')).toEqual(measured);
    const again: WorkerEvent[] = [];
    await measureDeviceRequest(d, false, (e) => again.push(e));
    expect(again).toEqual([{ type: 'device', measurement: measured, cached: true }]);
    expect(calls).toEqual(['measure']);
    // `fresh` measures again even with one kept.
    await measureDeviceRequest(d, true, () => undefined);
    expect(calls).toEqual(['measure', 'measure']);
  });

  it('measures again when what was kept is broken', async () => {
    const kept = new Map<string, unknown>([['wasm|2 cores', { ...measured, peakGflops: -1 }]]);
    const { d, calls } = deps({}, kept);
    const events: WorkerEvent[] = [];
    await measureDeviceRequest(d, false, (e) => events.push(e));
    expect(calls).toEqual(['measure']);
    expect(events.filter((e) => e.type === 'device')).toEqual([{ type: 'device', measurement: measured, cached: false }]);
  });

  it('says in one line when measuring fails, and ends its progress', async () => {
    const { d } = deps({
      measure: async () => {
        throw new Error('Failed to compile the matmul shader\n at line 3');
      },
    });
    const events: WorkerEvent[] = [];
    await measureDeviceRequest(d, false, (e) => events.push(e));
    expect(events.slice(1)).toEqual([
      { type: 'error', kind: 'request', message: 'The device could not be measured: Failed to compile the matmul shader' },
      { type: 'progress', task: 'measure', label: '', fraction: 1, done: true },
    ]);
  });

  it('refuses without the device probes', async () => {
    const events: WorkerEvent[] = [];
    await measureDeviceRequest(undefined, false, (e) => events.push(e));
    expect(events).toEqual([{ type: 'error', kind: 'request', message: NO_DEVICE_DEPS }]);
  });

  it('checks a kept measurement field by field', () => {
    expect(usableMeasurement(measured)).toBe(true);
    expect(usableMeasurement({ ...measured, opOverheadNs: 0 })).toBe(true);
    expect(usableMeasurement({ ...measured, bandwidthGbs: Infinity })).toBe(false);
    expect(usableMeasurement({ ...measured, opOverheadNs: -1 })).toBe(false);
    expect(usableMeasurement({ ...measured, backend: 3 })).toBe(false);
    expect(usableMeasurement(null)).toBe(false);
  });
});

describe('timeInferenceRequest', () => {
  const session = { spec, step: 12 } as unknown as Session;
  const metrics = { alive: { c1: 2 } } as unknown as Metrics;

  it('times the network training now at the alive counts of its last readback', async () => {
    const { d, calls } = deps();
    const events: WorkerEvent[] = [];
    await timeInferenceRequest(d, session, metrics, 3, (e) => events.push(e));
    expect(calls).toEqual(['time tiny {"c1":2} 3']);
    expect(events).toEqual([
      { type: 'progress', task: 'measure', label: TIMING_LABEL, fraction: null, done: false },
      { type: 'inference-time', step: 12, spec, alive: { c1: 2 }, batch: 3, medianMs: 4.5, fastestMs: 4.1, runs: 10 },
      { type: 'progress', task: 'measure', label: '', fraction: 1, done: true },
    ]);
  });

  it('says so when no network is ready', async () => {
    const { d } = deps();
    const events: WorkerEvent[] = [];
    await timeInferenceRequest(d, null, null, 1, (e) => events.push(e));
    expect(events).toEqual([{ type: 'error', kind: 'request', message: NO_NETWORK_TO_TIME }]);
  });
});

describe('the latency requests are checked before the handler sees them', () => {
  const hw = { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 };
  it('takes the two requests and a live latency patch', () => {
    expect(requestProblem({ type: 'measure-device' })).toBeNull();
    expect(requestProblem({ type: 'measure-device', fresh: true })).toBeNull();
    expect(requestProblem({ type: 'time-inference', batch: 1 })).toBeNull();
    expect(requestProblem({ type: 'settings', patch: { target: 'latency', latency: { hardware: hw, batch: 1 } } })).toBeNull();
    expect(requestProblem({ type: 'settings', patch: { latency: { hardware: { ...hw, opOverheadNs: 0 }, batch: 8 } } })).toBeNull();
  });

  it('names what is wrong with a malformed one', () => {
    expect(requestProblem({ type: 'measure-device', fresh: 'yes' })).toBe('measure-device with a non-boolean fresh');
    expect(requestProblem({ type: 'time-inference', batch: 0 })).toBe('time-inference without a batch from 1 to 512');
    expect(requestProblem({ type: 'time-inference', batch: 513 })).toBe('time-inference without a batch from 1 to 512');
    expect(requestProblem({ type: 'settings', patch: { target: 'energy' } })).toBe('settings with a bad target');
    expect(requestProblem({ type: 'settings', patch: { latency: { batch: 1 } } })).toBe('settings with a latency without its hardware');
    expect(requestProblem({ type: 'settings', patch: { latency: { hardware: { ...hw, peakGflops: 0 }, batch: 1 } } })).toBe(
      'settings with a latency hardware that is not a name and two positive numbers',
    );
    expect(requestProblem({ type: 'settings', patch: { latency: { hardware: { ...hw, opOverheadNs: -2 }, batch: 1 } } })).toBe(
      'settings with a bad latency opOverheadNs',
    );
    expect(requestProblem({ type: 'settings', patch: { latency: { hardware: hw, batch: 1.5 } } })).toBe('settings with a bad latency batch');
  });
});

describe('the handler', () => {
  it('answers measure-device and time-inference in the request order, after the network is built', async () => {
    const { d, calls } = deps();
    const { handler, events } = setup({}, { device: d });
    void handler.receive({ type: 'init', config, dataBase: '/data/' });
    void handler.receive({ type: 'measure-device' });
    void handler.receive({ type: 'time-inference', batch: 2 });
    await handler.idle();
    expect(calls).toEqual(['measure', 'time tiny {"c1":4} 2']);
    const types = events.map((e) => e.type).filter((t) => t === 'ready' || t === 'device' || t === 'inference-time');
    expect(types).toEqual(['ready', 'device', 'inference-time']);
    expect(events.find((e) => e.type === 'inference-time')).toMatchObject({ step: 0, alive: { c1: 4 }, batch: 2, medianMs: 4.5 });
  });
});
