// The ops the latency target prices (issue 13; the reference's `cost_calculator.py` SUPPORTED_OPS
// and `resource_function.memory_function`), derived from a spec and its plan's segments.
//
// Every tensor's segments are rebuilt from the terms (a conv's, depthwise's or dense's output is
// its term's output; add, maxpool and gap pass their first input through; concat lays its inputs
// end to end), which is how traceChannels built them, so a tensor here has exactly the segments
// the terms see.
import { layerInputs } from './shape.ts';
import type { CostTerm, LatencyOp, NetworkSpec, OpTensor, Segment, TensorShape } from './types.ts';

/** H·W·4 bytes per image and channel (a flat tensor: 4). */
function payloadOf(shape: TensorShape | undefined): number {
  return shape?.kind === 'map' ? shape.height * shape.width * 4 : 4;
}

export function latencyOps(
  spec: NetworkSpec,
  terms: readonly CostTerm[],
  shapes: Record<string, TensorShape>,
): LatencyOp[] {
  const termOf = new Map(terms.map((t) => [t.layer, t]));
  const tensors = new Map<string, Segment[]>();
  tensors.set('input', [{ kind: 'static', size: spec.input.channels }]);
  const tensor = (name: string): OpTensor => ({
    payload: payloadOf(shapes[name]),
    segments: tensors.get(name) ?? [],
  });
  const ops: LatencyOp[] = [];
  const op = (o: Omit<LatencyOp, 'weightPayload' | 'flopCoef'>, weightPayload = 0, flopCoef = 0): void => {
    ops.push({ ...o, weightPayload, flopCoef });
  };
  for (const layer of spec.layers) {
    const from = layerInputs(layer);
    const first = from[0] as string;
    switch (layer.type) {
      case 'conv':
      case 'depthwise':
      case 'dense': {
        const t = termOf.get(layer.name) as CostTerm;
        tensors.set(layer.name, t.output);
        const out = tensor(layer.name);
        // kh·kw·4 bytes per weight (sizeCoef is kh·kw, 1 for dense).
        op({ layer: layer.name, kind: layer.type, inputs: [tensor(first)], output: out }, t.sizeCoef * 4, t.flopCoef);
        // Batch norm prices its first input and output only (γ, β, mean, variance are skipped).
        if (layer.type !== 'dense' && layer.bn !== false) op({ layer: layer.name, kind: 'bn', inputs: [out], output: out });
        // validateSpec's defaults (as the model applies them): a dense layer's ReLU is off on the logits.
        const isLast = layer === spec.layers[spec.layers.length - 1];
        const relu = layer.relu ?? !(layer.type === 'dense' && isLast);
        if (relu) op({ layer: layer.name, kind: 'relu', inputs: [out], output: out });
        break;
      }
      case 'add': {
        tensors.set(layer.name, tensors.get(first) ?? []);
        const out = tensor(layer.name);
        op({ layer: layer.name, kind: 'add', inputs: from.map(tensor), output: out });
        if (layer.relu !== false) op({ layer: layer.name, kind: 'relu', inputs: [out], output: out });
        break;
      }
      case 'concat': {
        tensors.set(layer.name, from.flatMap((n) => tensors.get(n) ?? []));
        const out = tensor(layer.name);
        op({ layer: layer.name, kind: 'concat', inputs: [out], output: out });
        break;
      }
      case 'maxpool':
      case 'gap':
        tensors.set(layer.name, tensors.get(first) ?? []);
        break;
    }
  }
  return ops;
}
