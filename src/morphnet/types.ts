// The public network-spec format (README "Network spec") and the plain data the method passes
// around. Pure types: the engine, the worker, the page and the CLI all import from here.

/** A resource MorphNet can target (MORPHNET.md §2). */
export type Target = 'flops' | 'size' | 'latency';

/** A device the latency target prices for (the reference's PEAK_COMPUTE / MEMORY_BANDWIDTH). */
export interface Hardware {
  /** Display text: 'K80' | 'P4' | 'T4' | 'P100' | 'V100' | 'TPUv2' | 'this device' | 'custom'. */
  name: string;
  /** Peak float32 compute in GFLOP/s, > 0. */
  peakGflops: number;
  /** Memory bandwidth in GB/s, > 0. */
  bandwidthGbs: number;
  /** Per-op dispatch overhead in ns added to every priced op; absent or 0: the reference's pure roofline. */
  opOverheadNs?: number;
}

/** What the latency target needs: the device, and the reference's `batch_size` (default 1). */
export interface LatencySettings {
  hardware: Hardware;
  batch: number;
}

/** Branded units so FLOPs are never added to parameters by accident. */
export type Flops = number & { readonly __unit: 'flops' };
export type Params = number & { readonly __unit: 'params' };

export interface InputShape {
  height: number;
  width: number;
  channels: number;
}

export interface ConvLayer {
  type: 'conv';
  name: string;
  from: string;
  filters: number;
  kernel: number;
  stride?: number;
  bn?: boolean;
  relu?: boolean;
}

export interface DepthwiseLayer {
  type: 'depthwise';
  name: string;
  from: string;
  kernel: number;
  stride?: number;
  multiplier?: number;
  bn?: boolean;
  relu?: boolean;
}

export interface AddLayer {
  type: 'add';
  name: string;
  from: string[];
  relu?: boolean;
}

export interface ConcatLayer {
  type: 'concat';
  name: string;
  from: string[];
}

export interface MaxPoolLayer {
  type: 'maxpool';
  name: string;
  from: string;
  kernel: number;
  stride?: number;
}

export interface GapLayer {
  type: 'gap';
  name: string;
  from: string;
}

/** A dense layer takes a flat input (after `gap` or another dense). The last layer is the logits. */
export interface DenseLayer {
  type: 'dense';
  name: string;
  from: string;
  units: number;
  relu?: boolean;
}

export type Layer =
  ConvLayer | DepthwiseLayer | AddLayer | ConcatLayer | MaxPoolLayer | GapLayer | DenseLayer;
export type LayerType = Layer['type'];

export interface NetworkSpec {
  name: string;
  input: InputShape;
  classes: number;
  layers: Layer[];
}

/** Alive output channels per conv/depthwise layer name (the reference's map without `/Conv2D`). */
export type AliveCounts = Record<string, number>;

/** |γ| per batch-normed layer, one value per output channel. */
export type GammaMagnitudes = Record<string, Float32Array | number[]>;

/**
 * Where a tensor's channels come from, laid end to end (concat lays segments side by side).
 * `group`: channels owned by a group of batch-normed layers (MORPHNET.md §4), width `size`.
 * `static`: channels with no batch norm behind them (the image, a conv with bn:false): always alive.
 */
export type Segment = { kind: 'group'; group: number; size: number } | { kind: 'static'; size: number };

/**
 * Where a member's |γ| sits in its layer's vector: group channel i is the max of
 * |γ[offset + i·multiplier + k]| for k < multiplier. A depthwise layer with multiplier m ties its
 * output channels i·m … i·m+m−1 to input channel i, and one reading a concat is cut along the
 * concat's inputs (the reference's depthwise and concat op handlers).
 */
export interface MemberSlice {
  offset: number;
  multiplier: number;
}

/** A set of batch-normed layers whose channels are tied elementwise (adds, depthwise). */
export interface Group {
  id: number;
  /** Names of batch-normed layers whose |γ| vectors are max-ed into the group's vector (a layer may repeat). */
  members: string[];
  /**
   * Per member (same order): the part of its |γ| that feeds this group. Absent when every member's
   * |γ| is the group's vector as a whole ({offset: 0, multiplier: 1}); plans before it had none.
   */
  slices?: MemberSlice[];
  size: number;
  /**
   * The group's channels cannot die: they are tied to channels with no batch norm (the image, a
   * bn:false conv, a dense output). A pinned group counts as fully alive and never appears in a
   * `Segment`: the terms see its channels as `static`, so the regularizer leaves it alone.
   */
  pinned: boolean;
}

/** One cost-bearing layer (conv, depthwise or dense) as the cost model and regularizer see it. */
export interface CostTerm {
  layer: string;
  kind: 'conv' | 'depthwise' | 'dense';
  /** FLOP coefficient C (MORPHNET.md §2): 2·H_out·W_out·kh·kw, or 2 for dense. */
  flopCoef: number;
  /** Size coefficient C: kh·kw, or 1 for dense. */
  sizeCoef: number;
  input: Segment[];
  output: Segment[];
}

/** A tensor a latency op reads or writes: `payload` = H·W·4 bytes per image and channel (flat: 4). */
export interface OpTensor {
  payload: number;
  segments: Segment[];
}

/**
 * One op the latency target prices (the reference's SUPPORTED_OPS as this format has them), with
 * the spec layer it is summed into: a conv's batch norm and ReLU go to the conv, an add's ReLU to
 * the add. Maxpool and gap are not priced.
 */
export interface LatencyOp {
  layer: string;
  kind: 'conv' | 'depthwise' | 'dense' | 'bn' | 'relu' | 'add' | 'concat';
  /** Activations read: one per input of an add; a concat's is its output (as the reference). */
  inputs: OpTensor[];
  output: OpTensor;
  /**
   * Weight bytes per channel pair, kh·kw·4 (dense: 4), times A_in·A_out; a depthwise filter's
   * times A_out (what it holds; the reference prices it as a conv's). 0: no weights.
   */
  weightPayload: number;
  /** The FLOP coefficient C of §2 (conv, depthwise, dense); 0 for ops without FLOPs. */
  flopCoef: number;
}

/** Everything the regularizer and cost model need, derived once from a valid spec. */
export interface RegularizerPlan {
  groups: Group[];
  terms: CostTerm[];
  /** Output channel count of every conv and depthwise layer at full width (the seed's widths). */
  widths: Record<string, number>;
  /**
   * The group each batch-normed conv/depthwise layer belongs to; absent for bn:false. A depthwise
   * layer cut along a concat feeds several groups: this is the one its first channel feeds.
   */
  groupOf: Record<string, number>;
  /** The ops the latency target prices, in spec order (buildPlan sets it; plans made by hand may lack it). */
  ops?: LatencyOp[];
}

/** A tensor's shape (batch size left out): a feature map, or a flat vector after `gap`/`dense`. */
export type TensorShape =
  { kind: 'map'; height: number; width: number; channels: number } | { kind: 'flat'; units: number };

/** FLOPs and parameters of one cost-bearing layer (MORPHNET.md §2). */
export interface LayerCost {
  name: string;
  flops: Flops;
  params: Params;
}

export interface NetworkCost {
  layers: LayerCost[];
  flops: Flops;
  params: Params;
  /** Predicted latency in ns (latency.ts), present when networkCost was given LatencySettings. */
  latencyNs?: number;
}
