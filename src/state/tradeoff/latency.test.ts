// The measured-latency axis against a fake worker: every network of a sweep timed once, the seed
// first, at the page's latency batch, kept by network, batch and backend so a second ask times
// nothing; a failure is one line and the worker is let go.
import { beforeEach, describe, expect, it } from 'vitest';
import { seedSpec } from '../../morphnet/seeds.ts';
import type { SweepFile } from '../../morphnet/sweep.ts';
import type { Request, WorkerEvent } from '../../protocol/messages.ts';
import type { WorkerPort } from '../supervisor.ts';
import { initialLatency } from '../latency.ts';
import { useStudio } from '../store.ts';
import {
  configureTradeoffLatency,
  latencyKey,
  measuredLatency,
  sweepNetworks,
  timeSweep,
  useTradeoffLatency,
} from './latency.ts';

const seed = seedSpec('plain-cnn');
const half = { ...seed, name: 'half' };
const point = (spec: typeof seed, label: string) =>
  ({ family: 'uniform', label, spec }) as unknown as SweepFile['points'][number];
const sweep = {
  seed: { spec: seed, flops: 1, params: 1 },
  points: [point(seed, '×1'), point(half, '×0.5')],
} as unknown as SweepFile;

interface Fake {
  sent: Request[];
  port: WorkerPort;
  terminated: boolean;
}

function setup(reply: (w: Fake, r: Request) => void) {
  const workers: Fake[] = [];
  configureTradeoffLatency({
    ports: {
      dataBase: '/data/',
      makeWorker: () => {
        const w: Fake = { sent: [], terminated: false, port: null as unknown as WorkerPort };
        w.port = {
          postMessage: (m: Request) => {
            w.sent.push(m);
            // Answered after the post returns, as a worker does.
            queueMicrotask(() => reply(w, m));
          },
          onmessage: null,
          onerror: null,
          terminate: () => (w.terminated = true),
        };
        workers.push(w);
        return w.port;
      },
    },
  });
  return workers;
}

const emit = (w: Fake, e: WorkerEvent) => w.port.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);

/** A worker on wasm that times a network in as many ms as it has layers, at batch 1, more at 4. */
function answer(w: Fake, r: Request) {
  if (r.type === 'init') {
    emit(w, { type: 'backend', backend: 'wasm', adapter: null, note: null });
    emit(w, {
      type: 'ready',
      spec: seed,
      seedSpec: seed,
      seedCost: { flops: 1, params: 1 },
      cycle: 0,
      history: [],
      datasetName: 'shapes',
      classNames: [],
    });
  } else if (r.type === 'time-network') {
    const ms = (r.spec.name === 'half' ? 2 : 5) * r.batch;
    emit(w, {
      type: 'inference-time',
      step: 0,
      spec: r.spec,
      alive: {},
      batch: r.batch,
      medianMs: ms,
      runs: 7,
    });
  }
}

describe('measured latency of a sweep', () => {
  beforeEach(() => {
    useTradeoffLatency.setState({ times: {}, backend: null, timing: null, error: null });
    useStudio.setState({ ...initialLatency, backend: 'wasm' });
  });

  it('times each network once, the seed first, and keeps it by network, batch and backend', async () => {
    const workers = setup(answer);
    expect(sweepNetworks(sweep).map((s) => s.name)).toEqual(['plain-cnn', 'half']);
    await timeSweep(sweep);
    expect(workers).toHaveLength(1);
    expect(
      workers[0]!.sent.map((r) => (r.type === 'time-network' ? `${r.spec.name}@${r.batch}` : r.type)),
    ).toEqual(['init', 'plain-cnn@1', 'half@1']);
    expect(workers[0]!.terminated).toBe(true);
    expect(useTradeoffLatency.getState()).toMatchObject({ backend: 'wasm', timing: null, error: null });
    expect(measuredLatency(seed, 1)).toEqual({ medianMs: 5, runs: 7 });
    expect(measuredLatency(half, 1)).toEqual({ medianMs: 2, runs: 7 });
    expect(Object.keys(useTradeoffLatency.getState().times)).toEqual([
      latencyKey(seed, 1, 'wasm'),
      latencyKey(half, 1, 'wasm'),
    ]);
    // Asked again: nothing to time, no worker.
    await timeSweep(sweep);
    expect(workers).toHaveLength(1);
    // Another latency batch is another measurement.
    useStudio.setState({ latency: { ...initialLatency.latency, batch: 4 } });
    await timeSweep(sweep);
    expect(workers).toHaveLength(2);
    expect(measuredLatency(half, 4)).toEqual({ medianMs: 8, runs: 7 });
    expect(measuredLatency(half, 1)).toEqual({ medianMs: 2, runs: 7 });
  });

  it('a second ask while timing does nothing: no second worker', async () => {
    const workers = setup(answer);
    const first = timeSweep(sweep);
    await timeSweep(sweep);
    await first;
    expect(workers).toHaveLength(1);
    expect(measuredLatency(half, 1)).toEqual({ medianMs: 2, runs: 7 });
  });

  it('says in one line why a timing failed, keeps what was timed and lets the worker go', async () => {
    const workers = setup((w, r) => {
      if (r.type === 'time-network' && r.spec.name === 'half')
        emit(w, { type: 'error', kind: 'request', message: 'The network could not be timed: out of memory' });
      else answer(w, r);
    });
    await timeSweep(sweep);
    expect(useTradeoffLatency.getState().error).toBe(
      'Measured latency: The network could not be timed: out of memory',
    );
    expect(measuredLatency(seed, 1)).toEqual({ medianMs: 5, runs: 7 });
    expect(measuredLatency(half, 1)).toBeUndefined();
    expect(workers[0]!.terminated).toBe(true);
    expect(useTradeoffLatency.getState().timing).toBeNull();
  });
});
