// A Keras / TensorFlow.js Layers model topology becomes a studio spec (issue 12, "Import from
// where users' networks live"). Batch norm and ReLU layers fold into the conv before them, as the
// studio's conv carries both; dropout, linear activations and the flatten after a global pool
// are dropped. Anything the studio cannot build is named in one SpecError line. The result goes
// through validateSpec, so shapes are checked exactly as for a hand-written spec.
import { isKerasTopology, kerasGraph, type KerasNode } from './keras-graph.ts';
import { inferShapes } from './shape.ts';
import { parseSpec, SpecError, validateSpec } from './spec.ts';
import { activationRelu, checkConvFields, imageShape, squareSize, type KerasFail } from './keras-fields.ts';
import type {
  AddLayer,
  ConcatLayer,
  ConvLayer,
  DenseLayer,
  DepthwiseLayer,
  GapLayer,
  InputShape,
  MaxPoolLayer,
  NetworkSpec,
} from './types.ts';

export { isKerasTopology };

/** A Keras file is wordier than a spec: a 175-layer ResNet-50 topology is about 300 kB. */
export const MAX_KERAS_BYTES = 4 * 1024 * 1024;

const BUILDS = 'the studio builds conv, depthwise, add, concat, maxpool, global average pool and dense';

type Draft =
  | Required<ConvLayer>
  | Required<DepthwiseLayer>
  | Required<AddLayer>
  | ConcatLayer
  | Required<MaxPoolLayer>
  | GapLayer
  | Required<DenseLayer>;

class Converter {
  private readonly drafts = new Map<string, Draft>();
  /** Keras layer name → the spec layer its output is (itself, or the layer it folded into). */
  private readonly alias = new Map<string, string>();
  private readonly consumers = new Map<string, number>();
  private input: InputShape | null = null;
  /** Max pools written with "valid" padding, to check once the shapes are known. */
  readonly validPools: KerasNode[] = [];

  constructor(
    private readonly source: string,
    private readonly output: string,
    private readonly fallbackShape: unknown,
  ) {}

  private fail(node: KerasNode, detail: string): never {
    throw new SpecError(this.source, null, null, `layer "${node.name}" (${node.className}) ${detail}`);
  }

  private unsupported(node: KerasNode): never {
    this.fail(node, `is not supported: ${BUILDS}`);
  }

  private readonly failer: KerasFail = (node, detail) => this.fail(node, detail);

  private source1(node: KerasNode): string {
    if (node.inputs.length !== 1) this.fail(node, `takes ${node.inputs.length} inputs: one expected`);
    return node.inputs[0] as string;
  }

  private from(kerasName: string): string {
    return this.alias.get(kerasName) ?? kerasName;
  }

  private emit(node: KerasNode, draft: Draft): void {
    this.drafts.set(draft.name, draft);
    this.alias.set(node.name, draft.name);
  }

  private readShape(node: KerasNode, shape: unknown): void {
    if (this.input !== null) this.fail(node, 'is a second input: the studio takes one image');
    this.input = imageShape(node, shape, this.failer);
  }

  /** A batch norm or ReLU may fold into the layer before it if nothing else reads that layer. */
  private foldTarget(node: KerasNode, kinds: readonly Draft['type'][]): Draft | null {
    const src = this.source1(node);
    if (src === this.output || (this.consumers.get(src) ?? 0) !== 1) return null;
    const draft = this.drafts.get(this.from(src));
    return draft !== undefined && kinds.includes(draft.type) ? draft : null;
  }

  private fold(node: KerasNode, into: Draft): void {
    this.alias.set(node.name, into.name);
  }

  private relu(node: KerasNode): void {
    const into = this.foldTarget(node, ['conv', 'depthwise', 'add', 'dense']);
    if (into === null || !('relu' in into) || into.relu) {
      this.fail(
        node,
        'is not supported here: the studio applies ReLU only right after a conv, depthwise, batch norm, add or dense layer',
      );
    }
    into.relu = true;
    this.fold(node, into);
  }

