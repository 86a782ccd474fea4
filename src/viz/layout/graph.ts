// Turns a network spec into the nested shape the structure diagram draws: a sequence of layers
// and blocks, where a block is a merge (add or concat) with the branches that feed it.
// Specs are DAGs that are (almost always) series-parallel; walking back from the output along
// immediate dominators recovers that nesting without any layout knowledge.
import type { Layer, NetworkSpec } from '../../morphnet/types.ts';

export const INPUT = 'input';

/** One drawn conv/depthwise layer (other single layers are pass-through and not drawn). */
export interface LayerItem {
  type: 'layer';
  layer: Layer;
}

/** A merge and its incoming branches; each branch runs from `source` (exclusive) to an input. */
export interface BlockItem {
  type: 'block';
  merge: Layer & { type: 'add' | 'concat' };
  source: string;
  branches: Item[][];
}

export type Item = LayerItem | BlockItem;

export interface TensorInfo {
  channels: number;
  /** Spatial height of the tensor: it changes at strided layers, i.e. at stage boundaries. */
  resolution: number;
}

export interface SpecGraph {
  /** The main path from the input (exclusive) to the last layer, bottom-up. */
  items: Item[];
  tensors: Map<string, TensorInfo>;
  byName: Map<string, Layer>;
}

export function inputsOf(layer: Layer): string[] {
  return Array.isArray(layer.from) ? layer.from : [layer.from];
}

function tensorOf(layer: Layer, ins: TensorInfo[]): TensorInfo {
  const first = ins[0] ?? { channels: 0, resolution: 1 };
  const down = (stride: number | undefined) => Math.ceil(first.resolution / (stride ?? 1));
  switch (layer.type) {
    case 'conv':
      return { channels: layer.filters, resolution: down(layer.stride) };
    case 'depthwise':
      return { channels: first.channels * (layer.multiplier ?? 1), resolution: down(layer.stride) };
    case 'maxpool':
      // Pooling defaults to non-overlapping windows (stride = kernel), as in the spec format.
      return { channels: first.channels, resolution: down(layer.stride ?? layer.kernel) };
    case 'add':
      return first;
    case 'concat':
      return { channels: ins.reduce((s, t) => s + t.channels, 0), resolution: first.resolution };
    case 'gap':
      return { channels: first.channels, resolution: 1 };
    case 'dense':
      return { channels: layer.units, resolution: 1 };
  }
}

/** Builds the nested item tree. Throws on a reference to an unknown layer (specs are validated upstream). */
export function buildGraph(spec: NetworkSpec): SpecGraph {
  const byName = new Map<string, Layer>();
  const tensors = new Map<string, TensorInfo>([
    [INPUT, { channels: spec.input.channels, resolution: spec.input.height }],
  ]);
  // Immediate dominator and its depth in the dominator tree, for the nearest common dominator.
  const idom = new Map<string, string>();
  const depth = new Map<string, number>([[INPUT, 0]]);
  const commonDominator = (a: string, b: string): string => {
    let x = a;
    let y = b;
    while (x !== y) {
      if ((depth.get(x) ?? 0) >= (depth.get(y) ?? 0)) x = idom.get(x) ?? INPUT;
      else y = idom.get(y) ?? INPUT;
    }
    return x;
  };
  // Specs list layers in topological order (the spec format requires `from` to point backwards).
  for (const layer of spec.layers) {
    const ins = inputsOf(layer);
    for (const n of ins) {
      if (!tensors.has(n)) throw new Error(`layer ${layer.name}: unknown input ${n}`);
    }
    tensors.set(
      layer.name,
      tensorOf(
        layer,
        ins.map((n) => tensors.get(n) as TensorInfo),
      ),
    );
    const dom = ins.reduce((d, n) => commonDominator(d, n));
    idom.set(layer.name, dom);
    depth.set(layer.name, (depth.get(dom) ?? 0) + 1);
    byName.set(layer.name, layer);
  }

  const placed = new Set<string>();
  // Walk back from `end` to `stop` along immediate dominators, collecting items bottom-up.
  const walk = (end: string, stop: string): Item[] => {
    const out: Item[] = [];
    let node = end;
    while (node !== stop && node !== INPUT) {
      const layer = byName.get(node);
      if (!layer) break;
      const dom = idom.get(node) ?? INPUT;
      // A layer reachable along two paths in a non-series-parallel graph is drawn once.
      if (!placed.has(node)) {
        placed.add(node);
        if ((layer.type === 'add' || layer.type === 'concat') && layer.from.length > 1) {
          const merge = layer;
          const branches = merge.from.map((n) => walk(n, dom));
          out.push({ type: 'block', merge, source: dom, branches });
        } else {
          out.push({ type: 'layer', layer });
        }
      }
      node = dom;
    }
    return out.reverse();
  };
  const last = spec.layers[spec.layers.length - 1];
  const items = last ? walk(last.name, INPUT) : [];
  return { items, tensors, byName };
}
