// Shape inference for the spec format (issue 2, "The network spec"). Same padding everywhere, so
// a strided layer's output is ceil(input / stride).
import type { Layer, NetworkSpec, TensorShape } from './types.ts';
import { emptyRecord } from './records.ts';

/** Why a layer cannot take its inputs: the field to blame and a one-line reason. */
export interface ShapeProblem {
  field: string;
  message: string;
}

/** Conv and depthwise default to stride 1; maxpool defaults to stride = kernel (non-overlapping). */
export function layerStride(layer: Layer): number {
  if (layer.type === 'conv' || layer.type === 'depthwise') return layer.stride ?? 1;
  if (layer.type === 'maxpool') return layer.stride ?? layer.kernel;
  return 1;
}

export function layerInputs(layer: Layer): string[] {
  return typeof layer.from === 'string' ? [layer.from] : layer.from;
}

export function describeShape(shape: TensorShape): string {
  return shape.kind === 'map' ? `${shape.height}×${shape.width}×${shape.channels}` : `flat ${shape.units}`;
}

/** The channel count of a tensor: a map's channels, a flat tensor's units. */
export function shapeChannels(shape: TensorShape): number {
  return shape.kind === 'map' ? shape.channels : shape.units;
}

function notAMap(from: string, units: number): ShapeProblem {
  return { field: 'from', message: `needs a feature map, but "${from}" is flat (${units} units)` };
}

/** The output shape of `layer` given its inputs' shapes, or the reason it cannot be computed. */
export function layerOutputShape(layer: Layer, inputs: TensorShape[]): TensorShape | ShapeProblem {
  const from = layerInputs(layer);
  const first = inputs[0];
  if (first === undefined) return { field: 'from', message: 'has no inputs' };
  switch (layer.type) {
    case 'conv':
    case 'depthwise':
    case 'maxpool': {
      const m = first;
      if (m.kind !== 'map') return notAMap(from[0] ?? '', m.units);
      const s = layerStride(layer);
      const channels =
        layer.type === 'conv'
          ? layer.filters
          : layer.type === 'depthwise'
            ? m.channels * (layer.multiplier ?? 1)
            : m.channels;
      return { kind: 'map', height: Math.ceil(m.height / s), width: Math.ceil(m.width / s), channels };
    }
    case 'gap': {
      if (first.kind !== 'map') return notAMap(from[0] ?? '', first.units);
      return { kind: 'flat', units: first.channels };
    }
    case 'dense':
      if (first.kind !== 'flat') {
        return {
          field: 'from',
          message: `needs a flat input, but "${from[0] ?? ''}" is ${describeShape(first)}: put a gap layer first`,
        };
      }
      return { kind: 'flat', units: layer.units };
    case 'add': {
      if (inputs.some((s) => s.kind !== first.kind)) {
        return {
          field: 'from',
          message: `inputs mix feature maps and flat tensors (${inputs.map(describeShape).join(', ')})`,
        };
      }
      const widths = inputs.map(shapeChannels);
      if (widths.some((w) => w !== widths[0])) {
        return { field: 'from', message: `inputs have unequal widths (${widths.join(', ')})` };
      }
      if (
        first.kind === 'map' &&
        inputs.some((s) => s.kind === 'map' && (s.height !== first.height || s.width !== first.width))
      ) {
        return {
          field: 'from',
          message: `inputs have unequal sizes (${inputs.map(describeShape).join(', ')})`,
        };
      }
      return first;
    }
    case 'concat': {
      if (inputs.some((s) => s.kind !== first.kind)) {
        return {
          field: 'from',
          message: `inputs mix feature maps and flat tensors (${inputs.map(describeShape).join(', ')})`,
        };
      }
      const total = inputs.reduce((sum, s) => sum + shapeChannels(s), 0);
      if (first.kind === 'flat') return { kind: 'flat', units: total };
      if (inputs.some((s) => s.kind === 'map' && (s.height !== first.height || s.width !== first.width))) {
        return {
          field: 'from',
          message: `inputs have unequal sizes (${inputs.map(describeShape).join(', ')})`,
        };
      }
      return { kind: 'map', height: first.height, width: first.width, channels: total };
    }
  }
}

export function isShapeProblem(x: TensorShape | ShapeProblem): x is ShapeProblem {
  return 'field' in x;
}

/** Output shape of every layer of a valid spec, plus `input` (a prototype-free record). Throws on an invalid spec. */
export function inferShapes(spec: NetworkSpec): Record<string, TensorShape> {
  const shapes = emptyRecord<TensorShape>();
  shapes['input'] = { kind: 'map', height: spec.input.height, width: spec.input.width, channels: spec.input.channels };
  for (const layer of spec.layers) {
    const inputs = layerInputs(layer).map((n) => {
      const s = shapes[n];
      if (s === undefined) throw new Error(`inferShapes: layer "${layer.name}" reads unknown "${n}"`);
      return s;
    });
    const out = layerOutputShape(layer, inputs);
    if (isShapeProblem(out)) throw new Error(`inferShapes: layer "${layer.name}": ${out.message}`);
    shapes[layer.name] = out;
  }
  return shapes;
}
