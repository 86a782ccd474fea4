// The latency controls against a fake worker: the target waits for this device's measurement,
// and every change of device or batch goes to the worker as one live settings patch.
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceMeasurement } from '../engine/device-probe.ts';
import type { Request, WorkerEvent } from '../protocol/messages.ts';
import { flushEvents, runConfig, setSetting, startStudio, type WorkerPort } from './actions.ts';
import type { Scheduler } from './events.ts';
import { initialLatency } from './latency.ts';
import { setCustomHardware, setLatencyBatch, setPriceFor, timeInferenceNow } from './latency-actions.ts';
import { useStudio } from './store.ts';

const spec = { name: 's', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] };
const manual: Scheduler = { now: () => 0, later: () => {} };
const device: DeviceMeasurement = { backend: 'wasm', peakGflops: 31.5, bandwidthGbs: 18, opOverheadNs: 12_000, measuredAt: 5 };
const thisDevice = { name: 'this device', peakGflops: 31.5, bandwidthGbs: 18, opOverheadNs: 12_000 };

function setup(search = '') {
  const sent: Request[] = [];
  const ports: WorkerPort[] = [];
  const url = { search, read: () => url.search, write: (s: string) => (url.search = s) };
  startStudio(
    () => {
      const port: WorkerPort = { postMessage: (m) => sent.push(m), onmessage: null, terminate: () => {} };
      ports.push(port);
      return port;
    },
    url,
    '/data/',
    manual,
  );
  const emit = (e: WorkerEvent) => {
    ports.at(-1)!.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
    flushEvents();
  };
  const backend = () => emit({ type: 'backend', backend: 'wasm', adapter: null, note: null });
  const ready = () =>
    emit({ type: 'ready', spec, seedSpec: spec, seedCost: { flops: 100, params: 7 }, cycle: 0, history: [], datasetName: 'shapes', classNames: [] });
  /** What was sent since the last call, pings left out. */
  let seen = 0;
  const since = () => {
    const out = sent.slice(seen).filter((r) => r.type !== 'ping');
    seen = sent.length;
    return out;
  };
  return { emit, backend, ready, since, url };
}

describe('latency actions', () => {
  beforeEach(() => useStudio.setState({ ...initialLatency }));

  it('switches to Latency mid-run once this device is measured, then sends each change live', () => {
    const { emit, backend, ready, since, url } = setup('?dataset=shapes');
    backend();
    ready();
    since();
    setSetting('target', 'latency');
    // This device is not measured yet: the worker measures it, and the target waits.
    expect(since()).toEqual([{ type: 'measure-device' }]);
    expect(url.search).toBe('?dataset=shapes&target=latency');
    expect(useStudio.getState().measuringDevice).toBe(true);
    emit({ type: 'device', measurement: device, cached: false });
    expect(useStudio.getState()).toMatchObject({ device, measuringDevice: false, deviceCached: false });
    expect(since()).toEqual([
      { type: 'settings', patch: { target: 'latency', latency: { hardware: thisDevice, batch: 1 } } },
    ]);
    setPriceFor('T4');
    expect(since()).toEqual([
      { type: 'settings', patch: { target: 'latency', latency: { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 1 } } },
    ]);
    setLatencyBatch(0);
    setLatencyBatch(2.5);
    setCustomHardware({ peakGflops: -1, bandwidthGbs: 10 });
    expect(since()).toEqual([]);
    setLatencyBatch(4);
    setPriceFor('custom');
    setCustomHardware({ peakGflops: 50, bandwidthGbs: 10 });
    const custom = { name: 'custom', peakGflops: 50, bandwidthGbs: 10 };
    expect(since().at(-1)).toEqual({ type: 'settings', patch: { target: 'latency', latency: { hardware: custom, batch: 4 } } });
    timeInferenceNow();
    expect(since()).toEqual([{ type: 'time-inference', batch: 4 }]);
    expect(useStudio.getState().timingInference).toBe(true);
    // A new worker (a structural change, a restart) is built with the same target and device.
    expect(runConfig().settings).toMatchObject({ target: 'latency', latency: { hardware: custom, batch: 4 } });
    // Back to FLOPs: the latency stays priced, so metrics still carry it.
    setSetting('target', 'flops');
    expect(since()).toEqual([{ type: 'settings', patch: { target: 'flops', latency: { hardware: custom, batch: 4 } } }]);
  });

  it('waits for the worker to choose its backend before measuring, and trains on FLOPs until then', () => {
    const { emit, backend, since } = setup('?target=latency');
    const init = since().find((r) => r.type === 'init');
    expect(init).toMatchObject({ config: { settings: { target: 'flops' } } });
    expect(init && init.type === 'init' && 'latency' in init.config.settings).toBe(false);
    backend();
    expect(since()).toEqual([{ type: 'measure-device' }]);
    emit({ type: 'device', measurement: device, cached: true });
    expect(useStudio.getState().deviceCached).toBe(true);
    expect(since()).toEqual([{ type: 'settings', patch: { target: 'latency', latency: { hardware: thisDevice, batch: 1 } } }]);
  });

  it('clears the waits when the worker refuses a request', () => {
    const { emit, backend, ready } = setup('?target=latency');
    backend();
    ready();
    timeInferenceNow();
    expect(useStudio.getState()).toMatchObject({ measuringDevice: true, timingInference: true });
    emit({ type: 'error', kind: 'request', message: 'The device could not be measured: no' });
    expect(useStudio.getState()).toMatchObject({ measuringDevice: false, timingInference: false });
  });
});
