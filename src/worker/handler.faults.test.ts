// The handler's fault handling against the fake engine: checkpoints, divergence, a lost device,
// malformed requests, pings, resuming, and the debug hooks' gate.
import { describe, expect, it, vi } from 'vitest';
import { CHECKPOINT_EVERY } from '../protocol/messages.ts';
import { config, of, setup, spec } from './fake-engine.test-util.ts';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
};

describe('StudioHandler faults', () => {
  it('takes a checkpoint after the build and every CHECKPOINT_EVERY steps, with its network', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    expect(of(events, 'checkpoint').map((c) => c.checkpoint.step)).toEqual([0]);
    for (let i = 0; i < CHECKPOINT_EVERY + 1; i++) await handler.handle({ type: 'step' });
    const cps = of(events, 'checkpoint');
    expect(cps.map((c) => c.checkpoint.step)).toEqual([0, CHECKPOINT_EVERY]);
    expect(cps[1]!.cycle).toMatchObject({ cycle: 0, history: [] });
    expect(cps[1]!.cycle.spec.layers.map((l) => l.name)).toEqual(['c1', 'pool', 'logits']);
  });

  it('a NaN loss pauses, goes back to the last good checkpoint, and says what to try', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    for (let i = 0; i < 3; i++) await handler.handle({ type: 'step' });
    await handler.handle({ type: 'pause' });
    expect(of(events, 'checkpoint').at(-1)!.checkpoint.step).toBe(3);
    await handler.handle({ type: 'settings', patch: { lr: 1e9 } });
    await handler.handle({ type: 'train' });
    await until(() => of(events, 'fault').length > 0);
    await handler.idle();
    const [fault] = of(events, 'fault');
    expect(fault).toEqual({
      type: 'fault',
      kind: 'diverged',
      step: 4,
      restored: 3,
      message:
        'Training diverged at step 4 (the task loss became NaN). Went back to step 3 and paused. ' +
        'Try a lower learning rate or strength, then press Train.',
    });
    // No NaN readback reaches the page; the run is paused at the restored step.
    expect(of(events, 'metrics').every((m) => Number.isFinite(m.taskLoss) || m.step === 0 || m.step === 3)).toBe(true);
    expect(of(events, 'running').at(-1)!.running).toBe(false);
    expect(of(events, 'ready').at(-1)!.step).toBe(3);
  });

  it('a checkpoint taken while training is good only once the next readback is finite too', async () => {
    const { handler, events } = setup();
    await handler.handle({ type: 'init', config, dataBase: '' });
    for (let i = 0; i < CHECKPOINT_EVERY - 1; i++) await handler.handle({ type: 'step' });
    await handler.handle({ type: 'settings', patch: { lr: 1e13 } });
    // Step 50 reads back finite (a checkpoint is taken), step 51 is NaN: back to step 0, not 50.
    await handler.handle({ type: 'step' });
    await handler.handle({ type: 'step' });
    expect(of(events, 'fault').map((f) => [f.step, f.restored])).toEqual([[CHECKPOINT_EVERY + 1, 0]]);
    expect(of(events, 'checkpoint').map((c) => c.checkpoint.step)).toEqual([0, 0]);
  });

  it('a lost GPU device is a fault the page restarts from, not an error banner', async () => {
    let lose: (why: string) => void = () => {};
    const lost = new Promise<string>((r) => (lose = r));
    const { handler, events } = setup({}, { selectBackend: async () => ({ backend: 'webgpu', adapter: null, note: null, lost }) });
    await handler.handle({ type: 'init', config, dataBase: '' });
    await handler.handle({ type: 'step' });
    lose('The GPU device was lost (destroyed).');
    await until(() => of(events, 'fault').length > 0);
    expect(of(events, 'fault')).toEqual([
      { type: 'fault', kind: 'device-lost', step: 1, restored: null, message: 'The GPU device was lost (destroyed).' },
    ]);
    expect(of(events, 'error')).toEqual([]);
  });

  it('resumes from a checkpoint at its step, in the cycle it belongs to', async () => {
    const a = setup();
    await a.handler.handle({ type: 'init', config, dataBase: '' });
    for (let i = 0; i < 5; i++) await a.handler.handle({ type: 'step' });
    await a.handler.handle({ type: 'pause' });
    const cp = of(a.events, 'checkpoint').at(-1)!;
    const b = setup();
    await b.handler.handle({ type: 'init', config, dataBase: '', resume: cp.checkpoint, resumeCycle: { ...cp.cycle, cycle: 2 } });
    expect(of(b.events, 'ready')[0]).toMatchObject({ step: 5, cycle: 2 });
    expect(of(b.events, 'metrics')[0]!.step).toBe(5);
    await b.handler.handle({ type: 'step' });
    expect(of(b.events, 'metrics').at(-1)!.step).toBe(6);
  });

  it('answers a ping at once and names a malformed request in plain words', async () => {
    const { handler, events } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await handler.receive({ type: 'ping', id: 7 });
    await handler.receive({ type: 'nonsense', x: 1 });
    await handler.receive({ type: 'settings', patch: { lr: 'fast' } });
    await handler.receive(null);
    expect(events).toEqual([
      { type: 'pong', id: 7 },
      ...Array(3).fill({
        type: 'error',
        kind: 'request',
        message: 'The page sent the training worker a message it could not read; it was ignored.',
      }),
    ]);
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });

  it('refuses debug faults unless started under test', async () => {
    const { handler, events } = setup();
    await handler.receive({ type: 'debug', action: 'lose-device' });
    expect(events).toEqual([{ type: 'error', kind: 'request', message: 'Fault injection is only available under test.' }]);
    let lost = 0;
    const t = setup({}, { debug: { enabled: true, loseDevice: () => (lost++, true) } });
    await t.handler.receive({ type: 'debug', action: 'lose-device' });
    expect(lost).toBe(1);
    expect(t.events).toEqual([]);
  });

  it('an internal error reaches the page in plain words, its detail in the console only', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { handler, events } = setup({}, {
      createSession: async () => {
        throw new TypeError("Cannot read properties of null (reading 'backend')");
      },
    });
    await handler.handle({ type: 'init', config, dataBase: '' });
    expect(of(events, 'error')).toEqual([
      {
        type: 'error',
        kind: 'fatal',
        message: 'The training worker hit an internal error and stopped what it was doing (the browser console has the details).',
      },
    ]);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('an imported spec that passes the checks but cannot be built is rejected as a spec too', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { handler, events } = setup({}, {
      createSession: async () => {
        throw new RangeError('Invalid typed array length: 4000000000');
      },
    });
    await handler.handle({ type: 'init', config: { ...config, net: { kind: 'spec', spec: { ...spec, name: '__proto__' } } }, dataBase: '' });
    expect(of(events, 'error')).toEqual([
      {
        type: 'error',
        kind: 'spec',
        message: 'This network could not be used: the studio could not build it (the browser console has the details).',
      },
    ]);
    error.mockRestore();
  });

  it('an imported spec that breaks the checks is rejected as a spec, in plain words', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { handler, events } = setup({}, {
      fitSpec: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'filters')");
      },
    });
    const spec = { name: 'x', input: { height: 4, width: 4, channels: 1 }, classes: 2, layers: [] };
    await handler.handle({ type: 'init', config: { ...config, net: { kind: 'spec', spec } }, dataBase: '' });
    expect(of(events, 'error')).toEqual([
      {
        type: 'error',
        kind: 'spec',
        message: 'This network could not be used: the studio could not build it (the browser console has the details).',
      },
    ]);
    error.mockRestore();
  });
});
