// Worked examples of the latency cost (issue 13; the reference's latency_function over
// memory_function and flop_function), every number by hand here or in testing/latency-nets.ts.
// `on()` is a device of 1 GFLOP/s and 1 GB/s: ns equal FLOPs or bytes.
import { describe, expect, it } from 'vitest';
import { networkCost, targetCost } from './cost.ts';
import { expandSpec } from './expand.ts';
import {
  DEFAULT_LATENCY_BATCH,
  REFERENCE_HARDWARE,
  latencyProblem,
  networkLatency,
  opLatency,
  planOps,
  referenceHardware,
} from './latency.ts';
import { buildPlan } from './plan.ts';
import { validateSpec } from './spec.ts';
import type { LatencySettings } from './types.ts';
import { on, oneConv } from './testing/latency-nets.ts';

describe('the reference hardware', () => {
  it('is the reference table, in its order', () => {
    expect(REFERENCE_HARDWARE.map((h) => [h.name, h.peakGflops, h.bandwidthGbs])).toEqual([
      ['K80', 8740, 480],
      ['P4', 5500, 192],
      ['T4', 8100, 300],
      ['P100', 9300, 732],
      ['V100', 125000, 900],
      ['TPUv2', 22500, 300],
    ]);
    expect(referenceHardware('V100')).toEqual({ name: 'V100', peakGflops: 125000, bandwidthGbs: 900 });
    expect(referenceHardware('v100')).toBeUndefined();
    expect(referenceHardware('FLOP_LATENCY')).toBeUndefined();
    expect(DEFAULT_LATENCY_BATCH).toBe(1);
  });

  it('names what is wrong with typed-in numbers', () => {
    expect(latencyProblem(on())).toBeNull();
    expect(latencyProblem(on({ peakGflops: 0 }))).toBe('the peak compute must be a positive number of GFLOP/s, got 0');
    expect(latencyProblem(on({ bandwidthGbs: NaN }))).toBe('the memory bandwidth must be a positive number of GB/s, got NaN');
    expect(latencyProblem(on({ opOverheadNs: -1 }))).toBe('the per-op overhead must be a number of nanoseconds ≥ 0, got -1');
    expect(latencyProblem(on({}, 1.5))).toBe('the latency batch must be a positive integer, got 1.5');
    expect(latencyProblem({ batch: 1 } as unknown as LatencySettings)).toBe('the device to price for is missing');
  });
});

