// The trade-off driver's worker dying mid-wait: training resumes from the last checkpoint to
// exactly the step count, an evaluation is asked again, and a worker the page gave up on, or one
// that died while pruning, rejects the wait in plain words instead of leaving it pending.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Request, RunConfig, WorkerEvent } from '../../protocol/messages.ts';
import type { WorkerPort } from '../supervisor.ts';
import { WorkerDriver } from './driver.ts';

const spec = { name: 's', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] };
const config: RunConfig = {
  backend: 'cpu',
  net: { kind: 'spec', spec },
  dataset: 'shapes',
  settings: { target: 'flops', strength: 0, threshold: 0.01, lr: 0.05, batch: 4, seed: 1 },
};
const checkpoint = { step: 2, settings: config.settings, variables: {}, slots: {} };
const cycle = { spec, cycle: 0, history: [] };

function setup() {
  const workers: { sent: Request[]; port: WorkerPort }[] = [];
  const driver = new WorkerDriver(() => {
    const w = { sent: [] as Request[], port: null as unknown as WorkerPort };
    w.port = { postMessage: (m) => w.sent.push(m), onmessage: null, onerror: null, terminate: () => {} };
    workers.push(w);
    return w.port;
  });
  const emit = (e: WorkerEvent) => workers.at(-1)!.port.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
  const crash = () => workers.at(-1)!.port.onerror?.(new Event('error') as ErrorEvent);
  const ready = (step?: number) =>
    emit({
      type: 'ready',
      spec,
      seedSpec: spec,
      seedCost: { flops: 1, params: 1 },
      cycle: 0,
      history: [],
      datasetName: 'shapes',
      classNames: [],
      ...(step === undefined ? {} : { step }),
    });
  const metrics = (step: number) =>
    emit({
      type: 'metrics',
      step,
      taskLoss: 1,
      regLoss: 0,
      regValue: 0,
      trainAccuracy: 0.5,
      gammaLayers: [],
      gammaSizes: [],
      gammas: new Float32Array(0),
      alive: {},
      cost: { flops: 1, params: 1 },
      stepMs: 1,
    });
  const steps = () => workers.at(-1)!.sent.filter((r) => r.type === 'step').length;
  return { driver, workers, emit, crash, ready, metrics, steps };
}

beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

describe('WorkerDriver when its worker dies', () => {
  it('resumes training from the last checkpoint and stops at exactly the step count', async () => {
    const t = setup();
    const built = t.driver.init(config, '/data/');
    t.ready();
    await built;
    const trained = t.driver.train(4);
    await Promise.resolve();
    t.metrics(1);
    t.metrics(2);
    t.emit({ type: 'checkpoint', checkpoint, cycle });
    t.metrics(3);
    t.crash();
    expect(t.workers).toHaveLength(2);
    expect(t.workers[1]!.sent).toEqual([{ type: 'init', config, dataBase: '/data/', resume: checkpoint, resumeCycle: cycle }]);
    t.ready(2);
    t.metrics(2);
    await new Promise((r) => setTimeout(r, 0));
    t.metrics(3);
    await new Promise((r) => setTimeout(r, 0));
    t.metrics(4);
    await expect(trained).resolves.toMatchObject({ step: 4 });
    expect(t.steps()).toBe(2);
    t.driver.terminate();
  });

  it('asks a new worker for the evaluation again; the fence is the one after its ready readback', async () => {
    const t = setup();
    const built = t.driver.init(config, '/data/');
    t.ready();
    await built;
    const accuracy = t.driver.evaluate(0.02);
    t.crash();
    t.ready(0);
    t.metrics(0);
    expect(t.workers[1]!.sent.slice(1)).toEqual([{ type: 'evaluate' }, { type: 'settings', patch: { threshold: 0.02 } }]);
    t.emit({ type: 'evaluation', step: 0, testAccuracy: 0.6 });
    t.metrics(0);
    await expect(accuracy).resolves.toBe(0.6);
    t.driver.terminate();
  });

  it('a worker that dies while pruning, or one given up on, rejects the wait in plain words', async () => {
    const t = setup();
    const built = t.driver.init(config, '/data/');
    t.ready();
    await built;
    const pruned = t.driver.prune(0.5);
    t.crash();
    await expect(pruned).rejects.toThrow('The training worker stopped while pruning.');
    const again = t.driver.init(config, '/data/');
    t.crash();
    t.crash();
    await expect(again).rejects.toThrow(/failed 3 times in a row, so the page stopped trying/);
  });
});
