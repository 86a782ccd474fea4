// The `time-network` request: a handed-in network, validated, timed at every channel on this
// device, answered as an `inference-time` event; malformed requests and bad networks refused in
// one line of kind `request`.
import { describe, expect, it } from 'vitest';
import { seedSpec } from '../morphnet/seeds.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { WorkerEvent } from '../protocol/messages.ts';
import { NO_DEVICE_DEPS, TIMING_LABEL, type DeviceDeps } from './device.ts';
import { requestProblem } from './requests.ts';
import { timeNetworkRequest } from './time-network.ts';

const plain = seedSpec('plain-cnn');

function deps() {
  const calls: string[] = [];
  const d: DeviceDeps = {
    measure: () => Promise.reject(new Error('not here')),
    timeInference: async (s, alive, batch) => {
      calls.push(`time ${s.name} ${JSON.stringify(alive)} ${batch}`);
      return { medianMs: 2.25, runs: 9 };
    },
  };
  return { d, calls };
}

describe('time-network', () => {
  it('times the network handed in at every channel and says what it timed', async () => {
    const { d, calls } = deps();
    const events: WorkerEvent[] = [];
    await timeNetworkRequest(d, plain, 4, (e) => events.push(e));
    expect(calls).toEqual(['time plain-cnn undefined 4']);
    expect(events).toEqual([
      { type: 'progress', task: 'measure', label: TIMING_LABEL, fraction: null, done: false },
      { type: 'inference-time', step: 0, spec: plain, alive: {}, batch: 4, medianMs: 2.25, runs: 9 },
      { type: 'progress', task: 'measure', label: '', fraction: 1, done: true },
    ]);
  });

  it('refuses a broken network in one line, and a worker that cannot time', async () => {
    const { d, calls } = deps();
    const events: WorkerEvent[] = [];
    const broken = { ...plain, layers: [{ ...plain.layers[0]!, filters: 0 }] } as NetworkSpec;
    await timeNetworkRequest(d, broken, 1, (e) => events.push(e));
    expect(calls).toEqual([]);
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ kind: 'request' });
    expect((error as { message: string }).message).toMatch(
      /^The network could not be timed: the network to time: /,
    );
    const none: WorkerEvent[] = [];
    await timeNetworkRequest(undefined, plain, 1, (e) => none.push(e));
    expect(none).toEqual([{ type: 'error', kind: 'request', message: NO_DEVICE_DEPS }]);
  });

  it('is checked as a request: a network and a batch from 1 to 512', () => {
    expect(requestProblem({ type: 'time-network', spec: plain, batch: 1 })).toBeNull();
    expect(requestProblem({ type: 'time-network', batch: 1 })).toBe('time-network without a network');
    expect(requestProblem({ type: 'time-network', spec: plain, batch: 0 })).toBe(
      'time-network without a batch from 1 to 512',
    );
    expect(requestProblem({ type: 'time-network', spec: plain, batch: 1.5 })).toBe(
      'time-network without a batch from 1 to 512',
    );
  });
});