describe('conv, batch norm, ReLU and dense', () => {
  it('lists the ops the reference prices, each in its spec layer; gap is not priced', () => {
    const ops = planOps(buildPlan(oneConv));
    expect(ops.map((o) => [o.layer, o.kind, o.weightPayload, o.flopCoef])).toEqual([
      ['c1', 'conv', 36, 288],
      ['c1', 'bn', 0, 0],
      ['c1', 'relu', 0, 0],
      ['logits', 'dense', 4, 2],
    ]);
    expect(ops[0]?.inputs).toEqual([{ payload: 64, segments: [{ kind: 'static', size: 2 }] }]);
    expect(ops[3]?.inputs).toEqual([{ payload: 4, segments: [{ kind: 'group', group: 0, size: 3 }] }]);
  });

  it('prices a compute-bound conv by its FLOPs and the rest by their bytes', () => {
    const ops = planOps(buildPlan(oneConv));
    const all = [3];
    expect(opLatency(ops[0]!, all, on())).toEqual({ flops: 1728, bytes: 536, computeNs: 1728, memoryNs: 536, latencyNs: 1728 });
    expect(opLatency(ops[1]!, all, on())).toEqual({ flops: 0, bytes: 384, computeNs: 0, memoryNs: 384, latencyNs: 384 });
    expect(opLatency(ops[2]!, all, on()).latencyNs).toBe(384);
    expect(opLatency(ops[3]!, all, on())).toEqual({ flops: 12, bytes: 44, computeNs: 12, memoryNs: 44, latencyNs: 44 });
    // Per spec layer: c1 = 1,728 + 384 + 384 = 2,496; logits 44; total 2,540.
    const l = networkLatency(oneConv, undefined, on());
    expect(l.layers.map((x) => [x.name, x.latencyNs, x.computeNs, x.memoryNs, x.flops, x.bytes])).toEqual([
      ['c1', 2496, 1728, 1304, 1728, 1304],
      ['logits', 44, 12, 44, 12, 44],
    ]);
    expect(l.latencyNs).toBe(2540);
  });

  it('prices a memory-bound conv by its bytes (10 GFLOP/s: 172.8 ns of compute < 536 ns of memory)', () => {
    const c = opLatency(planOps(buildPlan(oneConv))[0]!, [3], on({ peakGflops: 10 }));
    expect(c.computeNs).toBeCloseTo(172.8, 12);
    expect(c.latencyNs).toBe(536);
    // c1 = 536 + 384 + 384; logits max(1.2, 44) = 44.
    expect(networkLatency(oneConv, undefined, on({ peakGflops: 10 })).latencyNs).toBe(1348);
  });

  it('counts alive channels: c1 at 2 of 3', () => {
    // conv: FLOPs 288·2·2 = 1,152; bytes 128 + 128 + 36·4 = 400. bn, relu: 64·2·2 = 256.
    // dense: FLOPs 8; bytes 8 + 8 + 16 = 32. Total 1,152 + 256 + 256 + 32 = 1,696.
    expect(networkLatency(oneConv, { c1: 2 }, on()).latencyNs).toBe(1696);
  });

  it('scales activations and FLOPs with the batch, not the weights', () => {
    // Batch 2: conv FLOPs 3,456, bytes 2·128 + 2·192 + 216 = 856; bn, relu 768 each;
    // dense FLOPs 24, bytes 2·12 + 2·8 + 24 = 64. Total 3,456 + 768 + 768 + 64 = 5,056.
    expect(networkLatency(oneConv, undefined, on({}, 2)).latencyNs).toBe(5056);
  });

  it('adds a per-op overhead to each of the four priced ops', () => {
    expect(networkLatency(oneConv, undefined, on({ opOverheadNs: 10 })).latencyNs).toBe(2580);
  });

  it('is what networkCost carries and targetCost reads', () => {
    const c = networkCost(oneConv, { c1: 2 }, on());
    expect(c.latencyNs).toBe(1696);
    expect(targetCost(c, 'latency')).toBe(1696);
    expect(networkCost(oneConv).latencyNs).toBeUndefined();
    expect(() => targetCost(networkCost(oneConv), 'latency')).toThrow(
      'targetCost: latency asked of a cost computed without LatencySettings',
    );
  });

  it('prices a hidden dense layer with its ReLU, and a bn:false conv without batch norm', () => {
    const spec = validateSpec(
      {
        name: 'hidden',
        input: { height: 4, width: 4, channels: 2 },
        classes: 2,
        layers: [
          { name: 'c', type: 'conv', from: 'input', filters: 3, kernel: 1, bn: false },
          { name: 'pool', type: 'gap', from: 'c' },
          { name: 'h', type: 'dense', from: 'pool', units: 5 },
          { name: 'logits', type: 'dense', from: 'h', units: 2 },
        ],
      },
      'hidden',
    );
    expect(planOps(buildPlan(spec)).map((o) => `${o.layer}:${o.kind}`)).toEqual([
      'c:conv',
      'c:relu',
      'h:dense',
      'h:relu',
      'logits:dense',
    ]);
    // h: FLOPs 2·3·5 = 30; bytes 4·3 + 4·5 + 4·15 = 92; its ReLU 4·5 + 4·5 = 40.
    const h = networkLatency(spec, undefined, on()).layers.find((x) => x.name === 'h');
    expect([h?.latencyNs, h?.flops, h?.bytes]).toEqual([132, 30, 132]);
  });
});

describe('a plan without ops', () => {
  it('cannot be priced', () => {
    const { ops: _ops, ...bare } = buildPlan(oneConv);
    expect(() => networkLatency(bare, undefined, on())).toThrow('latency: the plan has no ops (build it with buildPlan)');
  });
});

describe('expansion under the latency target', () => {
  // oneConv at width w (compute-bound conv for every w ≥ 1): 576w + 128w + 128w + max(4w, 12w + 8)
  // = 844w + 8 ns. The seed (w = 3) costs 2,540, so ω grows while round(2ω) ≤ 3.
  it('grows ω to the seed’s latency, or to a budget in ns', () => {
    const r = expandSpec(oneConv, { c1: 2 }, { target: 'latency', latency: on() });
    expect([r.widths['c1'], r.cost.latencyNs]).toEqual([3, 2540]);
    expect(r.omega).toBeGreaterThanOrEqual(1.5);
    expect(r.omega).toBeLessThan(1.75);
    // 1,700 ns: 844w + 8 ≤ 1,700 gives w = 2, 1,696 ns.
    const b = expandSpec(oneConv, { c1: 2 }, { target: 'latency', latency: on(), budget: 1700 });
    expect([b.widths['c1'], b.cost.latencyNs]).toEqual([2, 1696]);
    expect(expandSpec(oneConv, { c1: 2 }, { target: 'flops' }).cost.latencyNs).toBeUndefined();
  });

  it('needs the device', () => {
    expect(() => expandSpec(oneConv, { c1: 2 }, { target: 'latency' })).toThrow(
      'the latency target needs the device to price for (peak GFLOP/s and bandwidth GB/s)',
    );
  });
});