  private add(node: KerasNode): void {
    const c = node.config;
    const n = node.name;
    const one = () => this.from(this.source1(node));
    switch (node.className) {
      case 'InputLayer':
        this.readShape(node, c['batch_input_shape'] ?? c['batch_shape']);
        this.alias.set(n, 'input');
        return;
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const kernel = squareSize(node, 'kernel_size', this.failer);
        // A 1×1 kernel reads no padding: "valid" and "same" give the same output.
        checkConvFields(node, this.failer, kernel === 1);
        const from = node.inputs.length === 0 ? this.implicitInput(node) : one();
        const stride = squareSize(node, 'strides', this.failer, 1);
        const relu = activationRelu(node, false, this.failer);
        if (node.className === 'Conv2D') {
          const filters = c['filters'];
          if (typeof filters !== 'number' || !Number.isInteger(filters) || filters < 1) {
            this.fail(node, `has filters ${JSON.stringify(filters)}: a positive integer expected`);
          }
          this.emit(node, { type: 'conv', name: n, from, filters, kernel, stride, bn: false, relu });
        } else {
          const multiplier = c['depth_multiplier'] ?? 1;
          if (typeof multiplier !== 'number' || !Number.isInteger(multiplier) || multiplier < 1) {
            this.fail(
              node,
              `has depth_multiplier ${JSON.stringify(multiplier)}: a positive integer expected`,
            );
          }
          this.emit(node, { type: 'depthwise', name: n, from, kernel, stride, multiplier, bn: false, relu });
        }
        return;
      }
      case 'BatchNormalization': {
        const axis = c['axis'];
        const into = this.foldTarget(node, ['conv', 'depthwise']);
        const channelAxis =
          axis === undefined ||
          axis === -1 ||
          axis === 3 ||
          (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 3));
        if (into === null || !('bn' in into) || into.bn || into.relu || !channelAxis) {
          this.fail(
            node,
            'is not supported here: the studio folds batch norm only into the conv or depthwise layer right before it (no activation between)',
          );
        }
        into.bn = true;
        this.fold(node, into);
        return;
      }
      case 'ReLU':
        if (
          (c['max_value'] ?? null) !== null ||
          (c['negative_slope'] ?? 0) !== 0 ||
          (c['threshold'] ?? 0) !== 0
        ) {
          this.fail(node, 'is a capped or leaky ReLU: the studio builds plain ReLU only');
        }
        this.relu(node);
        return;
      case 'Activation': {
        const a = c['activation'];
        if (a === 'relu') this.relu(node);
        else if (a === 'linear') this.alias.set(n, one());
        else if (a === 'softmax' && n === this.output) this.alias.set(n, one());
        else
          this.fail(
            node,
            `has activation ${JSON.stringify(a)}: the studio builds relu (softmax only on the output)`,
          );
        return;
      }
      case 'Softmax':
        if (n !== this.output)
          this.fail(node, 'is not the output: the studio applies softmax only to the logits');
        this.alias.set(n, one());
        return;
      case 'Dropout':
      case 'SpatialDropout2D':
        this.alias.set(n, one());
        return;
      case 'Add':
        if (node.inputs.length < 2) this.fail(node, 'adds fewer than two inputs');
        this.emit(node, { type: 'add', name: n, from: node.inputs.map((i) => this.from(i)), relu: false });
        return;
      case 'Concatenate': {
        const axis = c['axis'] ?? -1;
        if (axis !== -1 && axis !== 3)
          this.fail(
            node,
            `joins along axis ${JSON.stringify(axis)}: the studio concatenates channels (axis -1) only`,
          );
        if (node.inputs.length < 2) this.fail(node, 'joins fewer than two inputs');
        this.emit(node, { type: 'concat', name: n, from: node.inputs.map((i) => this.from(i)) });
        return;
      }
      case 'MaxPooling2D': {
        // Keras pools "valid" by default; where it equals "same" is checked on the shapes (validPools).
        if (checkConvFields(node, this.failer, true)) this.validPools.push(node);
        const kernel = squareSize(node, 'pool_size', this.failer, 2);
        this.emit(node, {
          type: 'maxpool',
          name: n,
          from: one(),
          kernel,
          stride: squareSize(node, 'strides', this.failer, kernel),
        });
        return;
      }
      case 'GlobalAveragePooling2D':
        checkConvFields(node, this.failer);
        if (c['keepdims'] === true)
          this.fail(node, 'keeps its dimensions (keepdims): the studio pools to a flat vector');
        this.emit(node, { type: 'gap', name: n, from: one() });
        return;
      case 'Flatten': {
        const from = one();
        if (this.drafts.get(from)?.type !== 'gap') {
          this.fail(
            node,
            'is not supported here: the studio flattens only right after a global average pool',
          );
        }
        this.alias.set(n, from);
        return;
      }
      case 'Dense': {
        const units = c['units'];
        if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) {
          this.fail(node, `has units ${JSON.stringify(units)}: a positive integer expected`);
        }
        const last = n === this.output;
        if (!last && c['activation'] === 'softmax') this.fail(node, 'has a softmax but is not the output');
        this.emit(node, {
          type: 'dense',
          name: n,
          from: one(),
          units,
          relu: activationRelu(node, last, this.failer),
        });
        return;
      }
      default:
        this.unsupported(node);
    }
  }

  /** A Sequential model's first layer may carry the input shape itself (tfjs writes it so). */
  private implicitInput(node: KerasNode): string {
    const c = node.config;
    const batch = c['batch_input_shape'] ?? c['batch_shape'];
    if (batch !== undefined) this.readShape(node, batch);
    else if (c['input_shape'] !== undefined) this.readShape(node, c['input_shape']);
    else this.readShape(node, this.fallbackShape);
    return 'input';
  }

  convert(nodes: KerasNode[]): { input: InputShape; layers: Draft[] } {
    for (const n of nodes) for (const i of n.inputs) this.consumers.set(i, (this.consumers.get(i) ?? 0) + 1);
    for (const n of nodes) {
      if (
        n.inputs.length === 0 &&
        n.className !== 'InputLayer' &&
        n.className !== 'Conv2D' &&
        n.className !== 'DepthwiseConv2D'
      ) {
        this.fail(n, 'reads no input: the first layer must be an InputLayer or a conv with an input shape');
      }
      this.add(n);
    }
    if (this.input === null)
      throw new SpecError(this.source, null, null, 'the model has no InputLayer and no input shape');
    return { input: this.input, layers: [...this.drafts.values()] };
  }
}

