// The stated limits of a spec (spec-limits.ts): each violation is one line naming the layer and
// the limit, and nothing past a limit reaches training.
import { describe, expect, it } from 'vitest';
import { expandSpec } from './expand.ts';
import { inferShapes, shapeChannels } from './shape.ts';
import { parseSpec, SpecError, validateSpec } from './spec.ts';
import { networkCost } from './cost.ts';
import { checkTrainable, MAX_FLOPS, MAX_LAYERS, MAX_PARAMS, MAX_WIDTH, specLimit, trainingBytes } from './spec-limits.ts';
import { seedSpec } from './seeds.ts';
import type { AliveCounts, NetworkSpec } from './types.ts';

const spec = (layers: unknown[], input = { height: 28, width: 28, channels: 1 }, classes = 10) => ({
  name: 't',
  input,
  classes,
  layers,
});
const head = (from: string, units = 10) => [
  { name: 'pool', type: 'gap', from },
  { name: 'logits', type: 'dense', from: 'pool', units },
];
const conv = (name: string, from: string, filters: number, kernel = 3, extra: object = {}) => ({
  name,
  type: 'conv',
  from,
  filters,
  kernel,
  ...extra,
});
const message = (value: unknown): string => {
  try {
    validateSpec(value, 'spec.json');
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
};
const chain = (n: number) =>
  Array.from({ length: n }, (_, i) => conv(`c${i}`, i === 0 ? 'input' : `c${i - 1}`, 1, 1));

describe('spec limits', () => {
  it.each([
    [
      'filters: 1e9',
      spec([conv('conv3', 'input', 1e9), ...head('conv3')]),
      'spec.json: layer "conv3": field "filters": 1000000000 is over the limit of 4096 filters per layer',
    ],
    [
      'filters: 40000',
      spec([conv('conv3', 'input', 40000), ...head('conv3')]),
      'spec.json: layer "conv3": field "filters": 40000 is over the limit of 4096 filters per layer',
    ],
    [
      'units: 5000 in a hidden dense layer',
      spec([
        conv('c', 'input', 4),
        { name: 'g', type: 'gap', from: 'c' },
        { name: 'fc', type: 'dense', from: 'g', units: 5000 },
        { name: 'logits', type: 'dense', from: 'fc', units: 10 },
      ]),
      'spec.json: layer "fc": field "units": 5000 is over the limit of 4096 units per layer',
    ],
    [
      'a depthwise multiplier of 5000',
      spec([{ name: 'd', type: 'depthwise', from: 'input', kernel: 3, multiplier: 5000 }, ...head('d')]),
      'spec.json: layer "d": field "multiplier": 5000 is over the limit of 4096 for a multiplier',
    ],
    [
      'a depthwise output of 32 × 200 channels',
      spec([
        conv('c', 'input', 32),
        { name: 'd', type: 'depthwise', from: 'c', kernel: 3, multiplier: 200 },
        ...head('d'),
      ]),
      'spec.json: layer "d": its output (28×28×6400) has 6400 channels, over the limit of 4096',
    ],
    [
      'a concat of two 3000-filter convs',
      spec([
        conv('a', 'input', 3000, 1),
        conv('b', 'input', 3000, 1),
        { name: 'cat', type: 'concat', from: ['a', 'b'] },
        ...head('cat'),
      ]),
      'spec.json: layer "cat": its output (28×28×6000) has 6000 channels, over the limit of 4096',
    ],
    [
      'a kernel larger than the image',
      spec([conv('c', 'input', 4, 29), ...head('c')]),
      'spec.json: layer "c": field "kernel": 29 is larger than its 28×28 input',
    ],
    [
      'a kernel larger than its input after a stride',
      spec([conv('s', 'input', 4, 3, { stride: 4 }), conv('c', 's', 4, 9), ...head('c')]),
      'spec.json: layer "c": field "kernel": 9 is larger than its 7×7 input',
    ],
    [
      'a maxpool window larger than its input after pooling',
      spec([
        { name: 'p1', type: 'maxpool', from: 'input', kernel: 4 },
        { name: 'p2', type: 'maxpool', from: 'p1', kernel: 8 },
        ...head('p2'),
      ]),
      'spec.json: layer "p2": field "kernel": 8 is larger than its 7×7 input',
    ],
    [
      'a kernel taller than a wide input',
      spec([conv('c', 'input', 4, 5), ...head('c')], { height: 4, width: 64, channels: 1 }),
      'spec.json: layer "c": field "kernel": 5 is larger than its 4×64 input',
    ],
    [
      'stride: 1e9',
      spec([conv('c', 'input', 4, 3, { stride: 1e9 }), ...head('c')]),
      'spec.json: layer "c": field "stride": 1000000000 is larger than its 28×28 input',
    ],
    ['a 5,000-layer chain', spec([...chain(4998), ...head('c4997')]), 'spec.json: field "layers": 5000 layers is over the limit of 512'],
    [
      'a 1000-pixel image',
      spec([conv('c', 'input', 4), ...head('c')], { height: 1000, width: 28, channels: 1 }),
      'spec.json: field "input.height": 1000 is over the limit of 512',
    ],
    [
      '100 input channels',
      spec([conv('c', 'input', 4), ...head('c')], { height: 28, width: 28, channels: 100 }),
      'spec.json: field "input.channels": 100 is over the limit of 64',
    ],
    [
      '5000 classes',
      spec([conv('c', 'input', 4), ...head('c', 5000)], undefined, 5000),
      'spec.json: field "classes": 5000 is over the limit of 4096',
    ],
    [
      'filters: Infinity',
      spec([conv('c', 'input', Infinity), ...head('c')]),
      'spec.json: layer "c": field "filters": must be a positive integer, got Infinity',
    ],
    [
      'kernel: NaN',
      spec([conv('c', 'input', 4, NaN), ...head('c')]),
      'spec.json: layer "c": field "kernel": must be a positive integer, got NaN',
    ],
    [
      'a width of 1e21 (an integer to JavaScript)',
      spec([conv('c', 'input', 1e21), ...head('c')]),
      'spec.json: layer "c": field "filters": 1e+21 is over the limit of 4096 filters per layer',
    ],
    [
      '137.7 GFLOPs',
      // a: 2·64²·9·1·4096 = 301,989,888; b: 2·64²·1·4096·4096 = 137,438,953,472; logits 81,920.
      spec([conv('a', 'input', 4096), conv('b', 'a', 4096, 1), ...head('b')], { height: 64, width: 64, channels: 1 }),
      'spec.json: the network needs 137.7 GFLOPs per image, over the limit of 20 GFLOPs',
    ],
    [
      '151 million parameters',
      // 1·4096 + 9·4096·4096 + 4096·10 = 151,040,000 (and 4.8 GFLOPs, within its limit).
      spec([conv('a', 'input', 4096, 1), conv('b', 'a', 4096, 3), ...head('b')], { height: 4, width: 4, channels: 1 }),
      'spec.json: the network has 151 million parameters, over the limit of 50 million',
    ],
  ])('refuses %s', (_, value, expected) => {
    const m = message(value);
    expect(m).toBe(expected);
  });

  it('takes a spec at the limits: 512 layers, 4096 filters, a kernel as large as its input', () => {
    expect(validateSpec(spec([...chain(MAX_LAYERS - 2), ...head(`c${MAX_LAYERS - 3}`)]), 's').layers).toHaveLength(512);
    const wide = validateSpec(spec([conv('c', 'input', MAX_WIDTH, 7), ...head('c', 4)], { height: 7, width: 7, channels: 1 }, 4), 's');
    expect(inferShapes(wide)['c']).toEqual({ kind: 'map', height: 7, width: 7, channels: 4096 });
  });

  it('reads 1e400 in a spec file as Infinity and says so', () => {
    const text = JSON.stringify(spec([conv('c', 'input', 4), ...head('c')])).replace('"filters":4', '"filters":1e400');
    expect(() => parseSpec(text, 'f.json')).toThrow(
      new SpecError('f.json', '"c"', 'filters', 'must be a positive integer, got Infinity'),
    );
  });
});

describe('checkTrainable', () => {
  const plain = seedSpec('plain-cnn');

  it('counts every tensor, the image included, × 4 bytes × batch × 3', () => {
    // 784 + 2·12544 + 3136 + 2·6272 + 1568 + 2·3136 + 64 + 10 = 49,466 values per image.
    expect(trainingBytes(plain, 1)).toBe(49466 * 4 * 3);
    expect(trainingBytes(plain, 32)).toBe(49466 * 4 * 3 * 32);
    expect(() => checkTrainable(plain, 32)).not.toThrow();
    expect(() => checkTrainable(plain, 3617)).not.toThrow();
  });

  it.each([
    [4000, 'plain-cnn: training at batch 4000 needs about 2.2 GiB for activations, over the limit of 2 GiB; use a batch of at most 3617 or a smaller network'],
    [0, 'plain-cnn: the batch size must be a positive integer, got 0'],
    [1.5, 'plain-cnn: the batch size must be a positive integer, got 1.5'],
    [Infinity, 'plain-cnn: the batch size must be a positive integer, got Infinity'],
  ])('batch %s: %s', (batch, expected) => {
    expect(() => checkTrainable(plain, batch)).toThrow(expected);
  });

  it('says when not even one image fits', () => {
    // 200 1×1 maxpools of a 512×512×64 image cost no FLOPs but keep 201 · 16.8 M values:
    // (201 · 512·512·64 + 64 + 10) · 12 bytes = 37.7 GiB.
    const pools = Array.from({ length: 200 }, (_, i) => ({
      name: `p${i}`,
      type: 'maxpool',
      from: i === 0 ? 'input' : `p${i - 1}`,
      kernel: 1,
    }));
    const big = validateSpec(spec([...pools, ...head('p199')], { height: 512, width: 512, channels: 64 }), 'big');
    expect(() => checkTrainable(big, 1, 'big.json')).toThrow(
      'big.json: training at batch 1 needs about 37.7 GiB for activations, over the limit of 2 GiB; even a batch of 1 does not fit: use a smaller network',
    );
  });
});

describe('expansion stays within the limits', () => {
  it('specLimit checks every tensor of a spec the method built, concats included', () => {
    const built = {
      name: 'built',
      input: { height: 8, width: 8, channels: 1 },
      classes: 2,
      layers: [
        { name: 'a', type: 'conv', from: 'input', filters: 3000, kernel: 1 },
        { name: 'b', type: 'conv', from: 'input', filters: 3000, kernel: 1 },
        { name: 'cat', type: 'concat', from: ['a', 'b'] },
        ...head('cat', 2),
      ],
    } as NetworkSpec;
    expect(specLimit(built)).toEqual({ field: null, message: 'layer "cat" would have 6000 channels, over the limit of 4096' });
    expect(specLimit(seedSpec('resnet-mini'))).toBeNull();
  });

  it('stops ω at the first limit the network would pass and says which one', () => {
    const resnet = seedSpec('resnet-mini');
    const alive: AliveCounts = { stem: 10, 's3b2/conv1': 40 };
    const r = expandSpec(resnet, alive, { target: 'flops', budget: Number.MAX_SAFE_INTEGER });
    // The parameter limit comes first here: ω stops just below it, and a little more passes it.
    const { params, flops } = networkCost(r.spec);
    expect(params).toBeLessThanOrEqual(MAX_PARAMS);
    expect(params).toBeGreaterThan(0.99 * MAX_PARAMS);
    expect(flops).toBeLessThanOrEqual(MAX_FLOPS);
    expect(Math.max(...Object.values(inferShapes(r.spec)).map(shapeChannels))).toBeLessThanOrEqual(MAX_WIDTH);
    expect(r.limit).toMatch(/^the network has 50,0\d\d,\d\d\d parameters, over the limit of 50 million$/);
    expect(expandSpec(resnet, alive, { target: 'flops' }).limit).toBeNull();
  });
});
