// Groups and cost terms (MORPHNET.md §2 and §4), derived once from a valid spec.
//
// Union-find runs over "owners": the channel vectors that layers create (a batch-normed layer's
// output, a bn:false conv's output, the image, a dense layer's output). A tensor is a list of
// segments, each a whole owner, so concat lays segments end to end and maxpool/gap pass them
// through; an add ties its inputs segment by segment, which is the per-(tensor, channel)
// union-find of §4 at segment granularity. A depthwise layer follows the reference's op handlers:
// cut along its input's segments, each piece tied to that segment's owner, and with multiplier m
// its output channels i·m … i·m+m−1 tied to input channel i (a segment's `repeat`). Its |γ| joins
// each owner's group as a `MemberSlice`. Past the reference (README "Decisions past the paper"):
// - an add whose inputs are split into segments differently (concat + conv): the owners involved
//   keep their seed widths (`fixed`), since no single width multiplier can keep them equal.
import { latencyOps } from './latency-plan.ts';
import { inferShapes, layerInputs } from './shape.ts';
import type {
  CostTerm,
  Group,
  MemberSlice,
  NetworkSpec,
  RegularizerPlan,
  Segment,
  TensorShape,
} from './types.ts';
import { emptyRecord } from './records.ts';

type OwnerKind = 'bn' | 'static' | 'fixed';
interface Owner {
  kind: OwnerKind;
  size: number;
  /** The conv/depthwise layer that produces it (null for the image and dense outputs). */
  layer: string | null;
  /** For a depthwise piece: where its |γ| sits in the layer's vector, and that vector's length. */
  slice: (MemberSlice & { width: number }) | null;
  forcedFixed: boolean;
}
/** A whole owner's channels, each repeated `repeat` times in a row (after depthwise multipliers). */
interface RawSegment {
  owner: number;
  size: number;
  repeat: number;
}

/** How expansion treats a set of tied conv layers: scaled by ω from alive counts, from full width, or kept. */
export type ComponentMode = 'group' | 'pinned' | 'fixed';
export interface Component {
  id: number;
  size: number;
  mode: ComponentMode;
  /** The RegularizerPlan group holding its batch-normed layers, or null if it has none. */
  group: number | null;
  /** Conv and depthwise layers whose output channels belong to it (bn:false convs included). */
  layers: string[];
}

export interface ChannelTrace {
  plan: RegularizerPlan;
  components: Component[];
  /** Conv/depthwise layer → the component its output channels belong to. */
  componentOf: Record<string, number>;
  shapes: Record<string, TensorShape>;
}

/** The plan the regularizer and cost model use (MORPHNET.md §2-4). */
export function buildPlan(spec: NetworkSpec): RegularizerPlan {
  return traceChannels(spec).plan;
}

export function traceChannels(spec: NetworkSpec): ChannelTrace {
  const shapes = inferShapes(spec);
  const owners: Owner[] = [];
  const parent: number[] = [];
  const newOwner = (o: Omit<Owner, 'forcedFixed' | 'slice'>, slice: Owner['slice'] = null): number => {
    owners.push({ ...o, slice, forcedFixed: false });
    parent.push(parent.length);
    return parent.length - 1;
  };
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const p = parent[i] as number;
      parent[i] = parent[p] as number;
      i = p;
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    // The earlier owner stays the root, so group ids follow the layer order.
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  const tensors = new Map<string, RawSegment[]>();
  tensors.set('input', [
    {
      owner: newOwner({ kind: 'fixed', size: spec.input.channels, layer: null }),
      size: spec.input.channels,
      repeat: 1,
    },
  ]);
  const termInputs: { layer: string; input: RawSegment[]; output: RawSegment[] }[] = [];
  const layerOwner = emptyRecord<number>();
  const get = (n: string): RawSegment[] => tensors.get(n) as RawSegment[];

  for (const layer of spec.layers) {
    const ins = layerInputs(layer).map(get);
    const first = ins[0] as RawSegment[];
    let out: RawSegment[];
    switch (layer.type) {
      case 'conv': {
        const o = newOwner({
          kind: layer.bn === false ? 'static' : 'bn',
          size: layer.filters,
          layer: layer.name,
        });
        layerOwner[layer.name] = o;
        out = [{ owner: o, size: layer.filters, repeat: 1 }];
        termInputs.push({ layer: layer.name, input: first, output: out });
        break;
      }
      case 'depthwise': {
        const m = layer.multiplier ?? 1;
        out = first.map((x) => ({ owner: x.owner, size: x.size * m, repeat: x.repeat * m }));
        if (layer.bn !== false) {
          const width = out.reduce((n, x) => n + x.size, 0);
          let offset = 0;
          for (const x of out) {
            const size = (owners[x.owner] as Owner).size;
            const o = newOwner(
              { kind: 'bn', size, layer: layer.name },
              { offset, multiplier: x.repeat, width },
            );
            layerOwner[layer.name] ??= o;
            union(o, x.owner);
            offset += x.size;
          }
        }
        termInputs.push({ layer: layer.name, input: first, output: out });
        break;
      }
      case 'dense': {
        out = [
          {
            owner: newOwner({ kind: 'fixed', size: layer.units, layer: null }),
            size: layer.units,
            repeat: 1,
          },
        ];
        termInputs.push({ layer: layer.name, input: first, output: out });
        break;
      }
      case 'add': {
        const sizes = (t: RawSegment[]): string => t.map((s) => `${s.size}x${s.repeat}`).join(',');
        if (ins.every((t) => sizes(t) === sizes(first))) {
          for (const t of ins) t.forEach((s, i) => union(s.owner, (first[i] as RawSegment).owner));
        } else {
          for (const t of ins) for (const s of t) (owners[s.owner] as Owner).forcedFixed = true;
        }
        out = first;
        break;
      }
      case 'concat':
        out = ins.flat();
        break;
      case 'maxpool':
      case 'gap':
        out = first;
        break;
    }
    tensors.set(layer.name, out);
  }
  return resolve(owners, find, termInputs, layerOwner, spec, shapes);
}

