import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importKeras, isKerasTopology, kerasToSpec, parseNetworkFile } from './import-keras.ts';
import { seedSpec } from './seeds.ts';
import { formatSpec, SpecError, validateSpec } from './spec.ts';
import type { NetworkSpec } from './types.ts';

// Written in the shapes Keras 2 (tf.keras 2.15), Keras 3 and tfjs-layers 4 serialize a model in;
// see src/morphnet/testing/keras/README.md.
const fixture = (name: string): string =>
  readFileSync(new URL(`./testing/keras/${name}`, import.meta.url), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const BUILDS = 'the studio builds conv, depthwise, add, concat, maxpool, global average pool and dense';

const RESNET: NetworkSpec = {
  name: 'resnet_like',
  input: { height: 28, width: 28, channels: 1 },
  classes: 10,
  layers: [
    { name: 'stem', type: 'conv', from: 'input', filters: 16, kernel: 3, stride: 1, bn: true, relu: true },
    { name: 'b1_conv1', type: 'conv', from: 'stem', filters: 16, kernel: 3, stride: 1, bn: true, relu: true },
    {
      name: 'b1_conv2',
      type: 'conv',
      from: 'b1_conv1',
      filters: 16,
      kernel: 3,
      stride: 1,
      bn: true,
      relu: false,
    },
    { name: 'b1_add', type: 'add', from: ['stem', 'b1_conv2'], relu: true },
    {
      name: 'tower_a',
      type: 'conv',
      from: 'b1_add',
      filters: 8,
      kernel: 1,
      stride: 1,
      bn: false,
      relu: true,
    },
    { name: 'tower_b', type: 'conv', from: 'b1_add', filters: 8, kernel: 3, stride: 1, bn: true, relu: true },
    { name: 'towers', type: 'concat', from: ['tower_a', 'tower_b'] },
    { name: 'pool', type: 'maxpool', from: 'towers', kernel: 2, stride: 2 },
    { name: 'gap', type: 'gap', from: 'pool' },
    { name: 'logits', type: 'dense', from: 'gap', units: 10, relu: false },
  ],
};

describe('importKeras: model.to_json() and model.json become studio specs', () => {
  it.each(['resnet-keras2.json', 'resnet-keras3.json'])(
    'a resnet-like Functional model with an add and a concat tower (%s)',
    (file) => {
      const spec = importKeras(fixture(file), file);
      expect(spec).toEqual(RESNET);
      // The same text a hand-written spec of it would give (layer order included).
      expect(formatSpec(spec)).toBe(formatSpec(RESNET));
      expect(validateSpec(JSON.parse(JSON.stringify(spec)), 'again')).toEqual(spec);
    },
  );

  it('Keras 3 tensors written bare ({"keras_history": [...]}) or passed by keyword (kwargs.inputs)', () => {
    const m = json('resnet-keras3.json');
    const layers = m['config'].layers as { inbound_nodes: { args: unknown[]; kwargs: unknown }[] }[];
    const bare = (t: { config: { keras_history: unknown } }) => ({ keras_history: t.config.keras_history });
    for (const l of layers) {
      const node = l.inbound_nodes[0];
      if (node === undefined) continue;
      const first = node.args[0] as { config: { keras_history: unknown } } | typeof node.args;
      node.args = Array.isArray(first) ? [first.map((t) => bare(t as never))] : [];
      if (!Array.isArray(first)) node.kwargs = { inputs: bare(first) };
    }
    expect(kerasToSpec(m, 'm.json')).toEqual(RESNET);
  });

  it('a Keras 3 Sequential model with a depthwise conv (multiplier 2) and a stride-2 stem', () => {
    expect(importKeras(fixture('mobile-keras3-sequential.json'), 'm.json')).toEqual({
      name: 'mobile_like',
      input: { height: 32, width: 32, channels: 3 },
      classes: 6,
      layers: [
        {
          name: 'conv2d',
          type: 'conv',
          from: 'input',
          filters: 8,
          kernel: 3,
          stride: 2,
          bn: true,
          relu: true,
        },
        {
          name: 'depthwise_conv2d',
          type: 'depthwise',
          from: 'conv2d',
          kernel: 3,
          stride: 1,
          multiplier: 2,
          bn: true,
          relu: true,
        },
        {
          name: 'conv2d_1',
          type: 'conv',
          from: 'depthwise_conv2d',
          filters: 24,
          kernel: 1,
          stride: 1,
          bn: true,
          relu: true,
        },
        { name: 'global_average_pooling2d', type: 'gap', from: 'conv2d_1' },
        { name: 'dense', type: 'dense', from: 'global_average_pooling2d', units: 6, relu: false },
      ],
    });
  });

  it('a tfjs-layers model.json: input shape on the first layer, conv with bias and relu, no batch norm', () => {
    expect(importKeras(fixture('tfjs-sequential-model.json'), 'model.json')).toEqual({
      name: 'sequential_1',
      input: { height: 28, width: 28, channels: 1 },
      classes: 10,
      layers: [
        {
          name: 'conv2d_Conv2D1',
          type: 'conv',
          from: 'input',
          filters: 8,
          kernel: 3,
          stride: 1,
          bn: false,
          relu: true,
        },
        {
          name: 'max_pooling2d_MaxPooling2D1',
          type: 'maxpool',
          from: 'conv2d_Conv2D1',
          kernel: 2,
          stride: 2,
        },
        {
          name: 'conv2d_Conv2D2',
          type: 'conv',
          from: 'max_pooling2d_MaxPooling2D1',
          filters: 16,
          kernel: 3,
          stride: 1,
          bn: true,
          relu: true,
        },
        { name: 'global_average_pooling2d_GlobalAveragePooling2D1', type: 'gap', from: 'conv2d_Conv2D2' },
        {
          name: 'dense_Dense1',
          type: 'dense',
          from: 'global_average_pooling2d_GlobalAveragePooling2D1',
          units: 10,
          relu: false,
        },
      ],
    });
  });

  it('tells a Keras topology from a studio spec by its shape', () => {
    for (const f of ['resnet-keras2.json', 'resnet-keras3.json', 'tfjs-sequential-model.json']) {
      expect(isKerasTopology(json(f))).toBe(true);
    }
    expect(isKerasTopology(seedSpec('resnet-mini'))).toBe(false);
    expect(parseNetworkFile(formatSpec(seedSpec('plain-cnn')), 'p.json')).toEqual(seedSpec('plain-cnn'));
    expect(parseNetworkFile(fixture('resnet-keras3.json'), 'r.json')).toEqual(RESNET);
    expect(() => parseNetworkFile('{"name": ', 'bad.json')).toThrow(/^bad\.json: not valid JSON: /);
  });
});

describe('importKeras: what the studio cannot build is named in one line', () => {
  const fails = (value: unknown, message: string) => {
    let thrown: unknown = null;
    try {
      kerasToSpec(value, 'model.json');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    expect((thrown as Error).message).toBe(message);
  };

  it('an unsupported layer, by name and class', () => {
    const m = json('mobile-keras3-sequential.json');
    m['config'].layers.splice(1, 0, {
      module: 'keras.layers',
      class_name: 'LSTM',
      config: { name: 'lstm_1', units: 4 },
    });
    fails(m, `model.json: layer "lstm_1" (LSTM) is not supported: ${BUILDS}`);
  });

  it('valid padding, a non-square kernel, a dilated conv', () => {
    const valid = json('resnet-keras2.json');
    valid['config'].layers[4].config.padding = 'valid';
    fails(valid, 'model.json: layer "b1_conv1" (Conv2D) has padding "valid": the studio pads "same" only');
    const wide = json('resnet-keras3.json');
    wide['config'].layers[4].config.kernel_size = [3, 1];
    fails(
      wide,
      'model.json: layer "b1_conv1" (Conv2D) has kernel_size [3,1]: the studio needs one positive size for both sides',
    );
    const dilated = json('resnet-keras3.json');
    dilated['config'].layers[4].config.dilation_rate = [2, 2];
    fails(dilated, 'model.json: layer "b1_conv1" (Conv2D) is dilated: the studio builds dilation 1 only');
  });

  it('"valid" padding where it computes the same: a 1×1 conv, a pool whose windows tile its input', () => {
    const m = json('tfjs-sequential-model.json');
    const expected = kerasToSpec(json('tfjs-sequential-model.json'), 'model.json');
    m['modelTopology'].config.layers[1].config.padding = 'valid'; // 2×2 pool, stride 2, on 28×28
    expect(kerasToSpec(m, 'model.json')).toEqual(expected);
    const r = json('resnet-keras3.json');
    r['config'].layers[11].config.padding = 'valid'; // tower_a, 1×1
    expect(kerasToSpec(r, 'model.json')).toEqual(RESNET);
    const odd = json('tfjs-sequential-model.json');
    odd['modelTopology'].config.layers[0].config.batch_input_shape = [null, 27, 27, 1];
    odd['modelTopology'].config.layers[1].config.padding = 'valid';
    fails(
      odd,
      'model.json: layer "max_pooling2d_MaxPooling2D1" (MaxPooling2D) has padding "valid" on a 27×27 input, which pools differently from "same": the studio pads "same" only',
    );
  });

  it('batch norm, ReLU and flatten where they cannot fold', () => {
    const bnAfterAdd = json('resnet-keras2.json');
    bnAfterAdd['config'].layers[10].class_name = 'BatchNormalization';
    fails(
      bnAfterAdd,
      'model.json: layer "b1_out" (BatchNormalization) is not supported here: the studio folds batch norm only into the conv or depthwise layer right before it (no activation between)',
    );
    const reluAfterPool = json('tfjs-sequential-model.json');
    reluAfterPool['modelTopology'].config.layers.splice(2, 0, {
      class_name: 'ReLU',
      config: { name: 'r', max_value: null, negative_slope: 0, threshold: 0 },
    });
    fails(
      reluAfterPool,
      'model.json: layer "r" (ReLU) is not supported here: the studio applies ReLU only right after a conv, depthwise, batch norm, add or dense layer',
    );
    const flatten = json('tfjs-sequential-model.json');
    flatten['modelTopology'].config.layers[5] = { class_name: 'Flatten', config: { name: 'flat' } };
    fails(
      flatten,
      'model.json: layer "flat" (Flatten) is not supported here: the studio flattens only right after a global average pool',
    );
    const leaky = json('mobile-keras3-sequential.json');
    leaky['config'].layers[3].config.max_value = 6;
    fails(
      leaky,
      'model.json: layer "re_lu" (ReLU) is a capped or leaky ReLU: the studio builds plain ReLU only',
    );
  });

  it('a conv whose output is also read elsewhere keeps its batch norm out (it cannot fold)', () => {
    const m = json('resnet-keras2.json');
    // b1_add reads b1_conv2 itself as well as its batch norm: the BN's input has two readers.
    m['config'].layers[9].inbound_nodes = [
      [
        ['b1_conv2', 0, 0, {}],
        ['b1_bn2', 0, 0, {}],
      ],
    ];
    fails(
      m,
      'model.json: layer "b1_bn2" (BatchNormalization) is not supported here: the studio folds batch norm only into the conv or depthwise layer right before it (no activation between)',
    );
  });

  it('inputs that are no image, two outputs, a shared layer, a softmax inside', () => {
    const flat = json('resnet-keras2.json');
    flat['config'].layers[0].config.batch_input_shape = [null, 784];
    fails(
      flat,
      'model.json: layer "input_1" (InputLayer) has input shape [null,784]: the studio needs an image, [height, width, channels]',
    );
    const two = json('resnet-keras3.json');
    two['config'].output_layers = [
      ['logits', 0, 0],
      ['gap', 0, 0],
    ];
    fails(two, 'model.json: the model has 2 outputs: the studio needs exactly one (the logits)');
    const shared = json('resnet-keras2.json');
    shared['config'].layers[4].inbound_nodes.push([['stem_relu', 0, 0, {}]]);
    fails(
      shared,
      'model.json: layer "b1_conv1" is called 2 times (a shared layer): the studio needs each layer used once',
    );
    const softmax = json('resnet-keras3.json');
    softmax['config'].layers[11].config.activation = 'softmax';
    fails(
      softmax,
      'model.json: layer "tower_a" (Conv2D) has activation "softmax": the studio builds relu or none',
    );
  });

  it('what is no Keras model at all, and a class it does not know', () => {
    fails(
      seedSpec('plain-cnn'),
      'model.json: not a Keras or TensorFlow.js Layers model (no "class_name" and "config")',
    );
    fails(
      { class_name: 'MyModel', config: { layers: [] } },
      'model.json: a Keras model of class "MyModel" is not supported (Sequential, Functional or Model)',
    );
    expect(() => importKeras('[1,', 'x.json')).toThrow(/^x\.json: not valid JSON: /);
  });

  it('a shape problem is found by the spec validator, named as for any spec', () => {
    const m = json('resnet-keras2.json');
    m['config'].layers[4].config.filters = 12; // the add now sums 16 and 12 channels... after b1_conv2
    m['config'].layers[7].config.filters = 12;
    expect(() => kerasToSpec(m, 'model.json')).toThrow(/^model\.json: layer "b1_add": /);
  });
});
