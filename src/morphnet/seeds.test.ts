import { describe, expect, it } from 'vitest';
import { networkCost } from './cost.ts';
import { buildPlan } from './plan.ts';
import { seedNames, seedSpec, withInput } from './seeds.ts';
import { inferShapes } from './shape.ts';

describe('seed networks', () => {
  it('are valid specs for 28×28×1 and 10 classes', () => {
    expect(seedNames).toEqual(['resnet-mini', 'plain-cnn', 'inception-mini']);
    for (const name of seedNames) {
      const spec = seedSpec(name);
      expect(spec.name).toBe(name);
      expect(spec.input).toEqual({ height: 28, width: 28, channels: 1 });
      expect(spec.layers[spec.layers.length - 1]).toMatchObject({ type: 'dense', units: 10, relu: false });
    }
  });

  it('resnet-mini: three stages 16/32/64 at 28, 14, 7, each stage one group', () => {
    const spec = seedSpec('resnet-mini');
    const shapes = inferShapes(spec);
    expect(shapes['s1b2/add']).toEqual({ kind: 'map', height: 28, width: 28, channels: 16 });
    expect(shapes['s2b2/add']).toEqual({ kind: 'map', height: 14, width: 14, channels: 32 });
    expect(shapes['s3b2/add']).toEqual({ kind: 'map', height: 7, width: 7, channels: 64 });
    const trunks = buildPlan(spec)
      .groups.filter((g) => g.members.length > 1)
      .map((g) => g.members);
    expect(trunks).toEqual([
      ['stem', 's1b1/conv2', 's1b2/conv2'],
      ['s2b1/conv2', 's2b1/proj', 's2b2/conv2'],
      ['s3b1/conv2', 's3b1/proj', 's3b2/conv2'],
    ]);
    // stem: 2·28·28·9·1·16 = 225,792 FLOPs
    expect(networkCost(spec).layers[0]).toEqual({ name: 'stem', flops: 225_792, params: 144 });
  });

  it('inception-mini: towers are separate groups joined by concat', () => {
    const plan = buildPlan(seedSpec('inception-mini'));
    expect(plan.groups.every((g) => g.members.length === 1 && !g.pinned)).toBe(true);
    expect(plan.terms.find((t) => t.layer === 'inc2/1x1')?.input.map((s) => s.size)).toEqual([16, 24, 8]);
  });

  it('withInput retargets the input shape and the logits', () => {
    const spec = withInput(seedSpec('resnet-mini'), { height: 32, width: 32, channels: 3 }, 4);
    expect(spec.classes).toBe(4);
    expect(spec.layers[spec.layers.length - 1]).toMatchObject({ name: 'logits', units: 4 });
    expect(networkCost(spec).layers[0]?.flops).toBe(2 * 32 * 32 * 9 * 3 * 16);
  });
});