function resolve(
  owners: Owner[],
  find: (i: number) => number,
  termInputs: { layer: string; input: RawSegment[]; output: RawSegment[] }[],
  layerOwner: Record<string, number>,
  spec: NetworkSpec,
  shapes: Record<string, TensorShape>,
): ChannelTrace {
  // One component per root; its mode is decided by the kinds of owners tied into it.
  const byRoot = new Map<number, { owners: number[] }>();
  owners.forEach((_, i) => {
    const r = find(i);
    const entry = byRoot.get(r) ?? { owners: [] };
    entry.owners.push(i);
    byRoot.set(r, entry);
  });
  const groups: Group[] = [];
  const components: Component[] = [];
  const componentOfRoot = new Map<number, Component>();
  for (const [root, { owners: ids }] of [...byRoot.entries()].sort((a, b) => a[0] - b[0])) {
    const os = ids.map((i) => owners[i] as Owner);
    const bn = os.filter((o) => o.kind === 'bn');
    const members = bn.map((o) => o.layer as string);
    const layers = [...new Set(os.filter((o) => o.layer !== null).map((o) => o.layer as string))];
    const fixed = os.some((o) => o.kind === 'fixed' || o.forcedFixed);
    const pinned = fixed || os.some((o) => o.kind === 'static');
    const size = (owners[root] as Owner).size;
    let group: number | null = null;
    if (members.length > 0) {
      group = groups.length;
      const slices = bn.map((o) =>
        o.slice === null
          ? { offset: 0, multiplier: 1 }
          : { offset: o.slice.offset, multiplier: o.slice.multiplier },
      );
      const whole = bn.every((o) => o.slice === null || (o.slice.multiplier === 1 && o.slice.width === size));
      groups.push(
        whole ? { id: group, members, size, pinned } : { id: group, members, slices, size, pinned },
      );
    }
    if (layers.length === 0) continue;
    const c: Component = {
      id: components.length,
      size,
      mode: fixed ? 'fixed' : pinned ? 'pinned' : 'group',
      group,
      layers,
    };
    components.push(c);
    componentOfRoot.set(root, c);
  }
  // A repeated segment is written as `repeat` copies of its group: the terms need only A and S,
  // and those are then `repeat`·A and `repeat`·S, as the reference's per-channel vectors give.
  const segments = (list: RawSegment[]): Segment[] =>
    list.flatMap((s): Segment[] => {
      const id = componentOfRoot.get(find(s.owner))?.group;
      const g = id === undefined || id === null ? undefined : groups[id];
      if (g === undefined || g.pinned) return [{ kind: 'static', size: s.size }];
      return Array.from({ length: s.repeat }, () => ({
        kind: 'group',
        group: g.id,
        size: s.size / s.repeat,
      }));
    });
  const terms: CostTerm[] = termInputs.map(({ layer, input, output }) => {
    const l = spec.layers.find((x) => x.name === layer);
    const shape = shapes[layer] as TensorShape;
    const base = { layer, input: segments(input), output: segments(output) };
    if (l?.type === 'dense') return { ...base, kind: 'dense', flopCoef: 2, sizeCoef: 1 };
    const k = l !== undefined && 'kernel' in l ? l.kernel : 1;
    const hw = shape.kind === 'map' ? shape.height * shape.width : 1;
    return {
      ...base,
      kind: l?.type === 'depthwise' ? 'depthwise' : 'conv',
      flopCoef: 2 * hw * k * k,
      sizeCoef: k * k,
    };
  });
  const widths = emptyRecord<number>();
  const groupOf = emptyRecord<number>();
  const componentOf = emptyRecord<number>();
  for (const l of spec.layers) {
    if (l.type !== 'conv' && l.type !== 'depthwise') continue;
    const shape = shapes[l.name] as TensorShape;
    widths[l.name] = shape.kind === 'map' ? shape.channels : shape.units;
    const o = layerOwner[l.name];
    if (o === undefined) continue;
    const c = componentOfRoot.get(find(o)) as Component;
    componentOf[l.name] = c.id;
    if (c.group !== null && (owners[o] as Owner).kind === 'bn') groupOf[l.name] = c.group;
  }
  const ops = latencyOps(spec, terms, shapes);
  return { plan: { groups, terms, widths, groupOf, ops }, components, componentOf, shapes };
}
