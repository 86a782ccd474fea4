// Expansion under the latency target: the worker hands the run's latency device to the method,
// and the preview's cost carries the predicted latency the dialog compares with the budget.
import { describe, expect, it } from 'vitest';
import { networkLatency } from '../morphnet/latency.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import type { LatencySettings } from '../morphnet/types.ts';
import { methodDeps } from './deps.ts';
import { config, of, setup } from './fake-engine.test-util.ts';

const t4: LatencySettings = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 1 };

describe('latency expansion', () => {
  it('expands to a latency budget in ns on the given device', () => {
    const seed = seedSpec('plain-cnn');
    const full = networkLatency(seed, undefined, t4).latencyNs;
    const alive = { conv1: 8, conv2: 8, conv3: 16, conv4: 16, conv5: 32, conv6: 32 };
    const e = methodDeps.expand(seed, alive, 'latency', full, t4);
    expect(e.cost.latencyNs).toBeCloseTo(networkLatency(e.spec, undefined, t4).latencyNs, 6);
    expect(e.cost.latencyNs!).toBeLessThanOrEqual(full);
    expect(e.omega).toBeGreaterThan(1);
    expect(() => methodDeps.expand(seed, alive, 'latency', full)).toThrow('the latency target needs the device');
    expect(methodDeps.expand(seed, alive, 'flops', 1e7).cost.latencyNs).toBeUndefined();
  });

  it('passes the run’s latency settings to the expansion', async () => {
    const seen: unknown[] = [];
    const { handler, events } = setup(
      {},
      {
        expand: (s, _a, target, budget, latency) => {
          seen.push([target, latency]);
          return { spec: s, omega: 1, cost: { flops: 1, params: 1, latencyNs: budget / 2 }, widths: {} };
        },
      },
    );
    const settings = { ...config.settings, target: 'latency' as const, latency: t4 };
    void handler.receive({ type: 'init', config: { ...config, settings }, dataBase: '/data/' });
    void handler.receive({ type: 'expand-preview', budget: 5000 });
    await handler.idle();
    expect(seen).toEqual([['latency', t4]]);
    expect(of(events, 'expansion')[0]!.cost).toEqual({ flops: 1, params: 1, latencyNs: 2500 });
  });
});