/** Converts the value of a Keras / tfjs Layers JSON file into a validated, normalized spec. */
export function kerasToSpec(value: unknown, source: string): NetworkSpec {
  const graph = kerasGraph(value, source);
  const converter = new Converter(source, graph.output, graph.inputShape);
  const { input, layers } = converter.convert(graph.nodes);
  const last = layers.at(-1);
  if (last?.type !== 'dense') {
    throw new SpecError(source, null, null, 'the model must end in a Dense layer (the logits)');
  }
  const name = graph.modelName ?? source.replace(/^.*[/\\]/, '').replace(/\.json$/i, '');
  const spec = validateSpec({ name: name || 'imported', input, classes: last.units, layers }, source);
  checkValidPools(spec, converter.validPools, source);
  return spec;
}

/**
 * A "valid" max pool equals the studio's "same" one when its windows tile the input exactly
 * (kernel = stride, both sides divisible): 28×28 pooled by 2 is 14×14 either way, 7×7 is 3×3 or 4×4.
 */
function checkValidPools(spec: NetworkSpec, pools: readonly KerasNode[], source: string): void {
  if (pools.length === 0) return;
  const shapes = inferShapes(spec);
  for (const node of pools) {
    const layer = spec.layers.find((l) => l.name === node.name);
    if (layer?.type !== 'maxpool') continue;
    const shape = shapes[layer.from];
    const stride = layer.stride ?? layer.kernel;
    if (
      shape?.kind === 'map' &&
      layer.kernel === stride &&
      shape.height % stride === 0 &&
      shape.width % stride === 0
    ) {
      continue;
    }
    const size = shape?.kind === 'map' ? ` on a ${shape.height}×${shape.width} input` : '';
    throw new SpecError(
      source,
      null,
      null,
      `layer "${node.name}" (${node.className}) has padding "valid"${size}, which pools differently from "same": the studio pads "same" only`,
    );
  }
}

/** Parses JSON text (a `model.json` or `model.to_json()`) and converts it. */
export function importKeras(text: string, source: string): NetworkSpec {
  if (text.length > MAX_KERAS_BYTES) {
    throw new SpecError(
      source,
      null,
      null,
      `file is over the ${MAX_KERAS_BYTES / 2 ** 20} MB limit for a Keras model`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'bad JSON';
    throw new SpecError(source, null, null, `not valid JSON: ${msg}`);
  }
  return kerasToSpec(value, source);
}

/**
 * A network file of either kind, told apart by its shape: a Keras / tfjs Layers topology is
 * converted, anything else is read as a studio spec (with that format's messages).
 */
export function parseNetworkFile(text: string, source: string): NetworkSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseSpec(text, source);
  }
  return isKerasTopology(value) ? kerasToSpec(value, source) : parseSpec(text, source);
}
